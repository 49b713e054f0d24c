import { useState } from 'react';
import type { TaskComment } from '../api/tasksTypes';
import { DateTimeText } from '../common/DateTimeText';
import { useT } from '../i18n/I18nProvider';

export function TaskComments({ comments, busy, onComment }: { comments: TaskComment[]; busy: boolean; onComment: (text: string) => Promise<void> }) {
  const t = useT();
  const [text, setText] = useState('');
  return (
    <section className="task-comments">
      <h3>{t('inbox.comments')}</h3>
      {comments.length === 0 && <p className="muted small">{t('inbox.noComments')}</p>}
      <ul>
        {comments.map((c) => <li key={c.id}><strong>{c.author}</strong> <span className="muted small"><DateTimeText value={c.createdAt} /></span><p>{c.text}</p></li>)}
      </ul>
      <form onSubmit={async (e) => { e.preventDefault(); if (!text.trim()) return; await onComment(text.trim()); setText(''); }} className="row">
        <input value={text} placeholder={t('inbox.commentPlaceholder')} onChange={(e) => setText(e.target.value)} aria-label={t('inbox.comment')} />
        <button type="submit" disabled={busy || !text.trim()}>{t('inbox.commentButton')}</button>
      </form>
    </section>
  );
}

import { useState } from 'react';
import type { TaskSummary } from '../api/tasksTypes';
import { useT } from '../i18n/I18nProvider';

/** Record the outcome the playbook branches on, with an optional note. */
export function CompleteTaskForm({ task, busy, onComplete }: { task: TaskSummary; busy: boolean; onComplete: (outcome: string | null, note: string) => void }) {
  const t = useT();
  const [outcome, setOutcome] = useState(task.outcomes[0] ?? '');
  const [note, setNote] = useState('');
  return (
    <form className="task-form" onSubmit={(e) => { e.preventDefault(); onComplete(task.outcomes.length ? outcome : null, note); }} data-testid="complete-form">
      <h3>{t('inbox.complete')}</h3>
      {task.outcomes.length > 0 && (
        <div className="outcome-choices" role="radiogroup" aria-label={t('inbox.outcome')}>
          {task.outcomes.map((o) => (
            <label key={o} className={outcome === o ? 'outcome-choice chosen' : 'outcome-choice'}>
              <input type="radio" name="outcome" value={o} checked={outcome === o} onChange={() => setOutcome(o)} />
              {o}
            </label>
          ))}
        </div>
      )}
      <textarea rows={2} placeholder={t('inbox.notePlaceholder')} value={note} onChange={(e) => setNote(e.target.value)} aria-label={t('inbox.note')} />
      <button type="submit" className="primary" disabled={busy || (task.outcomes.length > 0 && !outcome)} data-testid="complete-task">{t('inbox.completeButton')}</button>
    </form>
  );
}

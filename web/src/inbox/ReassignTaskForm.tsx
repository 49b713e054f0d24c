import { useState } from 'react';
import { useT } from '../i18n/I18nProvider';

/** Hand the task to a colleague, saying why. */
export function ReassignTaskForm({ busy, onReassign }: { busy: boolean; onReassign: (assignee: string, reason: string) => void }) {
  const t = useT();
  const [assignee, setAssignee] = useState('');
  const [reason, setReason] = useState('');
  return (
    <form className="task-form" onSubmit={(e) => { e.preventDefault(); onReassign(assignee.trim(), reason.trim()); }}>
      <h3>{t('inbox.reassign')}</h3>
      <input type="email" placeholder={t('inbox.assigneePlaceholder')} value={assignee} onChange={(e) => setAssignee(e.target.value)} aria-label={t('inbox.assignee')} />
      <input placeholder={t('inbox.reasonPlaceholder')} value={reason} onChange={(e) => setReason(e.target.value)} aria-label={t('inbox.reason')} />
      <button type="submit" disabled={busy || !assignee.trim()}>{t('inbox.reassignButton')}</button>
    </form>
  );
}

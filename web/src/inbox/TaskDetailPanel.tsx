import { useState } from 'react';
import { tasksApi } from '../api/tasksApi';
import type { TaskDetail } from '../api/tasksTypes';
import { DateTimeText } from '../common/DateTimeText';
import { ErrorBanner } from '../common/ErrorBanner';
import { Loading } from '../common/Loading';
import { StatusBadge } from '../common/StatusBadge';
import { useAsync } from '../common/useAsync';
import { useI18n } from '../i18n/I18nProvider';
import { Link } from '../routing/router';
import { AccountContext } from './AccountContext';
import { CompleteTaskForm } from './CompleteTaskForm';
import { ReassignTaskForm } from './ReassignTaskForm';
import { SnoozeTaskForm } from './SnoozeTaskForm';
import { TaskChecklist } from './TaskChecklist';
import { TaskComments } from './TaskComments';
import { TaskHistory } from './TaskHistory';

/** One task: what to do, the four things a CSM can do about it, and the account it is for. */
export function TaskDetailPanel({ taskId, onChanged }: { taskId: string; onChanged: () => void }) {
  const { t, tOr } = useI18n();
  const loaded = useAsync(() => tasksApi.get(taskId), [taskId]);
  const [detail, setDetail] = useState<TaskDetail | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const current = detail?.task.id === taskId ? detail : loaded.data;

  const act = async (action: () => Promise<TaskDetail | void>) => {
    setBusy(true);
    setError(null);
    try {
      const next = await action();
      if (next) setDetail(next);
      else setDetail(await tasksApi.get(taskId));
      onChanged();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  if (!current) return loaded.error ? <ErrorBanner error={loaded.error} /> : <Loading />;
  const task = current.task;
  const active = task.status === 'open' || task.status === 'snoozed';
  return (
    <>
    <article className="task-detail" data-testid="task-detail" data-task-status={task.status}>
      <header>
        <h2>{task.title}</h2>
        <div className="row">
          <StatusBadge status={task.status} />
          {task.overdue && <span className="status-badge status-overdue">{t('inbox.overdue')}</span>}
          <span className={`priority priority-${task.priority}`}>{tOr(`option.${task.priority}`, task.priority)}</span>
        </div>
      </header>
      {task.description && <p className="task-description">{task.description}</p>}
      <dl className="facts">
        <dt>{t('inbox.due')}</dt><dd><DateTimeText value={task.dueAt} /></dd>
        {task.snoozedUntil && <><dt>{t('inbox.snoozedUntil')}</dt><dd><DateTimeText value={task.snoozedUntil} /></dd></>}
        <dt>{t('inbox.assignee')}</dt><dd>{task.assignee ?? '—'}</dd>
        <dt>{t('inbox.playbook')}</dt>
        <dd>{task.playbookName} · <Link to={`/runs/${encodeURIComponent(task.instanceId)}`}>{t('inbox.openRun')}</Link></dd>
        {task.outcome && <><dt>{t('inbox.outcome')}</dt><dd><code>{task.outcome}</code> · {task.closedBy} · <DateTimeText value={task.closedAt} /></dd></>}
        {task.note && <><dt>{t('inbox.note')}</dt><dd>{task.note}</dd></>}
      </dl>
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      <TaskChecklist items={current.checklist} disabled={!active || busy} onTick={(item, done) => act(() => tasksApi.tick(task.id, item, done))} />
      {active && (
        <div className="task-actions">
          <CompleteTaskForm key={task.id} task={task} busy={busy} onComplete={(outcome, note) => act(() => tasksApi.complete(task.id, outcome, note))} />
          <SnoozeTaskForm busy={busy} onSnooze={(until) => act(() => tasksApi.snooze(task.id, until.toISOString()))} />
          <ReassignTaskForm busy={busy} onReassign={(assignee, reason) => act(() => tasksApi.reassign(task.id, assignee, reason))} />
        </div>
      )}
      <TaskComments comments={current.comments} busy={busy} onComment={(text) => act(async () => { await tasksApi.comment(task.id, text); })} />
      <TaskHistory history={current.history} />
    </article>
    <AccountContext accountId={task.accountId} />
    </>
  );
}

import { ApiError } from '../api/http';
import { tasksApi } from '../api/tasksApi';
import { DateTimeText } from '../common/DateTimeText';
import { StatusBadge } from '../common/StatusBadge';
import { useAsync } from '../common/useAsync';
import { useT } from '../i18n/I18nProvider';
import { Link } from '../routing/router';

/** The tasks this run created (GET /api/tasks?instance=…), with who has them and how they ended. */
export function RunTasks({ instanceId, refreshKey }: { instanceId: string; refreshKey: string }) {
  const t = useT();
  const tasks = useAsync(() => tasksApi.list({ instance: instanceId, sort: 'created', pageSize: 200 }), [instanceId, refreshKey]);
  if (tasks.error instanceof ApiError && tasks.error.status === 404) return null;
  if (!tasks.data || tasks.data.items.length === 0) return <p className="muted">{t('runs.noTasks')}</p>;
  return (
    <ul className="run-tasks" data-testid="run-tasks">
      {tasks.data.items.map((task) => (
        <li key={task.id}>
          <Link to={`/inbox/${encodeURIComponent(task.id)}`}>{task.title}</Link>
          <div className="row small">
            <StatusBadge status={task.status} />
            {task.overdue && <span className="status-badge status-overdue">{t('inbox.overdue')}</span>}
            {task.outcome && <code>{task.outcome}</code>}
            <span className="muted">{task.assignee ?? '—'}</span>
            {task.dueAt && <span className="muted">{t('inbox.due')} <DateTimeText value={task.dueAt} /></span>}
          </div>
        </li>
      ))}
    </ul>
  );
}

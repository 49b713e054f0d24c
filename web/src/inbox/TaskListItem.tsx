import { memo } from 'react';
import type { TaskSummary } from '../api/tasksTypes';
import { DateTimeText } from '../common/DateTimeText';
import { useI18n } from '../i18n/I18nProvider';

export const TaskListItem = memo(function TaskListItem({ task, selected, onSelect }: { task: TaskSummary; selected: boolean; onSelect: (id: string) => void }) {
  const { t, tOr } = useI18n();
  const classes = ['task-item'];
  if (selected) classes.push('selected');
  if (task.overdue) classes.push('overdue');
  return (
    <li>
      <button type="button" className={classes.join(' ')} onClick={() => onSelect(task.id)} aria-current={selected ? 'true' : undefined} data-task-id={task.id}>
        <span className="task-item-title">{task.title}</span>
        <span className="task-item-meta">
          {task.accountName} · {task.playbookName}
        </span>
        <span className="task-item-badges">
          {task.overdue && <span className="status-badge status-overdue">{t('inbox.overdue')}</span>}
          {task.status !== 'open' && <span className={`status-badge status-${task.status}`}>{tOr(`status.${task.status}`, task.status)}</span>}
          <span className={`priority priority-${task.priority}`}>{tOr(`option.${task.priority}`, task.priority)}</span>
          {task.dueAt && <span className="muted small">{t('inbox.due')} <DateTimeText value={task.dueAt} /></span>}
        </span>
      </button>
    </li>
  );
});

import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError } from '../api/http';
import { followTasks } from '../api/taskFeed';
import { tasksApi } from '../api/tasksApi';
import { EmptyState } from '../common/EmptyState';
import { ErrorBanner } from '../common/ErrorBanner';
import { Loading } from '../common/Loading';
import { useAsync } from '../common/useAsync';
import { useT } from '../i18n/I18nProvider';
import { navigate } from '../routing/router';
import { useSession } from '../session/SessionProvider';
import { TaskDetailPanel } from './TaskDetailPanel';
import { TaskListItem } from './TaskListItem';
import { sortInbox } from './taskOrder';

type Show = 'active' | 'done';

const refreshMs = 30_000;
const refollowMs = 5_000;

/** The signed-in CSM's inbox: their tasks (`assignee=me`, from the token), overdue first; the chosen task beside its account. */
export default function InboxPage({ taskId }: { taskId?: string }) {
  const t = useT();
  const { user } = useSession();
  const [show, setShow] = useState<Show>('active');
  const tasks = useAsync(
    () => (user ? tasksApi.list({ assignee: 'me', status: show === 'active' ? 'open,snoozed' : 'done,cancelled', sort: 'due', pageSize: 200 }) : Promise.resolve(undefined)),
    [user, show],
  );
  const sorted = useMemo(() => (tasks.data ? sortInbox(tasks.data.items) : []), [tasks.data]);
  const selectedId = taskId ?? sorted[0]?.id;
  const select = useCallback((id: string) => navigate(`/inbox/${encodeURIComponent(id)}`), []);
  const { reload } = tasks;
  // New tasks arrive as playbooks run: the task feed says when one of mine is created, and a look every half minute
  // while the page is in view covers a feed that dropped.
  useEffect(() => {
    const timer = setInterval(() => { if (document.visibilityState === 'visible') reload(); }, refreshMs);
    return () => clearInterval(timer);
  }, [reload]);
  useEffect(() => {
    if (!user) return undefined;
    const stop = new AbortController();
    const mine = (assignee: string | null) => assignee?.toLowerCase() === user.toLowerCase();
    void (async () => {
      for (let attempt = 0; !stop.signal.aborted; attempt++) {
        // After a drop, look once: tasks may have come while the feed was away.
        if (attempt > 0) reload();
        await followTasks((task) => { if (mine(task.assignee)) reload(); }, stop.signal).catch(() => undefined);
        if (!stop.signal.aborted) await new Promise((resume) => setTimeout(resume, refollowMs));
      }
    })();
    return () => stop.abort();
  }, [user, reload]);

  const serviceMissing = tasks.error instanceof ApiError && tasks.error.status === 404;
  return (
    <section className="page inbox" data-testid="inbox">
      <div className="page-header">
        <h1>{t('inbox.title', { user })}</h1>
        <div className="segmented" role="radiogroup">
          <button type="button" role="radio" aria-checked={show === 'active'} className={show === 'active' ? 'active' : ''} onClick={() => setShow('active')}>{t('inbox.showActive')}</button>
          <button type="button" role="radio" aria-checked={show === 'done'} className={show === 'done' ? 'active' : ''} onClick={() => setShow('done')}>{t('inbox.showDone')}</button>
        </div>
        <button type="button" onClick={reload}>{t('common.refresh')}</button>
      </div>
      {serviceMissing ? <EmptyState title={t('inbox.serviceMissing')} /> : <ErrorBanner error={tasks.error} />}
      {tasks.loading && !tasks.data && <Loading />}
      {tasks.data && sorted.length === 0 && !taskId && <EmptyState title={show === 'active' ? t('inbox.empty') : t('inbox.emptyDone')} />}
      {(sorted.length > 0 || taskId) && (
        <div className="inbox-layout">
          <ul className="task-list" data-testid="task-list">
            {sorted.map((task) => <TaskListItem key={task.id} task={task} selected={task.id === selectedId} onSelect={select} />)}
            {sorted.length === 0 && <li className="muted small">{show === 'active' ? t('inbox.empty') : t('inbox.emptyDone')}</li>}
          </ul>
          {selectedId && <TaskDetailPanel taskId={selectedId} onChanged={reload} />}
        </div>
      )}
    </section>
  );
}

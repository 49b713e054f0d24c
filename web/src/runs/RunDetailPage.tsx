import { useEffect, useMemo, useState } from 'react';
import { engineApi } from '../api/engineApi';
import type { InstanceView } from '../api/engineTypes';
import { DateTimeText } from '../common/DateTimeText';
import { ErrorBanner } from '../common/ErrorBanner';
import { Loading } from '../common/Loading';
import { StatusBadge } from '../common/StatusBadge';
import { useAsync } from '../common/useAsync';
import { traceRun, type RunStep } from '../designer/model/runTrace';
import { withPositions } from '../designer/model/withPositions';
import { useT } from '../i18n/I18nProvider';
import { Link } from '../routing/router';
import { useSession } from '../session/SessionProvider';
import { JournalTable } from './JournalTable';
import { RunActions } from './RunActions';
import { RunDiagram } from './RunDiagram';
import { RunTasks } from './RunTasks';
import { WaitsList } from './WaitsList';

const pollMs = 4000;

/** One run: its diagram with the path taken, where it waits, its journal, and cancel/retry. */
export default function RunDetailPage({ instanceId }: { instanceId: string }) {
  const t = useT();
  const session = useSession();
  const loaded = useAsync(() => engineApi.instance(instanceId), [instanceId]);
  const [instance, setInstance] = useState<InstanceView | undefined>();
  const [journalActivity, setJournalActivity] = useState<string | null>(null);
  useEffect(() => setInstance(loaded.data), [loaded.data]);

  // A running instance changes as tasks complete and timers fire: look again now and then.
  const { reload } = loaded;
  useEffect(() => {
    if (instance?.status !== 'running') return;
    const timer = setInterval(reload, pollMs);
    return () => clearInterval(timer);
  }, [instance?.status, reload]);

  const version = useAsync(
    async () => (instance ? Promise.all([engineApi.definition(instance.definitionId, instance.version), engineApi.activities()]) : undefined),
    [instance?.definitionId, instance?.version],
  );
  const trace = useMemo(() => {
    if (!instance || !version.data) return undefined;
    const steps = instance.journal.flatMap((entry): RunStep[] => {
      if (entry.activityType === 'Instance' || !entry.activityId) return [];
      if (entry.status === 'faulted') return [{ activityId: entry.activityId, status: 'faulted' }];
      if (entry.status === 'waiting') return [{ activityId: entry.activityId, status: 'waiting' }];
      return [{ activityId: entry.activityId, status: 'completed', outcome: entry.outcome }];
    });
    return traceRun(steps, version.data[0].definition.connections, instance.waits.map((w) => w.activityId));
  }, [instance, version.data]);
  const descriptors = useMemo(() => new Map(version.data?.[1].map((d) => [d.type, d])), [version.data]);
  const definition = useMemo(() => (version.data ? withPositions(version.data[0].definition, descriptors) : undefined), [version.data, descriptors]);

  if (loaded.error && !instance) return <section className="page"><ErrorBanner error={loaded.error} /></section>;
  if (!instance) return <Loading />;
  return (
    <section className="page run-detail" data-testid="run-detail" data-status={instance.status}>
      <div className="page-header">
        <h1>{t('runs.runOf', { playbook: version.data?.[0].definition.name ?? instance.definitionId })}</h1>
        <StatusBadge status={instance.status} />
        {session.can('operateRuns') && <RunActions instance={instance} onChanged={setInstance} />}
      </div>
      <dl className="facts">
        <dt>{t('runs.instance')}</dt><dd><code>{instance.id}</code></dd>
        <dt>{t('runs.playbook')}</dt><dd><Link to={`/designer/${encodeURIComponent(instance.definitionId)}`}>{instance.definitionId}</Link> · {t('playbooks.versionLabel', { version: instance.version })}</dd>
        <dt>{t('runs.account')}</dt><dd><Link to={`/runs?accountId=${encodeURIComponent(instance.accountId)}`}>{instance.accountId}</Link></dd>
        <dt>{t('runs.started')}</dt><dd><DateTimeText value={instance.createdAt} /></dd>
        <dt>{t('runs.ended')}</dt><dd><DateTimeText value={instance.endedAt} />{instance.endReason && <span className="muted"> · {instance.endReason}</span>}</dd>
      </dl>
      {instance.fault && <p className="field-problem" role="alert">{t('runs.faultAt', { activity: instance.fault.activityId ?? '?' })}: {instance.fault.message}</p>}
      <ErrorBanner error={version.error} />
      <div className="run-layout">
        {definition && trace ? <RunDiagram definition={definition} descriptors={descriptors} trace={trace} onSelectActivity={setJournalActivity} /> : <Loading />}
        <aside className="run-side">
          <h2>{t('runs.waitsNow')}</h2>
          <WaitsList waits={instance.waits} />
          <h2>{t('runs.tasks')}</h2>
          <RunTasks instanceId={instance.id} refreshKey={`${instance.updatedAt}|${instance.status}`} />
          <h2>{t('runs.variables')}</h2>
          <pre className="code-block">{JSON.stringify(instance.variables, null, 2)}</pre>
          <div className="legend">
            <span className="legend-item trace-visited">{t('runs.legendVisited')}</span>
            <span className="legend-item trace-waiting">{t('runs.legendWaiting')}</span>
            <span className="legend-item trace-faulted">{t('runs.legendFaulted')}</span>
          </div>
        </aside>
      </div>
      <h2>{t('runs.journal')}</h2>
      <JournalTable journal={instance.journal} activityId={journalActivity} onShowAll={() => setJournalActivity(null)} />
    </section>
  );
}

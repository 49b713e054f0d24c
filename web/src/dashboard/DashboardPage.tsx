import { useMemo, useState } from 'react';
import { engineApi } from '../api/engineApi';
import { EmptyState } from '../common/EmptyState';
import { ErrorBanner } from '../common/ErrorBanner';
import { Loading } from '../common/Loading';
import { useAsync } from '../common/useAsync';
import { useT } from '../i18n/I18nProvider';
import { lastDays, rangeChoices } from './dashboardRange';
import { FunnelPanel } from './FunnelPanel';
import { GoalRatePanel } from './GoalRatePanel';
import { IncidentNoticePanel } from './IncidentNoticePanel';
import { listKpis } from './metricsApi';
import { NotificationsPanel } from './NotificationsPanel';
import { RenewalCoveragePanel } from './RenewalCoveragePanel';
import { RunsByPlaybookChart } from './RunsByPlaybookChart';
import { RunsPanel } from './RunsPanel';
import { TaskOnTimePanel } from './TaskOnTimePanel';

/** CS Ops KPIs from the metrics service (/api/metrics); until a suite has it, the engine's run counts and a clear note. */
export default function DashboardPage() {
  const t = useT();
  const [days, setDays] = useState<number>(30);
  const range = useMemo(() => lastDays(days), [days]);
  const catalogue = useAsync(() => listKpis(), []);
  const playbooks = useAsync(() => engineApi.definitions(true), []);
  const names = useMemo(() => new Map(playbooks.data?.map((p) => [p.definitionId, p.name])), [playbooks.data]);
  const has = (kpi: string) => catalogue.data?.some((k) => k.name === kpi) ?? false;

  return (
    <section className="page dashboard" data-testid="dashboard">
      <div className="page-header">
        <h1>{t('dashboard.title')}</h1>
        {catalogue.data && (
          <div className="segmented" role="radiogroup" aria-label={t('dashboard.range')}>
            {rangeChoices.map((d) => (
              <button key={d} type="button" role="radio" aria-checked={days === d} className={days === d ? 'active' : ''} onClick={() => setDays(d)}>
                {t('dashboard.lastDays', { days: d })}
              </button>
            ))}
          </div>
        )}
      </div>
      <ErrorBanner error={catalogue.error} />
      {catalogue.loading && !catalogue.data && <Loading />}
      {catalogue.data === null && (
        <>
          <EmptyState title={t('dashboard.noMetrics')}><p>{t('dashboard.noMetricsHint')}</p></EmptyState>
          <div className="card-grid">
            <section className="card">
              <h2>{t('dashboard.runsByPlaybook')}</h2>
              <p className="muted small">{t('dashboard.runsByPlaybookHint')}</p>
              <RunsByPlaybookChart />
            </section>
          </div>
        </>
      )}
      {catalogue.data && (
        <div className="card-grid">
          {has('funnel') && playbooks.data && <FunnelPanel range={range} playbooks={playbooks.data} />}
          {has('goals') && <GoalRatePanel range={range} names={names} />}
          {has('tasks') && <TaskOnTimePanel range={range} />}
          {has('renewals') && <RenewalCoveragePanel range={range} />}
          {has('incidents') && <IncidentNoticePanel range={range} />}
          {has('runs') && <RunsPanel range={range} names={names} />}
          {has('notifications') && <NotificationsPanel range={range} />}
        </div>
      )}
    </section>
  );
}

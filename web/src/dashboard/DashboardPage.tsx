import { EmptyState } from '../common/EmptyState';
import { ErrorBanner } from '../common/ErrorBanner';
import { Loading } from '../common/Loading';
import { useAsync } from '../common/useAsync';
import { useT } from '../i18n/I18nProvider';
import { KpiPanel } from './KpiPanel';
import { kpiFamilies, loadKpis } from './metricsApi';
import { RunsByPlaybookChart } from './RunsByPlaybookChart';

/** CS Ops KPIs from /api/metrics (issue 7) where the service serves them, and the engine's run counts meanwhile. */
export default function DashboardPage() {
  const t = useT();
  const kpis = useAsync(() => Promise.all(kpiFamilies.map(loadKpis)), []);
  const available = kpis.data?.filter((k) => k !== null) ?? [];
  return (
    <section className="page dashboard" data-testid="dashboard">
      <div className="page-header"><h1>{t('dashboard.title')}</h1></div>
      <ErrorBanner error={kpis.error} />
      {kpis.loading && !kpis.data && <Loading />}
      {kpis.data && available.length === 0 && (
        <EmptyState title={t('dashboard.noMetrics')}><p>{t('dashboard.noMetricsHint')}</p></EmptyState>
      )}
      <div className="card-grid">
        {available.map((table) => <KpiPanel key={table!.family} table={table!} />)}
        <section className="card">
          <h2>{t('dashboard.runsByPlaybook')}</h2>
          <p className="muted small">{t('dashboard.runsByPlaybookHint')}</p>
          <RunsByPlaybookChart />
        </section>
      </div>
    </section>
  );
}

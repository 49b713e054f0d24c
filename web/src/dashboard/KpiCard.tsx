import type { ReactNode } from 'react';
import { ErrorBanner } from '../common/ErrorBanner';
import { Loading } from '../common/Loading';
import type { AsyncState } from '../common/useAsync';
import { useT } from '../i18n/I18nProvider';
import type { KpiReport } from './metricsApi';

/** One KPI on the dashboard: its title and meaning, then the chart once the figures are in (or why there is none). */
export function KpiCard<F>({ kpi, title, hint, report, children, tools }: {
  kpi: string;
  title: string;
  hint: string;
  report: AsyncState<KpiReport<F>>;
  children: (report: KpiReport<F>) => ReactNode;
  tools?: ReactNode;
}) {
  const t = useT();
  return (
    <section className="card" data-testid={`kpi-${kpi}`}>
      <div className="card-head">
        <h2>{title}</h2>
        {tools}
      </div>
      <p className="muted small">{hint}</p>
      <ErrorBanner error={report.error} />
      {report.loading && !report.data && <Loading />}
      {report.data && report.data.groups.length === 0 && <p className="muted kpi-empty">{t('dashboard.noData')}</p>}
      {report.data && report.data.groups.length > 0 && children(report.data)}
    </section>
  );
}

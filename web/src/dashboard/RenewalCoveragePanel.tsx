import { useMemo } from 'react';
import { useAsync } from '../common/useAsync';
import { useI18n } from '../i18n/I18nProvider';
import { BarChart } from './BarChart';
import { kpiColors } from './colors';
import type { DashboardRange } from './dashboardRange';
import { KpiCard } from './KpiCard';
import { percent, readKpi, type RenewalFigures } from './metricsApi';

/** Per segment: of the accounts renewing in the next 90 days, the share with renewal outreach running or done. */
export function RenewalCoveragePanel({ range }: { range: DashboardRange }) {
  const { t, tOr } = useI18n();
  const report = useAsync(() => readKpi<RenewalFigures>('renewals', { ...range, bucket: 'none', groupBy: 'segment' }), [range.from, range.to]);
  const chart = useMemo(() => report.data && {
    labels: report.data.groups.map((g) => {
      const segment = g.key.segment;
      return `${segment ? tOr(`segment.${segment}`, String(segment)) : t('dashboard.noSegment')} (${g.total.covered}/${g.total.renewing})`;
    }),
    series: [{ label: t('dashboard.coverage'), color: kpiColors.rate, values: report.data.groups.map((g) => percent(g.total.coverage)) }],
  }, [report.data, t, tOr]);
  return (
    <KpiCard kpi="renewals" title={t('dashboard.renewals')} hint={t('dashboard.renewalsHint')} report={report}>
      {() => chart && <BarChart labels={chart.labels} series={chart.series} percent ariaLabel={t('dashboard.renewals')} />}
    </KpiCard>
  );
}

import { useMemo } from 'react';
import { useAsync } from '../common/useAsync';
import { useT } from '../i18n/I18nProvider';
import { BarChart } from './BarChart';
import { kpiColors } from './colors';
import type { DashboardRange } from './dashboardRange';
import { KpiCard } from './KpiCard';
import { groupLabel, readKpi, type IncidentFigures } from './metricsApi';

/** Per severity: minutes from incident.opened to the first notice customers got (median and p90). */
export function IncidentNoticePanel({ range }: { range: DashboardRange }) {
  const t = useT();
  const report = useAsync(() => readKpi<IncidentFigures>('incidents', { ...range, bucket: 'none', groupBy: 'severity' }), [range.from, range.to]);
  const chart = useMemo(() => report.data && {
    labels: report.data.groups.map((g) => `${groupLabel(g.key)} (${g.total.noticed}/${g.total.opened})`),
    series: [
      { label: t('dashboard.median'), color: kpiColors.rate, values: report.data.groups.map((g) => g.total.firstNoticeMedianMinutes ?? 0) },
      { label: t('dashboard.p90'), color: kpiColors.warning, values: report.data.groups.map((g) => g.total.firstNoticeP90Minutes ?? 0) },
    ],
  }, [report.data, t]);
  return (
    <KpiCard kpi="incidents" title={t('dashboard.incidents')} hint={t('dashboard.incidentsHint')} report={report}>
      {() => chart && <BarChart labels={chart.labels} series={chart.series} ariaLabel={t('dashboard.incidents')} />}
    </KpiCard>
  );
}

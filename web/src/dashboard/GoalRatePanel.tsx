import { useMemo } from 'react';
import { useAsync } from '../common/useAsync';
import { useT } from '../i18n/I18nProvider';
import { BarChart } from './BarChart';
import { kpiColors } from './colors';
import type { DashboardRange } from './dashboardRange';
import { KpiCard } from './KpiCard';
import { groupLabel, percent, readKpi, type GoalFigures } from './metricsApi';

/** Of the runs started in the range, the share that reached the playbook's goal in its window. */
export function GoalRatePanel({ range, names }: { range: DashboardRange; names: ReadonlyMap<string, string> }) {
  const t = useT();
  const report = useAsync(() => readKpi<GoalFigures>('goals', { ...range, bucket: 'none', groupBy: 'playbook' }), [range.from, range.to]);
  const chart = useMemo(() => report.data && {
    labels: report.data.groups.map((g) => `${groupLabel(g.key, names)} (${g.total.goalReached}/${g.total.runsStarted})`),
    series: [{ label: t('dashboard.goalRate'), color: kpiColors.rate, values: report.data.groups.map((g) => percent(g.total.goalRate)) }],
  }, [report.data, names, t]);
  return (
    <KpiCard kpi="goals" title={t('dashboard.goals')} hint={t('dashboard.goalsHint')} report={report}>
      {() => chart && <BarChart labels={chart.labels} series={chart.series} percent ariaLabel={t('dashboard.goals')} />}
    </KpiCard>
  );
}

import { useMemo } from 'react';
import { useAsync } from '../common/useAsync';
import { useT } from '../i18n/I18nProvider';
import { BarChart } from './BarChart';
import { kpiColors } from './colors';
import type { DashboardRange } from './dashboardRange';
import { KpiCard } from './KpiCard';
import { groupLabel, percent, readKpi, type TaskFigures } from './metricsApi';

/** Per CSM: the share of tasks with a due date done by it. */
export function TaskOnTimePanel({ range }: { range: DashboardRange }) {
  const t = useT();
  const report = useAsync(() => readKpi<TaskFigures>('tasks', { ...range, bucket: 'none', groupBy: 'csm' }), [range.from, range.to]);
  const chart = useMemo(() => report.data && {
    labels: report.data.groups.map((g) => `${groupLabel(g.key, undefined, t('dashboard.unassigned'))} (${g.total.completedOnTime}/${g.total.completedWithDue})`),
    series: [{ label: t('dashboard.onTimeRate'), color: kpiColors.rate, values: report.data.groups.map((g) => percent(g.total.onTimeRate)) }],
  }, [report.data, t]);
  return (
    <KpiCard kpi="tasks" title={t('dashboard.tasks')} hint={t('dashboard.tasksHint')} report={report}>
      {() => chart && <BarChart labels={chart.labels} series={chart.series} percent horizontal ariaLabel={t('dashboard.tasks')} />}
    </KpiCard>
  );
}

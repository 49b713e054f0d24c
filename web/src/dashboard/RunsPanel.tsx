import { useMemo } from 'react';
import { useAsync } from '../common/useAsync';
import { useT } from '../i18n/I18nProvider';
import { BarChart } from './BarChart';
import { kpiColors } from './colors';
import type { DashboardRange } from './dashboardRange';
import { KpiCard } from './KpiCard';
import { groupLabel, readKpi, type KpiReport, type RunFigures } from './metricsApi';

const outcomes = ['completed', 'exited', 'faulted', 'cancelled'] as const;

/** Runs started in the range per playbook, and how they ended. */
export function RunsPanel({ range, names }: { range: DashboardRange; names: ReadonlyMap<string, string> }) {
  const t = useT();
  const report = useAsync(() => readKpi<RunFigures>('runs', { ...range, bucket: 'none', groupBy: 'playbook' }), [range.from, range.to]);
  return (
    <KpiCard kpi="runs" title={t('dashboard.runs')} hint={t('dashboard.runsHint')} report={report}>
      {(r) => <RunsChart report={r} names={names} />}
    </KpiCard>
  );
}

function RunsChart({ report, names }: { report: KpiReport<RunFigures>; names: ReadonlyMap<string, string> }) {
  const t = useT();
  const labels = useMemo(() => report.groups.map((g) => groupLabel(g.key, names)), [report, names]);
  const series = useMemo(() => [
    { label: t('dashboard.started'), color: kpiColors.started, values: report.groups.map((g) => g.total.started) },
    ...outcomes.map((o) => ({ label: t(`status.${o}`), color: kpiColors[o], values: report.groups.map((g) => g.total[o]) })),
  ], [report, t]);
  return <BarChart labels={labels} series={series} ariaLabel={t('dashboard.runs')} />;
}

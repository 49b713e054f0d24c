import { useMemo, useState } from 'react';
import { engineApi } from '../api/engineApi';
import type { DefinitionSummary } from '../api/engineTypes';
import { useAsync } from '../common/useAsync';
import { useI18n } from '../i18n/I18nProvider';
import { BarChart } from './BarChart';
import { kpiColors } from './colors';
import type { DashboardRange } from './dashboardRange';
import { KpiCard } from './KpiCard';
import { readKpi, type FunnelFigures } from './metricsApi';

/** How many runs of one playbook reached each step, and how many stopped there. */
export function FunnelPanel({ range, playbooks }: { range: DashboardRange; playbooks: DefinitionSummary[] }) {
  const { t, tOr } = useI18n();
  const [chosen, setChosen] = useState('');
  const playbook = chosen || playbooks[0]?.definitionId || '';
  const report = useAsync(
    () => readKpi<FunnelFigures>('funnel', { ...range, bucket: 'none', groupBy: 'playbook', playbook: playbook || undefined }),
    [range.from, range.to, playbook],
  );
  const activities = useAsync(() => engineApi.activities(), []);
  const chart = useMemo(() => {
    const steps = report.data?.groups[0]?.total.steps ?? [];
    const typeName = (type: string) => tOr(`activity.${type}`, activities.data?.find((d) => d.type === type)?.displayName ?? type);
    return {
      labels: steps.map((s) => `${s.activityId} (${typeName(s.activityType)})`),
      series: [
        { label: t('dashboard.reached'), color: kpiColors.rate, values: steps.map((s) => s.reached) },
        { label: t('dashboard.dropped'), color: kpiColors.bad, values: steps.map((s) => s.dropped) },
      ],
    };
  }, [report.data, activities.data, t, tOr]);
  const picker = (
    <select value={playbook} onChange={(e) => setChosen(e.target.value)} aria-label={t('runs.playbook')}>
      {playbooks.map((p) => <option key={p.definitionId} value={p.definitionId}>{p.name}</option>)}
    </select>
  );
  return (
    <KpiCard kpi="funnel" title={t('dashboard.funnel')} hint={t('dashboard.funnelHint')} report={report} tools={picker}>
      {() => <BarChart labels={chart.labels} series={chart.series} horizontal ariaLabel={t('dashboard.funnel')} />}
    </KpiCard>
  );
}

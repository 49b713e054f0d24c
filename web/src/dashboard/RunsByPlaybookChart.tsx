import { useMemo } from 'react';
import { engineApi } from '../api/engineApi';
import { ErrorBanner } from '../common/ErrorBanner';
import { Loading } from '../common/Loading';
import { useAsync } from '../common/useAsync';
import { useT } from '../i18n/I18nProvider';
import { runStatuses } from '../runs/runFilters';
import { BarChart, type BarSeries } from './BarChart';

const colors: Record<string, string> = { running: '#2f6fde', completed: '#2e9b5f', exited: '#8a8f98', faulted: '#d64545', cancelled: '#c9a227' };

/** Runs per playbook by status, counted from the engine's own instance list (not a metrics KPI). */
export function RunsByPlaybookChart() {
  const t = useT();
  const counts = useAsync(async () => {
    const playbooks = (await engineApi.definitions(false)).slice(0, 12);
    const totals = await Promise.all(playbooks.map((p) =>
      Promise.all(runStatuses.map((status) => engineApi.instances({ definitionId: p.definitionId, status, take: 1 }).then((page) => page.total)))));
    return { labels: playbooks.map((p) => p.name), totals };
  }, []);
  const series = useMemo<BarSeries[]>(
    () => runStatuses.map((status, i) => ({ label: t(`status.${status}`), color: colors[status], values: counts.data?.totals.map((row) => row[i]) ?? [] })),
    [counts.data, t],
  );
  if (counts.error) return <ErrorBanner error={counts.error} />;
  if (!counts.data) return <Loading />;
  if (counts.data.labels.length === 0 || counts.data.totals.every((row) => row.every((n) => n === 0))) return <p className="muted">{t('dashboard.noRuns')}</p>;
  return <BarChart labels={counts.data.labels} series={series} stacked ariaLabel={t('dashboard.runsByPlaybook')} />;
}

import { useMemo } from 'react';
import { useAsync } from '../common/useAsync';
import { useI18n } from '../i18n/I18nProvider';
import { BarChart } from './BarChart';
import { kpiColors } from './colors';
import type { DashboardRange } from './dashboardRange';
import { KpiCard } from './KpiCard';
import { percent, readKpi, type NotificationFigures } from './metricsApi';

/** Per channel: the share of notifications delivered. */
export function NotificationsPanel({ range }: { range: DashboardRange }) {
  const { t, tOr } = useI18n();
  const report = useAsync(() => readKpi<NotificationFigures>('notifications', { ...range, bucket: 'none', groupBy: 'channel' }), [range.from, range.to]);
  const chart = useMemo(() => report.data && {
    labels: report.data.groups.map((g) => `${tOr(`option.${g.key.channel}`, String(g.key.channel ?? '—'))} (${g.total.sent}/${g.total.sent + g.total.failed})`),
    series: [{ label: t('dashboard.successRate'), color: kpiColors.rate, values: report.data.groups.map((g) => percent(g.total.successRate)) }],
  }, [report.data, t, tOr]);
  return (
    <KpiCard kpi="notifications" title={t('dashboard.notifications')} hint={t('dashboard.notificationsHint')} report={report}>
      {() => chart && <BarChart labels={chart.labels} series={chart.series} percent ariaLabel={t('dashboard.notifications')} />}
    </KpiCard>
  );
}

import { useMemo } from 'react';
import { useT } from '../i18n/I18nProvider';
import { BarChart } from './BarChart';
import type { KpiTable } from './metricsApi';

const palette = ['#2f6fde', '#2e9b5f', '#d64545', '#c9a227', '#8a5cd6', '#1b9aaa'];

export function KpiPanel({ table }: { table: KpiTable }) {
  const t = useT();
  const series = useMemo(() => table.series.map((s, i) => ({ label: s.name, values: s.values, color: palette[i % palette.length] })), [table]);
  return (
    <section className="card" data-testid={`kpi-${table.family}`}>
      <h2>{t(`dashboard.family.${table.family}`)}</h2>
      <BarChart labels={table.labels} series={series} ariaLabel={t(`dashboard.family.${table.family}`)} />
    </section>
  );
}

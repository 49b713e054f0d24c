import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import { useEffect, useRef } from 'react';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

export interface BarSeries {
  label: string;
  values: number[];
  color: string;
}

interface BarChartProps {
  labels: string[];
  series: BarSeries[];
  ariaLabel: string;
  stacked?: boolean;
  /** Values are percentages: the axis runs 0–100 with a % sign. */
  percent?: boolean;
  /** Bars run left to right, for long labels (steps of a funnel, people). */
  horizontal?: boolean;
}

/** A bar chart (chart.js) that redraws when its data changes and is destroyed with the component. */
export function BarChart({ labels, series, ariaLabel, stacked = false, percent = false, horizontal = false }: BarChartProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const valueAxis = { stacked, beginAtZero: true, ...(percent ? { max: 100, ticks: { callback: (v: string | number) => `${v}%` } } : { ticks: { precision: 0 } }) };
    const categoryAxis = { stacked };
    const chart = new Chart(canvas.current, {
      type: 'bar',
      data: { labels, datasets: series.map((s) => ({ label: s.label, data: s.values, backgroundColor: s.color, borderRadius: 3 })) },
      options: {
        indexAxis: horizontal ? 'y' : 'x',
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis },
        plugins: { legend: { position: 'bottom', display: series.length > 1 } },
      },
    });
    return () => chart.destroy();
  }, [labels, series, stacked, percent, horizontal]);
  return <div className="chart-box"><canvas ref={canvas} role="img" aria-label={ariaLabel} /></div>;
}

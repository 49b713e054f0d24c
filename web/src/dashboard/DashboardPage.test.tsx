// @vitest-environment jsdom
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { I18nProvider } from '../i18n/I18nProvider';
import type { BarSeries } from './BarChart';
import DashboardPage from './DashboardPage';

// Charts draw on a canvas jsdom does not have: record what each would draw instead.
const drawn = new Map<string, { labels: string[]; series: BarSeries[]; percent?: boolean }>();
vi.mock('./BarChart', () => ({
  BarChart: (props: { labels: string[]; series: BarSeries[]; ariaLabel: string; percent?: boolean }) => {
    drawn.set(props.ariaLabel, props);
    return <div data-chart={props.ariaLabel} />;
  },
}));

/** Answers as the metrics service (wt-metrics: MetricsApi, KpiReport) and the engine would. */
function serve(routes: Record<string, unknown>) {
  vi.stubGlobal('fetch', vi.fn(async (url: string) => {
    const path = url.split('?')[0];
    const body = routes[path];
    return body === undefined
      ? new Response(JSON.stringify({ title: 'Unknown API' }), { status: 404 })
      : new Response(JSON.stringify(body), { status: 200 });
  }));
}

const report = (kpi: string, groupBy: string[], groups: unknown[]) => ({ kpi, from: '2026-10-24', to: '2026-11-22', bucket: 'none', groupBy, groups });
const kpis = ['runs', 'funnel', 'goals', 'tasks', 'renewals', 'incidents', 'notifications']
  .map((name) => ({ name, summary: '', groupings: [], defaultGroupBy: [], parameters: [], path: `/api/metrics/kpis/${name}` }));

afterEach(() => { cleanup(); vi.unstubAllGlobals(); drawn.clear(); });

describe('DashboardPage', () => {
  it('says clearly that there are no KPIs while the suite has no metrics API', async () => {
    serve({ '/api/engine/definitions': [], '/api/engine/instances': { items: [], total: 0, skip: 0, take: 1 } });
    render(<I18nProvider locale="en"><DashboardPage /></I18nProvider>);
    expect(await screen.findByText('No KPIs yet')).toBeTruthy();
  });

  it('charts goal rates, on-time rates and coverage from the KPI reports, as percentages with their counts', async () => {
    serve({
      '/api/metrics/kpis': kpis,
      '/api/engine/definitions': [{ definitionId: 'kickoff', name: 'Kickoff', status: 'published', publishedVersion: 1, latestVersion: 1, runningInstances: 0, lastChange: '2026-11-22T00:00:00Z' }],
      '/api/metrics/kpis/goals': report('goals', ['playbook'], [{ key: { playbook: 'kickoff' }, total: { runsStarted: 8, goalReached: 6, goalRate: 0.75 }, buckets: [] }]),
      '/api/metrics/kpis/tasks': report('tasks', ['csm'], [
        { key: { csm: 'aiko@example.com' }, total: { created: 5, completed: 4, completedWithDue: 4, completedOnTime: 3, onTimeRate: 0.75, overdue: 1 }, buckets: [] },
        { key: { csm: null }, total: { created: 1, completed: 0, completedWithDue: 0, completedOnTime: 0, onTimeRate: null, overdue: 0 }, buckets: [] },
      ]),
      '/api/metrics/kpis/renewals': report('renewals', ['segment'], [{ key: { segment: 'enterprise' }, total: { asOf: '2026-11-22', renewing: 4, covered: 3, coverage: 0.75 }, buckets: [] }]),
      '/api/metrics/kpis/funnel': report('funnel', ['playbook'], [{ key: { playbook: 'kickoff' }, total: { runsStarted: 8, steps: [
        { activityId: 'start', activityType: 'Start', reached: 8, reachedRate: 1, dropped: 0 },
        { activityId: 'kickoff', activityType: 'CreateTask', reached: 8, reachedRate: 1, dropped: 2 },
      ] }, buckets: [] }]),
      '/api/metrics/kpis/runs': report('runs', ['playbook'], []),
      '/api/engine/activities': [{ type: 'Start', displayName: 'Start' }, { type: 'CreateTask', displayName: 'Create task' }],
      '/api/metrics/kpis/incidents': report('incidents', ['severity'], [{ key: { severity: 'sev1' }, total: { opened: 2, noticed: 2, firstNoticeMedianMinutes: 12.5, firstNoticeP90Minutes: 30, cadenceAdherence: 1 }, buckets: [] }]),
      '/api/metrics/kpis/notifications': report('notifications', ['channel'], [{ key: { channel: 'email' }, total: { sent: 9, failed: 1, successRate: 0.9 }, buckets: [] }]),
    });
    render(<I18nProvider locale="en"><DashboardPage /></I18nProvider>);
    await waitFor(() => expect(drawn.size).toBe(6));
    expect(drawn.get('Goal rate per playbook')).toMatchObject({ labels: ['Kickoff (6/8)'], percent: true });
    expect(drawn.get('Goal rate per playbook')!.series[0].values).toEqual([75]);
    expect(drawn.get('Task on-time rate per CSM')!.labels).toEqual(['aiko@example.com (3/4)', 'Unassigned (0/0)']);
    expect(drawn.get('Renewal outreach coverage')!.series[0].values).toEqual([75]);
    expect(drawn.get('Playbook funnel')!.labels).toEqual(['start (Start)', 'kickoff (Create task)']);
    expect(drawn.get('Incident first-notice time')!.series.map((s) => s.values)).toEqual([[12.5], [30]]);
    expect(drawn.get('Notification delivery')!.series[0].values).toEqual([90]);
    expect(screen.getByTestId('kpi-runs').textContent).toContain('No data in this range yet.');
  });
});

import { ApiError, get, query } from '../api/http';

/** The metrics service's API (/api/metrics, issue 7): a catalogue of KPIs, each read over a range, grouped and bucketed. */

export interface KpiInfo {
  name: string;
  summary: string;
  groupings: string[];
  defaultGroupBy: string[];
  parameters: string[];
  path: string;
}

export type GroupKey = Record<string, string | number | null>;

export interface KpiGroup<F> {
  key: GroupKey;
  total: F;
  buckets: { start: string; figures: F }[];
}

export interface KpiReport<F> {
  kpi: string;
  from: string;
  to: string;
  bucket: string;
  groupBy: string[];
  groups: KpiGroup<F>[];
}

export interface RunFigures { started: number; completed: number; exited: number; faulted: number; cancelled: number; durationMedianMs: number | null }
export interface GoalFigures { runsStarted: number; goalReached: number; goalRate: number | null }
export interface FunnelFigures { runsStarted: number; steps: { activityId: string; activityType: string; reached: number; reachedRate: number | null; dropped: number }[] }
export interface TaskFigures { created: number; completed: number; completedWithDue: number; completedOnTime: number; onTimeRate: number | null; overdue: number }
export interface RenewalFigures { asOf: string; renewing: number; covered: number; coverage: number | null }
export interface IncidentFigures { opened: number; noticed: number; firstNoticeMedianMinutes: number | null; firstNoticeP90Minutes: number | null; cadenceAdherence: number | null }
export interface NotificationFigures { sent: number; failed: number; successRate: number | null }

export interface KpiQuery {
  from: string;
  to: string;
  bucket?: 'day' | 'week' | 'none';
  groupBy?: string;
  playbook?: string;
}

/** The KPI catalogue, or null while this suite has no metrics API (the gateway answers 404). */
export async function listKpis(): Promise<KpiInfo[] | null> {
  try {
    return await get<KpiInfo[]>('/api/metrics/kpis');
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

export const readKpi = <F>(name: string, q: KpiQuery) => get<KpiReport<F>>(`/api/metrics/kpis/${encodeURIComponent(name)}${query({ ...q })}`);

/** A group's label: its key values joined ("kickoff · v2"), with `names` turning playbook ids into names. */
export function groupLabel(key: GroupKey, names: ReadonlyMap<string, string> = new Map(), none = '—'): string {
  const parts = Object.entries(key).map(([grouping, value]) => {
    if (value === null || value === undefined) return none;
    if (grouping === 'playbook') return names.get(String(value)) ?? String(value);
    if (grouping === 'version') return `v${value}`;
    return String(value);
  });
  return parts.length ? parts.join(' · ') : none;
}

/** Rates come as fractions (0.8125); charts show percentages. */
export const percent = (rate: number | null | undefined): number => (rate === null || rate === undefined ? 0 : Math.round(rate * 1000) / 10);

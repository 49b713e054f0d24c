import { ApiError, get } from '../api/http';

/** The KPI families of issue 7, each served under /api/metrics/{family} once the metrics service has them. */
export const kpiFamilies = ['playbooks', 'tasks', 'renewals', 'incidents', 'notifications'] as const;
export type KpiFamily = (typeof kpiFamilies)[number];

export interface KpiTable {
  family: KpiFamily;
  labels: string[];
  series: { name: string; values: number[] }[];
}

/** One family's figures, or null while the service does not serve it (404). */
export async function loadKpis(family: KpiFamily): Promise<KpiTable | null> {
  try {
    return toTable(family, await get<unknown>(`/api/metrics/${family}`));
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 501 || e.status === 502 || e.status === 503)) return null;
    throw e;
  }
}

/**
 * Reads whatever list of rows the answer holds (an array, or `items`/`rows`/`groups`): the first text field of a row
 * is its label, every numeric field a series. Until the metrics API is settled, this keeps the dashboard useful
 * without guessing each KPI's exact shape.
 */
export function toTable(family: KpiFamily, payload: unknown): KpiTable | null {
  const rows = findRows(payload);
  if (!rows || rows.length === 0) return null;
  const numericKeys = Object.keys(rows[0]).filter((k) => rows.some((r) => typeof r[k] === 'number'));
  const labelKey = Object.keys(rows[0]).find((k) => typeof rows[0][k] === 'string');
  if (numericKeys.length === 0) return null;
  return {
    family,
    labels: rows.map((r, i) => (labelKey ? String(r[labelKey]) : String(i + 1))),
    series: numericKeys.map((name) => ({ name, values: rows.map((r) => (typeof r[name] === 'number' ? (r[name] as number) : 0)) })),
  };
}

function findRows(payload: unknown): Record<string, unknown>[] | null {
  if (Array.isArray(payload)) return payload.filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null);
  if (typeof payload === 'object' && payload !== null) {
    for (const key of ['items', 'rows', 'groups', 'buckets', 'data']) {
      const value = (payload as Record<string, unknown>)[key];
      if (Array.isArray(value)) return findRows(value);
    }
  }
  return null;
}

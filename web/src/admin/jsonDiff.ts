/**
 * What changed between two JSON values (an audit entry's before and after), as a list of leaf paths. Arrays whose
 * items all carry a distinct string `id` (a playbook's activities) are matched by id, so inserting a step shows as
 * one added step, not every later step changed.
 */

export type ChangeKind = 'added' | 'removed' | 'changed';

export interface JsonChange {
  /** `activities[id=welcome].inputs.title`, `triggers[0].kind`, or '' for the whole value. */
  path: string;
  kind: ChangeKind;
  before?: unknown;
  after?: unknown;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function idKeyed(items: unknown[]): Map<string, unknown> | null {
  if (items.length === 0) return null;
  const byId = new Map<string, unknown>();
  for (const item of items) {
    if (!isObject(item) || typeof item.id !== 'string' || byId.has(item.id)) return null;
    byId.set(item.id, item);
  }
  return byId;
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

function walk(path: string, before: unknown, after: unknown, out: JsonChange[]): void {
  if (before === undefined && after === undefined) return;
  if (before === undefined) { out.push({ path, kind: 'added', after }); return; }
  if (after === undefined) { out.push({ path, kind: 'removed', before }); return; }
  if (Array.isArray(before) && Array.isArray(after)) {
    const beforeIds = idKeyed(before);
    const afterIds = idKeyed(after);
    if (beforeIds && afterIds) {
      for (const [id, item] of beforeIds) walk(`${path}[id=${id}]`, item, afterIds.get(id), out);
      for (const [id, item] of afterIds) if (!beforeIds.has(id)) walk(`${path}[id=${id}]`, undefined, item, out);
      return;
    }
    for (let i = 0; i < Math.max(before.length, after.length); i++) walk(`${path}[${i}]`, before[i], after[i], out);
    return;
  }
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    for (const key of keys) walk(join(path, key), before[key], after[key], out);
    return;
  }
  if (!Object.is(before, after) && JSON.stringify(before) !== JSON.stringify(after)) out.push({ path, kind: 'changed', before, after });
}

/** The changes from `before` to `after`; null on either side (nothing before a creation) counts as absent. */
export function diffJson(before: unknown, after: unknown): JsonChange[] {
  const out: JsonChange[] = [];
  walk('', before ?? undefined, after ?? undefined, out);
  return out;
}

/** A value as one short line for the diff table. */
export function showValue(value: unknown, max = 200): string {
  if (value === undefined) return '';
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

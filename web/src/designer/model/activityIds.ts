import type { ActivityNode } from '../../api/engineTypes';

/** A readable, unique id for a new activity: `createTask`, then `createTask2`, … */
export function newActivityId(type: string, activities: readonly ActivityNode[]): string {
  const base = type.charAt(0).toLowerCase() + type.slice(1);
  const taken = new Set(activities.map((a) => a.id));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}${n}`)) return `${base}${n}`;
}

/** Activity ids are referenced by connections and expressions (`outputs.id`): keep them identifier-like. */
export const activityIdPattern = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;

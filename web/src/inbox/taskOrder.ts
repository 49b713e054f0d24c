import type { TaskSummary } from '../api/tasksTypes';

const priorityRank: Record<string, number> = { urgent: 0, high: 1, normal: 2, low: 3 };

/** The inbox order: overdue first, then soonest due (undated last), then most urgent, then oldest. */
export function compareTasks(a: TaskSummary, b: TaskSummary): number {
  if (a.overdue !== b.overdue) return a.overdue ? -1 : 1;
  const dueA = a.dueAt ? Date.parse(a.dueAt) : Number.POSITIVE_INFINITY;
  const dueB = b.dueAt ? Date.parse(b.dueAt) : Number.POSITIVE_INFINITY;
  if (dueA !== dueB) return dueA - dueB;
  const rank = (priorityRank[a.priority] ?? 9) - (priorityRank[b.priority] ?? 9);
  if (rank !== 0) return rank;
  return Date.parse(a.createdAt) - Date.parse(b.createdAt);
}

export const sortInbox = (tasks: readonly TaskSummary[]): TaskSummary[] => [...tasks].sort(compareTasks);

/** The Tasks service's JSON shapes (services/Tasks). */

export type TaskStatus = 'open' | 'snoozed' | 'done' | 'cancelled';

export interface TaskSummary {
  id: string;
  title: string;
  description: string | null;
  status: TaskStatus;
  overdue: boolean;
  priority: string;
  assignee: string | null;
  team: string | null;
  dueAt: string | null;
  snoozedUntil: string | null;
  outcomes: string[];
  accountId: string;
  accountName: string;
  instanceId: string;
  activityId: string;
  definitionId: string;
  definitionVersion: number;
  playbookName: string;
  outcome: string | null;
  note: string | null;
  closedBy: string | null;
  closedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ChecklistItem {
  item: number;
  text: string;
  done: boolean;
  doneBy: string | null;
  doneAt: string | null;
}

export interface TaskComment {
  id: number;
  author: string;
  text: string;
  createdAt: string;
}

export interface TaskHistoryEntry {
  at: string;
  actor: string;
  kind: string;
  detail: string;
  from: string | null;
  to: string | null;
}

export interface TaskDetail {
  task: TaskSummary;
  checklist: ChecklistItem[];
  comments: TaskComment[];
  history: TaskHistoryEntry[];
}

export interface TaskPage {
  items: TaskSummary[];
  total: number;
  page: number;
  pageSize: number;
}

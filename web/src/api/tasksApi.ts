import { get, post, put, query } from './http';
import type { TaskComment, TaskDetail, TaskPage } from './tasksTypes';

const tasks = '/api/tasks';
const id = encodeURIComponent;

/** The acting CSM is the signed-in person: `assignee=me` and every change are theirs, from the bearer token (api/http.ts). */
export const tasksApi = {
  list: (filters: { assignee?: string; status?: string; account?: string; instance?: string; sort?: string; pageSize?: number }) =>
    get<TaskPage>(`${tasks}${query(filters)}`),
  get: (taskId: string) => get<TaskDetail>(`${tasks}/${id(taskId)}`),
  complete: (taskId: string, outcome: string | null, note: string) => post<TaskDetail>(`${tasks}/${id(taskId)}/complete`, { outcome, note }),
  snooze: (taskId: string, until: string) => post<TaskDetail>(`${tasks}/${id(taskId)}/snooze`, { until }),
  reassign: (taskId: string, assignee: string, reason: string) => post<TaskDetail>(`${tasks}/${id(taskId)}/reassign`, { assignee, reason }),
  comment: (taskId: string, text: string) => post<TaskComment>(`${tasks}/${id(taskId)}/comments`, { text }),
  tick: (taskId: string, item: number, done: boolean) => put<TaskDetail>(`${tasks}/${id(taskId)}/checklist/${item}`, { done }),
};

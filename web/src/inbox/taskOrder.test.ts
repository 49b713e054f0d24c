import { describe, expect, it } from 'vitest';
import type { TaskSummary } from '../api/tasksTypes';
import { sortInbox } from './taskOrder';

const task = (id: string, patch: Partial<TaskSummary>): TaskSummary => ({
  id, title: id, description: null, status: 'open', overdue: false, priority: 'normal', assignee: 'a@x', team: null, dueAt: null, snoozedUntil: null,
  outcomes: [], accountId: 'acme', accountName: 'Acme', instanceId: 'i', activityId: 't', definitionId: 'p', definitionVersion: 1, playbookName: 'P',
  outcome: null, note: null, closedBy: null, closedAt: null, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z', ...patch,
});

describe('inbox order', () => {
  it('puts overdue tasks first, then the soonest due, undated last, then the most urgent', () => {
    const sorted = sortInbox([
      task('later', { dueAt: '2026-02-10T00:00:00Z' }),
      task('undated', {}),
      task('overdue-late', { overdue: true, dueAt: '2026-01-05T00:00:00Z' }),
      task('soon', { dueAt: '2026-02-01T00:00:00Z' }),
      task('overdue-early', { overdue: true, dueAt: '2026-01-02T00:00:00Z' }),
      task('undated-urgent', { priority: 'urgent' }),
    ]);
    expect(sorted.map((t) => t.id)).toEqual(['overdue-early', 'overdue-late', 'soon', 'later', 'undated-urgent', 'undated']);
  });
});

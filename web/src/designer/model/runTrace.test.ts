import { describe, expect, it } from 'vitest';
import { traceRun } from './runTrace';

const connections = [
  { from: 'start', outcome: 'Done', to: 'task' },
  { from: 'task', outcome: 'Done', to: 'wait' },
  { from: 'wait', outcome: 'held', to: 'end' },
  { from: 'wait', outcome: 'no-show', to: 'escalate' },
];

describe('traceRun', () => {
  it('marks the steps a finished run took and the outcomes it followed', () => {
    const trace = traceRun([
      { activityId: 'start', status: 'completed', outcome: 'Done' },
      { activityId: 'task', status: 'completed', outcome: 'Done' },
      { activityId: 'wait', status: 'waiting' },
      { activityId: 'wait', status: 'completed', outcome: 'held' },
      { activityId: 'end', status: 'completed', outcome: null },
    ], connections);
    expect([...trace.nodes]).toEqual([['start', 'visited'], ['task', 'visited'], ['wait', 'visited'], ['end', 'visited']]);
    expect([...trace.edges].sort()).toEqual(['start\u2192Done\u2192task', 'task\u2192Done\u2192wait', 'wait\u2192held\u2192end']);
  });

  it('shows where a run waits now and where it failed', () => {
    const trace = traceRun([
      { activityId: 'start', status: 'completed', outcome: 'Done' },
      { activityId: 'task', status: 'faulted' },
    ], connections, ['wait']);
    expect(trace.nodes.get('task')).toBe('faulted');
    expect(trace.nodes.get('wait')).toBe('waiting');
    expect(trace.edges.has('task\u2192Done\u2192wait')).toBe(false);
  });
});

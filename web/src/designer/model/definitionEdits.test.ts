import { describe, expect, it } from 'vitest';
import type { PlaybookDefinition } from '../../api/engineTypes';
import { connect, removeActivities, renameActivity } from './definitionEdits';

const base: PlaybookDefinition = {
  definitionId: 'p', name: 'P', tags: [], triggers: [], variables: [],
  activities: [
    { id: 'start', type: 'Start', inputs: {} },
    { id: 'call', type: 'CreateTask', inputs: {} },
    { id: 'wait', type: 'WaitForTask', inputs: { task: 'call' } },
  ],
  connections: [{ from: 'start', outcome: 'Done', to: 'call' }, { from: 'call', outcome: 'Done', to: 'wait' }],
};

describe('definition edits', () => {
  it('renames an activity with its connections and the tasks that name it', () => {
    const next = renameActivity(base, 'call', 'kickoffCall');
    expect(next.activities.map((a) => a.id)).toEqual(['start', 'kickoffCall', 'wait']);
    expect(next.activities[2].inputs.task).toBe('kickoffCall');
    expect(next.connections).toEqual([{ from: 'start', outcome: 'Done', to: 'kickoffCall' }, { from: 'kickoffCall', outcome: 'Done', to: 'wait' }]);
    expect(next.activities[0]).toBe(base.activities[0]);
  });

  it('refuses a rename onto an id in use', () => {
    expect(renameActivity(base, 'call', 'wait')).toBe(base);
  });

  it('removes activities with every connection touching them', () => {
    const next = removeActivities(base, new Set(['call']));
    expect(next.activities.map((a) => a.id)).toEqual(['start', 'wait']);
    expect(next.connections).toEqual([]);
  });

  it('adds a connection once, and never from a step to itself', () => {
    const edge = { from: 'wait', outcome: 'Timeout', to: 'start' };
    const once = connect(base, edge);
    expect(connect(once, edge)).toBe(once);
    expect(connect(base, { from: 'call', outcome: 'Done', to: 'call' })).toBe(base);
  });
});

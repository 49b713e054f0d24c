import { describe, expect, it } from 'vitest';
import type { PlaybookDefinition } from '../../api/engineTypes';
import { indexProblems } from './problems';

const definition: PlaybookDefinition = {
  definitionId: 'p', name: 'P', tags: [], triggers: [], variables: [],
  activities: [{ id: 'start', type: 'Start', inputs: {} }, { id: 'call', type: 'CreateTask', inputs: {} }, { id: 'wait', type: 'WaitForTask', inputs: {} }],
  connections: [{ from: 'start', outcome: 'Done', to: 'call' }, { from: 'call', outcome: 'Nope', to: 'wait' }],
};

describe('indexProblems', () => {
  it('maps $.activities[i] to the i-th activity and its input', () => {
    const index = indexProblems([{ path: '$.activities[1].inputs.title', message: 'CreateTask needs title' }], definition);
    expect(index.byActivity.get('call')?.map((p) => p.message)).toEqual(['CreateTask needs title']);
    expect(index.byInput.get('call.title')).toEqual(['CreateTask needs title']);
  });

  it('puts activity-level problems on the node without an input', () => {
    const index = indexProblems([{ path: '$.activities[2].inputs', message: "'task' must name a CreateTask" }], definition);
    expect(index.byActivity.get('wait')).toHaveLength(1);
    expect(index.byInput.size).toBe(0);
  });

  it('puts a connection problem on the step it leaves from', () => {
    const index = indexProblems([{ path: '$.connections[1].outcome', message: 'no outcome Nope' }], definition);
    expect(index.byActivity.get('call')?.[0].message).toBe('no outcome Nope');
  });

  it('keeps playbook-level problems apart', () => {
    const index = indexProblems([{ path: '$.triggers[0].eventType', message: 'needs the event type' }, { path: '$.activities', message: 'Add a Start' }], definition);
    expect(index.playbook.map((p) => p.path)).toEqual(['$.triggers[0].eventType', '$.activities']);
    expect(index.byActivity.size).toBe(0);
  });
});

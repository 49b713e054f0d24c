import type { PlaybookDefinition } from '../api/engineTypes';

/** A new playbook starts as Start → End, a manual trigger and one run per account at a time. */
export function newPlaybook(definitionId: string, name: string, description: string): PlaybookDefinition {
  return {
    definitionId,
    name,
    description: description || null,
    tags: [],
    triggers: [{ kind: 'manual' }],
    enrolment: { maxActivePerAccount: 1, exitOn: [] },
    goal: null,
    variables: [],
    activities: [
      { id: 'start', type: 'Start', displayName: null, inputs: {}, position: { x: 0, y: 0 } },
      { id: 'end', type: 'End', displayName: null, inputs: {}, position: { x: 0, y: 160 } },
    ],
    connections: [{ from: 'start', outcome: 'Done', to: 'end' }],
  };
}

import { describe, expect, it } from 'vitest';
import type { ActivityDescriptor, PlaybookDefinition } from '../../api/engineTypes';
import { moveActivities, setInput } from './definitionEdits';
import { FlowElementCache, type FlowInputs } from './flowElements';

const descriptors = new Map<string, ActivityDescriptor>([
  ['Start', { type: 'Start', category: 'Flow', displayName: 'Start', description: '', outcomes: ['Done'], dynamicOutcomes: null, canWait: false, inputs: [] }],
  ['CreateTask', { type: 'CreateTask', category: 'Tasks', displayName: 'Create task', description: '', outcomes: ['Done'], dynamicOutcomes: null, canWait: false, inputs: [] }],
  ['WaitForTask', { type: 'WaitForTask', category: 'Tasks', displayName: 'Wait for task', description: '', outcomes: ['Overdue', 'Timeout'], dynamicOutcomes: 'x', canWait: true, inputs: [] }],
]);

function chain(count: number): PlaybookDefinition {
  const activities = [{ id: 'start', type: 'Start', inputs: {}, position: { x: 0, y: 0 } }];
  const connections = [];
  for (let i = 1; i < count; i++) {
    activities.push({ id: `task${i}`, type: 'CreateTask', inputs: { outcomes: ['done'] }, position: { x: 0, y: i * 100 } });
    connections.push({ from: i === 1 ? 'start' : `task${i - 1}`, outcome: 'Done', to: `task${i}` });
  }
  return { definitionId: 'chain', name: 'Chain', tags: [], triggers: [], variables: [], activities, connections };
}

const inputs = (definition: PlaybookDefinition, extra: Partial<FlowInputs> = {}): FlowInputs =>
  ({ definition, descriptors, problems: new Map(), selectedNodes: new Set(), selectedEdges: new Set(), ...extra });

describe('FlowElementCache', () => {
  it('hands React Flow a new object only for the node that moved (200 nodes)', () => {
    const cache = new FlowElementCache();
    const before = chain(200);
    const first = cache.nodes(inputs(before));
    const after = moveActivities(before, new Map([['task100', { x: 40, y: 10_000 }]]));
    const second = cache.nodes(inputs(after));
    const changed = second.filter((n, i) => n !== first[i]).map((n) => n.id);
    expect(changed).toEqual(['task100']);
    expect(second[100].position).toEqual({ x: 40, y: 10_000 });
  });

  it('returns the very same arrays when nothing changed', () => {
    const cache = new FlowElementCache();
    const definition = chain(20);
    const nodes = cache.nodes(inputs(definition));
    const edges = cache.edges(inputs(definition));
    expect(cache.nodes(inputs({ ...definition }))).toBe(nodes);
    expect(cache.edges(inputs({ ...definition }))).toBe(edges);
  });

  it("updates a WaitForTask's ports when its CreateTask's outcomes change", () => {
    const cache = new FlowElementCache();
    const definition: PlaybookDefinition = {
      ...chain(2),
      activities: [...chain(2).activities, { id: 'wait', type: 'WaitForTask', inputs: { task: 'task1' }, position: { x: 0, y: 300 } }],
    };
    const first = cache.nodes(inputs(definition));
    expect(first[2].data.outcomes.map((o) => o.name)).toEqual(['done', 'Overdue', 'Timeout']);
    const next = setInput(definition, 'task1', 'outcomes', ['held', 'no-show']);
    const second = cache.nodes(inputs(next));
    expect(second[2].data.outcomes.map((o) => o.name)).toEqual(['held', 'no-show', 'Overdue', 'Timeout']);
    expect(second[0]).toBe(first[0]);
  });

  it('keeps a port for a connection whose outcome the step no longer has, marked unknown', () => {
    const cache = new FlowElementCache();
    const definition = { ...chain(2), connections: [{ from: 'start', outcome: 'Gone', to: 'task1' }] };
    const [start] = cache.nodes(inputs(definition));
    expect(start.data.outcomes).toEqual([{ name: 'Done', known: true }, { name: 'Gone', known: false }]);
  });

  it('labels edges with the outcome and marks the ones a run took', () => {
    const cache = new FlowElementCache();
    const definition = chain(3);
    const edges = cache.edges(inputs(definition, { takenEdges: new Set(['start\u2192Done\u2192task1']), outcomeLabel: (o) => `[${o}]` }));
    expect(edges.map((e) => [e.label, e.sourceHandle, e.className])).toEqual([['[Done]', 'Done', 'edge-taken'], ['[Done]', 'Done', undefined]]);
  });
});

import { describe, expect, it } from 'vitest';
import type { PlaybookDefinition } from '../../api/engineTypes';
import { setInput } from '../model/definitionEdits';
import { createDesignerStore } from './designerStore';

const definition: PlaybookDefinition = {
  definitionId: 'p', name: 'P', tags: [], triggers: [], variables: [],
  activities: [{ id: 'start', type: 'Start', inputs: {}, position: { x: 0, y: 0 } }, { id: 'call', type: 'CreateTask', inputs: {}, position: { x: 0, y: 100 } }],
  connections: [],
};

describe('designer store', () => {
  it('records a whole drag as one undo step, and does not ask for validation while nodes move', () => {
    const store = createDesignerStore(definition, new Map());
    for (let y = 110; y <= 200; y += 10) store.move(new Map([['call', { x: 0, y }]]), 'dragging');
    store.move(new Map([['call', { x: 0, y: 210 }]]), 'end');
    expect(store.getState().definition.activities[1].position).toEqual({ x: 0, y: 210 });
    expect(store.getState().history.past).toHaveLength(1);
    expect(store.getState().structureRevision).toBe(0);
    store.undo();
    expect(store.getState().definition.activities[1].position).toEqual({ x: 0, y: 100 });
  });

  it('is dirty until the edited definition is saved, and clean again when undone to it', () => {
    const store = createDesignerStore(definition, new Map());
    store.edit((d) => setInput(d, 'call', 'title', 'Call'));
    expect(store.getState().definition).not.toBe(store.getState().saved);
    store.undo();
    expect(store.getState().definition).toBe(store.getState().saved);
  });

  it('drops validation answers older than the one it has', () => {
    const store = createDesignerStore(definition, new Map());
    store.setProblems([{ path: '$.name', message: 'new' }], definition, 3);
    store.setProblems([{ path: '$.name', message: 'old' }], definition, 2);
    expect(store.getState().problems.all.map((p) => p.message)).toEqual(['new']);
  });

  it('keeps the same selection object when the selection did not change', () => {
    const store = createDesignerStore(definition, new Map());
    store.selectActivity('call');
    const selected = store.getState().selectedNodes;
    store.select(new Set(['call']), store.getState().selectedEdges);
    expect(store.getState().selectedNodes).toBe(selected);
  });
});

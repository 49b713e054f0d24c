import type { ActivityDescriptor, CanvasPosition, DefinitionProblem, PlaybookDefinition } from '../../api/engineTypes';
import { emptyHistory, record, redo, undo, type History } from '../model/history';
import type { NodeSize } from '../model/flowElements';
import type { RunTraceView } from '../model/runTrace';
import { indexProblems, type ProblemIndex } from '../model/problems';
import { moveActivities } from '../model/definitionEdits';
import { createStore, type Store } from './createStore';

export interface DesignerState {
  definition: PlaybookDefinition;
  /** The draft as the server has it; the page is dirty while `definition` differs. */
  saved: PlaybookDefinition;
  history: History<PlaybookDefinition>;
  /** Bumped by every change except moving nodes, which validation does not care about. */
  structureRevision: number;
  validatedRevision: number;
  problems: ProblemIndex;
  selectedNodes: ReadonlySet<string>;
  selectedEdges: ReadonlySet<string>;
  measured: ReadonlyMap<string, NodeSize>;
  /** The definition before the drag in progress, recorded as one undo step when the drag ends. */
  dragOrigin: PlaybookDefinition | null;
  /** A test run's path, drawn over the canvas. */
  trace: RunTraceView | null;
  descriptors: ReadonlyMap<string, ActivityDescriptor>;
}

export type DesignerStore = ReturnType<typeof createDesignerStore>;

const noSelection: ReadonlySet<string> = new Set();

export function createDesignerStore(definition: PlaybookDefinition, descriptors: ReadonlyMap<string, ActivityDescriptor>, problems: DefinitionProblem[] = []) {
  const store: Store<DesignerState> = createStore<DesignerState>({
    definition,
    saved: definition,
    history: emptyHistory(),
    structureRevision: 0,
    validatedRevision: 0,
    problems: indexProblems(problems, definition),
    selectedNodes: noSelection,
    selectedEdges: noSelection,
    measured: new Map(),
    dragOrigin: null,
    trace: null,
    descriptors,
  });

  const actions = {
    /** Applies one undoable change; edits sharing `coalesceKey` in quick succession are one undo step. */
    edit(change: (definition: PlaybookDefinition) => PlaybookDefinition, coalesceKey: string | null = null) {
      store.setState((s) => {
        const next = change(s.definition);
        if (next === s.definition) return {};
        return { definition: next, history: record(s.history, s.definition, coalesceKey, Date.now()), structureRevision: s.structureRevision + 1, trace: null };
      });
    },

    /** Positions while dragging: shown at once, recorded as one undo step when the drag ends. */
    move(moves: ReadonlyMap<string, CanvasPosition>, phase: 'dragging' | 'end' | 'instant') {
      store.setState((s) => {
        const next = moveActivities(s.definition, moves);
        if (phase === 'dragging') return { definition: next, dragOrigin: s.dragOrigin ?? s.definition };
        const origin = s.dragOrigin ?? s.definition;
        return { definition: next, dragOrigin: null, history: record(s.history, origin, null, Date.now()) };
      });
    },

    undo() {
      store.setState((s) => {
        const step = undo(s.history, s.definition);
        return step ? { definition: step.state, history: step.history, structureRevision: s.structureRevision + 1, dragOrigin: null } : {};
      });
    },

    redo() {
      store.setState((s) => {
        const step = redo(s.history, s.definition);
        return step ? { definition: step.state, history: step.history, structureRevision: s.structureRevision + 1, dragOrigin: null } : {};
      });
    },

    select(nodes: ReadonlySet<string>, edges: ReadonlySet<string>) {
      store.setState((s) => ({
        selectedNodes: sameSet(s.selectedNodes, nodes) ? s.selectedNodes : nodes,
        selectedEdges: sameSet(s.selectedEdges, edges) ? s.selectedEdges : edges,
      }));
    },

    selectActivity(id: string | null) {
      actions.select(id ? new Set([id]) : noSelection, noSelection);
    },

    setMeasured(sizes: ReadonlyMap<string, NodeSize>) {
      store.setState((s) => {
        let changed = false;
        const measured = new Map(s.measured);
        for (const [id, size] of sizes) {
          const previous = measured.get(id);
          if (previous && previous.width === size.width && previous.height === size.height) continue;
          measured.set(id, size);
          changed = true;
        }
        return changed ? { measured } : {};
      });
    },

    /** Problems from the server for the definition of `revision`; older answers are dropped. */
    setProblems(problems: DefinitionProblem[], validated: PlaybookDefinition, revision: number) {
      store.setState((s) => (revision < s.validatedRevision ? {} : { problems: indexProblems(problems, validated), validatedRevision: revision }));
    },

    markSaved(saved: PlaybookDefinition) {
      store.setState({ saved });
    },

    /** Replaces the canvas (a version restored into the draft) as one undoable change. */
    replace(definition: PlaybookDefinition) {
      actions.edit(() => definition);
    },

    setTrace(trace: RunTraceView | null) {
      store.setState({ trace });
    },
  };

  return { ...store, ...actions };
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const item of a) if (!b.has(item)) return false;
  return true;
}

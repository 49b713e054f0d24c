import type { Edge, Node } from '@xyflow/react';
import type { ActivityDescriptor, ActivityNode, Connection, DefinitionProblem, PlaybookDefinition } from '../../api/engineTypes';
import { connectionKey } from './definitionEdits';
import { outcomesOf } from './outcomes';

/** A port on a node: an outcome the engine knows, or one a connection still uses though the activity no longer has it. */
export interface OutcomePort {
  name: string;
  known: boolean;
}

/** How a run went through an activity, for the run viewer and the test run. */
export type NodeTrace = 'visited' | 'waiting' | 'faulted';

export interface ActivityNodeData extends Record<string, unknown> {
  activity: ActivityNode;
  descriptor: ActivityDescriptor | undefined;
  outcomes: OutcomePort[];
  problems: DefinitionProblem[] | undefined;
  trace: NodeTrace | undefined;
}

export type ActivityFlowNode = Node<ActivityNodeData, 'activity'>;
export type OutcomeFlowEdge = Edge<{ connection: Connection }>;

export interface FlowInputs {
  definition: PlaybookDefinition;
  descriptors: ReadonlyMap<string, ActivityDescriptor>;
  problems: ReadonlyMap<string, DefinitionProblem[]>;
  selectedNodes: ReadonlySet<string>;
  selectedEdges: ReadonlySet<string>;
  trace?: ReadonlyMap<string, NodeTrace>;
  takenEdges?: ReadonlySet<string>;
  /** Sizes React Flow measured; kept on the nodes so a changed node is not measured again. */
  measured?: ReadonlyMap<string, NodeSize>;
  /** How an outcome reads on an edge (translated names of the engine's fixed outcomes). */
  outcomeLabel?: (outcome: string) => string;
}

export interface NodeSize {
  width: number;
  height: number;
}

interface NodeEntry {
  node: ActivityFlowNode;
  activity: ActivityNode;
  descriptor: ActivityDescriptor | undefined;
  portsKey: string;
  problems: DefinitionProblem[] | undefined;
  trace: NodeTrace | undefined;
  selected: boolean;
  size: NodeSize | undefined;
  staleSize: NodeSize | undefined;
}

interface EdgeEntry {
  edge: OutcomeFlowEdge;
  connection: Connection;
  selected: boolean;
  taken: boolean;
  label: string;
}

/**
 * Turns a definition into React Flow nodes and edges, reusing the previous object for every node and edge whose
 * inputs did not change. React Flow then skips them, and the memoized node components never re-render:
 * dragging one node of 200 re-renders one node.
 */
export class FlowElementCache {
  private nodeEntries = new Map<string, NodeEntry>();
  private edgeEntries = new Map<string, EdgeEntry>();
  private lastNodes: ActivityFlowNode[] = [];
  private lastEdges: OutcomeFlowEdge[] = [];

  nodes(inputs: FlowInputs): ActivityFlowNode[] {
    const { definition, descriptors, problems, selectedNodes, trace, measured } = inputs;
    const byId = new Map(definition.activities.map((a) => [a.id, a]));
    const usedOutcomes = new Map<string, Set<string>>();
    for (const c of definition.connections) {
      const set = usedOutcomes.get(c.from);
      if (set) set.add(c.outcome);
      else usedOutcomes.set(c.from, new Set([c.outcome]));
    }

    const next = new Map<string, NodeEntry>();
    let changed = definition.activities.length !== this.lastNodes.length;
    const nodes = definition.activities.map((activity, index) => {
      const descriptor = descriptors.get(activity.type);
      const known = outcomesOf(activity, descriptor, (id) => byId.get(id));
      const extra = [...(usedOutcomes.get(activity.id) ?? [])].filter((o) => !known.includes(o));
      const portsKey = `${known.join('\u0001')}\u0002${extra.join('\u0001')}`;
      const nodeProblems = problems.get(activity.id);
      const nodeTrace = trace?.get(activity.id);
      const selected = selectedNodes.has(activity.id);
      const previous = this.nodeEntries.get(activity.id);
      // New ports move the handles: ignore the size measured before, so React Flow measures the node and its handles again.
      const measuredSize = measured?.get(activity.id);
      const staleSize = previous && previous.portsKey !== portsKey ? measuredSize : previous?.staleSize;
      const size = measuredSize === staleSize ? undefined : measuredSize;
      let entry: NodeEntry;
      if (previous && previous.staleSize === staleSize && previous.activity === activity && previous.descriptor === descriptor && previous.portsKey === portsKey
        && previous.problems === nodeProblems && previous.trace === nodeTrace && previous.selected === selected
        && previous.size === size) {
        entry = previous;
      } else {
        const outcomes: OutcomePort[] = [...known.map((name) => ({ name, known: true })), ...extra.map((name) => ({ name, known: false }))];
        const node: ActivityFlowNode = {
          id: activity.id,
          type: 'activity',
          position: activity.position ?? { x: (index % 6) * 260, y: Math.floor(index / 6) * 160 },
          data: { activity, descriptor, outcomes, problems: nodeProblems, trace: nodeTrace },
          selected,
          deletable: activity.type !== 'Start',
          measured: size,
        };
        entry = { node, activity, descriptor, portsKey, problems: nodeProblems, trace: nodeTrace, selected, size, staleSize };
      }
      if (this.lastNodes[index] !== entry.node) changed = true;
      next.set(activity.id, entry);
      return entry.node;
    });
    this.nodeEntries = next;
    if (changed) this.lastNodes = nodes;
    return this.lastNodes;
  }

  edges(inputs: FlowInputs): OutcomeFlowEdge[] {
    const { definition, selectedEdges, takenEdges, outcomeLabel } = inputs;
    const next = new Map<string, EdgeEntry>();
    let changed = definition.connections.length !== this.lastEdges.length;
    const edges = definition.connections.map((connection, index) => {
      const id = connectionKey(connection);
      const selected = selectedEdges.has(id);
      const taken = takenEdges?.has(id) ?? false;
      const label = outcomeLabel ? outcomeLabel(connection.outcome) : connection.outcome;
      const previous = this.edgeEntries.get(id);
      let entry: EdgeEntry;
      if (previous && previous.connection === connection && previous.selected === selected && previous.taken === taken && previous.label === label) {
        entry = previous;
      } else {
        const edge: OutcomeFlowEdge = {
          id,
          source: connection.from,
          target: connection.to,
          sourceHandle: connection.outcome,
          targetHandle: 'in',
          label,
          type: 'outcome',
          selected,
          className: taken ? 'edge-taken' : undefined,
          animated: taken,
          data: { connection },
        };
        entry = { edge, connection, selected, taken, label };
      }
      if (this.lastEdges[index] !== entry.edge) changed = true;
      next.set(id, entry);
      return entry.edge;
    });
    this.edgeEntries = next;
    if (changed) this.lastEdges = edges;
    return this.lastEdges;
  }
}

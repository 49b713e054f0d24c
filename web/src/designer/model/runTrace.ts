import type { Connection } from '../../api/engineTypes';
import { connectionKey } from './definitionEdits';
import type { NodeTrace } from './flowElements';

/** One step a run took: an activity that finished with an outcome, is waiting, or failed. */
export interface RunStep {
  activityId: string;
  status: 'completed' | 'waiting' | 'faulted';
  outcome?: string | null;
}

export interface RunTraceView {
  nodes: ReadonlyMap<string, NodeTrace>;
  edges: ReadonlySet<string>;
}

/**
 * The path a run took over the diagram: every activity it ran, the connections it followed (an outcome taken
 * from an activity into one that then ran), where it waits now and where it failed.
 */
export function traceRun(steps: RunStep[], connections: Connection[], waitingNow: Iterable<string> = []): RunTraceView {
  const nodes = new Map<string, NodeTrace>();
  const taken = new Set<string>();
  for (const step of steps) {
    if (step.status === 'faulted') nodes.set(step.activityId, 'faulted');
    else if (!nodes.has(step.activityId)) nodes.set(step.activityId, 'visited');
    if (step.status === 'completed' && step.outcome) taken.add(`${step.activityId}\u0000${step.outcome}`);
  }
  for (const id of waitingNow) nodes.set(id, 'waiting');
  const edges = new Set<string>();
  for (const c of connections) if (taken.has(`${c.from}\u0000${c.outcome}`) && nodes.has(c.to)) edges.add(connectionKey(c));
  return { nodes, edges };
}

import dagre from '@dagrejs/dagre';
import type { CanvasPosition, PlaybookDefinition } from '../../api/engineTypes';

/** Node sizes for layout; kept in step with the CSS of .activity-node (width grows with the number of ports). */
export const nodeWidth = (ports: number): number => Math.max(200, ports * 84);
export const nodeHeight = 92;

/** Lays the playbook out top to bottom with dagre: the run reads downwards, outcomes fan out below each step. */
export function autoLayout(definition: PlaybookDefinition, portsOf: (activityId: string) => number): Map<string, CanvasPosition> {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: 'TB', nodesep: 48, ranksep: 84, marginx: 20, marginy: 20 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const activity of definition.activities) graph.setNode(activity.id, { width: nodeWidth(portsOf(activity.id)), height: nodeHeight });
  for (const c of definition.connections) {
    if (graph.hasNode(c.from) && graph.hasNode(c.to)) graph.setEdge(c.from, c.to);
  }
  dagre.layout(graph);
  const positions = new Map<string, CanvasPosition>();
  for (const activity of definition.activities) {
    const laid = graph.node(activity.id);
    const width = nodeWidth(portsOf(activity.id));
    // dagre gives centres; React Flow positions are top-left corners.
    positions.set(activity.id, { x: Math.round(laid.x - width / 2), y: Math.round(laid.y - nodeHeight / 2) });
  }
  return positions;
}

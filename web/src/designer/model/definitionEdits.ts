import type { ActivityDescriptor, ActivityNode, CanvasPosition, Connection, PlaybookDefinition } from '../../api/engineTypes';
import { newActivityId } from './activityIds';

/**
 * Every change the designer makes to a playbook, as pure functions from one definition to the next.
 * Untouched activities and connections keep their identity, so only the nodes that changed re-render.
 */

export function addActivity(definition: PlaybookDefinition, descriptor: ActivityDescriptor, position: CanvasPosition): { definition: PlaybookDefinition; id: string } {
  const id = newActivityId(descriptor.type, definition.activities);
  const inputs: Record<string, unknown> = {};
  // Seed inputs whose absence would leave the node without ports or fail validation at once.
  if (descriptor.type === 'Fork') inputs.branches = ['A', 'B'];
  if (descriptor.type === 'CreateTask') inputs.outcomes = ['done'];
  if (descriptor.type === 'If') inputs.condition = 'true';
  const activity: ActivityNode = { id, type: descriptor.type, displayName: null, inputs, position: roundPosition(position) };
  return { definition: { ...definition, activities: [...definition.activities, activity] }, id };
}

export function moveActivities(definition: PlaybookDefinition, moves: ReadonlyMap<string, CanvasPosition>): PlaybookDefinition {
  if (moves.size === 0) return definition;
  return {
    ...definition,
    activities: definition.activities.map((a) => {
      const to = moves.get(a.id);
      return to ? { ...a, position: roundPosition(to) } : a;
    }),
  };
}

export function removeActivities(definition: PlaybookDefinition, ids: ReadonlySet<string>): PlaybookDefinition {
  if (ids.size === 0) return definition;
  return {
    ...definition,
    activities: definition.activities.filter((a) => !ids.has(a.id)),
    connections: definition.connections.filter((c) => !ids.has(c.from) && !ids.has(c.to)),
  };
}

export function connect(definition: PlaybookDefinition, connection: Connection): PlaybookDefinition {
  if (connection.from === connection.to) return definition;
  const exists = definition.connections.some((c) => c.from === connection.from && c.outcome === connection.outcome && c.to === connection.to);
  if (exists) return definition;
  return { ...definition, connections: [...definition.connections, connection] };
}

export function removeConnections(definition: PlaybookDefinition, keys: ReadonlySet<string>): PlaybookDefinition {
  if (keys.size === 0) return definition;
  return { ...definition, connections: definition.connections.filter((c) => !keys.has(connectionKey(c))) };
}

export const connectionKey = (c: Connection): string => `${c.from}\u2192${c.outcome}\u2192${c.to}`;

export function updateActivity(definition: PlaybookDefinition, id: string, change: (activity: ActivityNode) => ActivityNode): PlaybookDefinition {
  return { ...definition, activities: definition.activities.map((a) => (a.id === id ? change(a) : a)) };
}

export function setInput(definition: PlaybookDefinition, id: string, name: string, value: unknown): PlaybookDefinition {
  return updateActivity(definition, id, (a) => {
    const inputs = { ...a.inputs };
    if (value === undefined) delete inputs[name];
    else inputs[name] = value;
    return { ...a, inputs };
  });
}

/** Renames an activity and every reference to it: connections, and WaitForTask/Escalate `task` inputs. */
export function renameActivity(definition: PlaybookDefinition, from: string, to: string): PlaybookDefinition {
  if (from === to || definition.activities.some((a) => a.id === to)) return definition;
  return {
    ...definition,
    activities: definition.activities.map((a) => {
      if (a.id === from) return { ...a, id: to };
      if (a.inputs.task === from) return { ...a, inputs: { ...a.inputs, task: to } };
      return a;
    }),
    connections: definition.connections.map((c) =>
      c.from === from || c.to === from ? { ...c, from: c.from === from ? to : c.from, to: c.to === from ? to : c.to } : c),
  };
}

const roundPosition = (p: CanvasPosition): CanvasPosition => ({ x: Math.round(p.x), y: Math.round(p.y) });

import type { ActivityDescriptor, PlaybookDefinition } from '../../api/engineTypes';
import { autoLayout } from './layout';
import { outcomesOf } from './outcomes';

/**
 * Fills in what hand-written definitions (workflows/, API clients) may leave out: empty lists, and canvas positions,
 * laid out with dagre when any step has none.
 */
export function withPositions(definition: PlaybookDefinition, descriptors: ReadonlyMap<string, ActivityDescriptor>): PlaybookDefinition {
  const normalized: PlaybookDefinition = {
    ...definition,
    tags: definition.tags ?? [], triggers: definition.triggers ?? [], variables: definition.variables ?? [],
    activities: (definition.activities ?? []).map((a) => ({ ...a, inputs: a.inputs ?? {} })), connections: definition.connections ?? [],
  };
  if (normalized.activities.every((a) => a.position)) return normalized;
  const byId = new Map(normalized.activities.map((a) => [a.id, a]));
  const ports = (id: string) => outcomesOf(byId.get(id)!, descriptors.get(byId.get(id)!.type), (x) => byId.get(x)).length;
  const positions = autoLayout(normalized, ports);
  return { ...normalized, activities: normalized.activities.map((a) => (a.position ? a : { ...a, position: positions.get(a.id)! })) };
}

import type { ActivityDescriptor, ActivityNode } from '../../api/engineTypes';

/**
 * The outcome ports of one activity, derived exactly as the engine does (Activity.OutcomesOf):
 * If → True/False, Switch → case names + Default, Fork → branch names,
 * WaitForTask → the referenced CreateTask's outcomes (default "done") + Overdue + Timeout; others → the descriptor's.
 */
export function outcomesOf(
  activity: ActivityNode,
  descriptor: ActivityDescriptor | undefined,
  findActivity: (id: string) => ActivityNode | undefined,
): string[] {
  switch (activity.type) {
    case 'Switch':
      return [...caseNames(activity.inputs.cases), 'Default'];
    case 'Fork':
      return stringList(activity.inputs.branches);
    case 'WaitForTask': {
      const taskId = activity.inputs.task;
      const create = typeof taskId === 'string' ? findActivity(taskId) : undefined;
      const taskOutcomes = create?.type === 'CreateTask' ? createTaskOutcomes(create) : [];
      return [...taskOutcomes, 'Overdue', 'Timeout'];
    }
    default:
      return descriptor?.outcomes ?? [];
  }
}

/** The outcomes a CSM may record on the task a CreateTask makes ("done" unless the playbook lists its own). */
export function createTaskOutcomes(create: ActivityNode): string[] {
  return Array.isArray(create.inputs.outcomes) ? stringList(create.inputs.outcomes) : ['done'];
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v : '')) : [];
}

function caseNames(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((c): c is { name: unknown; condition: unknown } => typeof c === 'object' && c !== null && 'name' in c && 'condition' in c)
    .map((c) => (typeof c.name === 'string' ? c.name : ''));
}

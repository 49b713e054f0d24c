import type { DefinitionProblem, PlaybookDefinition } from '../../api/engineTypes';

/** Validation problems sorted to where the designer shows them: on a node, on one of its inputs, or on the playbook. */
export interface ProblemIndex {
  all: DefinitionProblem[];
  /** Activity id → its problems (inputs, type, id, and connections leaving it). */
  byActivity: ReadonlyMap<string, DefinitionProblem[]>;
  /** `activityId.inputName` → problems of that input. */
  byInput: ReadonlyMap<string, string[]>;
  /** Problems on the playbook itself: name, triggers, enrolment, variables, the graph. */
  playbook: DefinitionProblem[];
}

const activityPath = /^\$\.activities\[(\d+)\](?:\.inputs(?:\.([A-Za-z0-9_]+))?)?/;
const connectionPath = /^\$\.connections\[(\d+)\]/;

export const emptyProblems: ProblemIndex = { all: [], byActivity: new Map(), byInput: new Map(), playbook: [] };

/** Maps `$.activities[i]…` to the i-th activity of the definition that was validated (not the one on screen now). */
export function indexProblems(problems: DefinitionProblem[], validated: PlaybookDefinition): ProblemIndex {
  if (problems.length === 0) return emptyProblems;
  const byActivity = new Map<string, DefinitionProblem[]>();
  const byInput = new Map<string, string[]>();
  const playbook: DefinitionProblem[] = [];
  const addTo = (id: string, problem: DefinitionProblem) => {
    const list = byActivity.get(id);
    if (list) list.push(problem);
    else byActivity.set(id, [problem]);
  };
  for (const problem of problems) {
    const activity = activityPath.exec(problem.path);
    const connection = connectionPath.exec(problem.path);
    if (activity) {
      const id = validated.activities[Number(activity[1])]?.id;
      if (id === undefined) { playbook.push(problem); continue; }
      addTo(id, problem);
      if (activity[2]) {
        const key = `${id}.${activity[2]}`;
        byInput.set(key, [...(byInput.get(key) ?? []), problem.message]);
      }
    } else if (connection) {
      const from = validated.connections[Number(connection[1])]?.from;
      if (from !== undefined && validated.activities.some((a) => a.id === from)) addTo(from, problem);
      else playbook.push(problem);
    } else {
      playbook.push(problem);
    }
  }
  return { all: problems, byActivity, byInput, playbook };
}

/** The activity a problem belongs to, for "show me" in the problems list. */
export function activityOfProblem(problem: DefinitionProblem, index: ProblemIndex): string | undefined {
  for (const [id, list] of index.byActivity) if (list.includes(problem)) return id;
  return undefined;
}

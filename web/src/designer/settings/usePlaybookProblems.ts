import { useMemo } from 'react';
import { useDesigner } from '../state/DesignerContext';

/** Messages of the playbook-level problems whose path starts with `prefix`, e.g. `$.triggers[0]`. */
export function usePlaybookProblems(prefix: string): string[] {
  const problems = useDesigner((s) => s.problems.playbook);
  return useMemo(
    () => problems.filter((p) => p.path === prefix || p.path.startsWith(`${prefix}.`) || p.path.startsWith(`${prefix}[`)).map((p) => p.message),
    [problems, prefix],
  );
}

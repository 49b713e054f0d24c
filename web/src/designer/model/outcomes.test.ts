import { describe, expect, it } from 'vitest';
import type { ActivityDescriptor, ActivityNode } from '../../api/engineTypes';
import { outcomesOf } from './outcomes';

const descriptor = (type: string, outcomes: string[]): ActivityDescriptor =>
  ({ type, category: 'Flow', displayName: type, description: '', outcomes, dynamicOutcomes: null, canWait: false, inputs: [] });
const node = (id: string, type: string, inputs: Record<string, unknown> = {}): ActivityNode => ({ id, type, inputs });

describe('outcomesOf, derived like the engine', () => {
  const none = () => undefined;

  it('gives If its True and False ports from the descriptor', () => {
    expect(outcomesOf(node('if', 'If'), descriptor('If', ['True', 'False']), none)).toEqual(['True', 'False']);
  });

  it('gives Switch one port per case name, then Default', () => {
    const cases = [{ name: 'Enterprise', condition: "account.segment == 'enterprise'" }, { name: 'SMB', condition: 'true' }];
    expect(outcomesOf(node('s', 'Switch', { cases }), descriptor('Switch', ['Default']), none)).toEqual(['Enterprise', 'SMB', 'Default']);
  });

  it('ignores Switch cases without a condition, as the engine does', () => {
    expect(outcomesOf(node('s', 'Switch', { cases: [{ name: 'Half' }] }), undefined, none)).toEqual(['Default']);
  });

  it('gives Fork one port per branch', () => {
    expect(outcomesOf(node('f', 'Fork', { branches: ['Email', 'Task'] }), descriptor('Fork', []), none)).toEqual(['Email', 'Task']);
  });

  it("gives WaitForTask the referenced task's outcomes, then Overdue and Timeout", () => {
    const create = node('kickoff', 'CreateTask', { outcomes: ['held', 'no-show'] });
    const find = (id: string) => (id === 'kickoff' ? create : undefined);
    expect(outcomesOf(node('w', 'WaitForTask', { task: 'kickoff' }), undefined, find)).toEqual(['held', 'no-show', 'Overdue', 'Timeout']);
  });

  it('defaults a CreateTask without outcomes to "done"', () => {
    const create = node('call', 'CreateTask');
    expect(outcomesOf(node('w', 'WaitForTask', { task: 'call' }), undefined, () => create)).toEqual(['done', 'Overdue', 'Timeout']);
  });

  it('gives WaitForTask only Overdue and Timeout while it names no CreateTask', () => {
    expect(outcomesOf(node('w', 'WaitForTask', { task: 'missing' }), undefined, none)).toEqual(['Overdue', 'Timeout']);
  });
});

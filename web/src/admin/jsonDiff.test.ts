import { describe, expect, it } from 'vitest';
import { diffJson, showValue } from './jsonDiff';

describe('diffJson', () => {
  it('lists changed, added and removed leaves by path', () => {
    expect(diffJson(
      { name: 'Kickoff', tags: ['a'], goal: { withinDays: 7 }, description: 'old' },
      { name: 'Kickoff v2', tags: ['a', 'b'], goal: { withinDays: 7 } },
    )).toEqual([
      { path: 'name', kind: 'changed', before: 'Kickoff', after: 'Kickoff v2' },
      { path: 'tags[1]', kind: 'added', after: 'b' },
      { path: 'description', kind: 'removed', before: 'old' },
    ]);
  });

  it('matches activities by id, so inserting one step is one change', () => {
    const before = { activities: [{ id: 'start', type: 'Start' }, { id: 'end', type: 'End' }] };
    const after = { activities: [{ id: 'start', type: 'Start' }, { id: 'task', type: 'CreateTask', inputs: { title: 'Call' } }, { id: 'end', type: 'End' }] };
    expect(diffJson(before, after)).toEqual([{ path: 'activities[id=task]', kind: 'added', after: { id: 'task', type: 'CreateTask', inputs: { title: 'Call' } } }]);
    const edited = { activities: [{ id: 'start', type: 'Start' }, { id: 'end', type: 'End', displayName: 'Done' }] };
    expect(diffJson(before, edited)).toEqual([{ path: 'activities[id=end].displayName', kind: 'added', after: 'Done' }]);
  });

  it('treats null before (a creation) or after (a deletion) as the whole value', () => {
    expect(diffJson(null, { a: 1 })).toEqual([{ path: '', kind: 'added', after: { a: 1 } }]);
    expect(diffJson({ a: 1 }, null)).toEqual([{ path: '', kind: 'removed', before: { a: 1 } }]);
    expect(diffJson(null, null)).toEqual([]);
    expect(diffJson({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toEqual([]);
  });

  it('shows values as short JSON', () => {
    expect(showValue('x')).toBe('"x"');
    expect(showValue({ a: 1 })).toBe('{"a":1}');
    expect(showValue('y'.repeat(300), 10)).toHaveLength(10);
    expect(showValue(undefined)).toBe('');
  });
});

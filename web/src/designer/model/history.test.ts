import { describe, expect, it } from 'vitest';
import { emptyHistory, record, redo, undo } from './history';

describe('history', () => {
  it('undoes and redoes in order', () => {
    let h = record(emptyHistory<string>(), 'a', null, 0);
    h = record(h, 'b', null, 10);
    const u1 = undo(h, 'c')!;
    expect(u1.state).toBe('b');
    const u2 = undo(u1.history, u1.state)!;
    expect(u2.state).toBe('a');
    const r = redo(u2.history, u2.state)!;
    expect(r.state).toBe('b');
    expect(undo(u2.history, 'a')).toBeNull();
  });

  it('folds quick edits of one field into one step', () => {
    let h = record(emptyHistory<string>(), '', 'input:title', 0);
    h = record(h, 'H', 'input:title', 100);
    h = record(h, 'He', 'input:title', 200);
    expect(h.past).toEqual(['']);
    h = record(h, 'Hel', 'input:other', 300);
    expect(h.past).toEqual(['', 'Hel']);
  });

  it('starts a new step after a pause', () => {
    let h = record(emptyHistory<string>(), '', 'k', 0);
    h = record(h, 'x', 'k', 5_000);
    expect(h.past).toEqual(['', 'x']);
  });

  it('forgets what could be redone once a new edit is made', () => {
    let h = record(emptyHistory<string>(), 'a', null, 0);
    const u = undo(h, 'b')!;
    h = record(u.history, 'a', null, 10);
    expect(h.future).toEqual([]);
  });
});

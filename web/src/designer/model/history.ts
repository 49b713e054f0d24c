/**
 * Undo/redo over immutable snapshots. Typing into one field makes many edits; edits that share a coalescing key
 * within a short time fold into one step, so one undo takes back the whole word, not one letter.
 */
export interface History<T> {
  past: T[];
  future: T[];
  lastKey: string | null;
  lastAt: number;
}

export const historyLimit = 200;
const coalesceWindowMs = 1200;

export const emptyHistory = <T>(): History<T> => ({ past: [], future: [], lastKey: null, lastAt: 0 });

/** Records `before` as the state to return to, unless this edit continues the previous one. */
export function record<T>(history: History<T>, before: T, key: string | null, now: number): History<T> {
  if (key !== null && key === history.lastKey && now - history.lastAt < coalesceWindowMs && history.past.length > 0) {
    return { ...history, future: [], lastAt: now };
  }
  const past = history.past.length >= historyLimit ? history.past.slice(1) : history.past.slice();
  past.push(before);
  return { past, future: [], lastKey: key, lastAt: now };
}

export function undo<T>(history: History<T>, current: T): { history: History<T>; state: T } | null {
  if (history.past.length === 0) return null;
  const state = history.past[history.past.length - 1];
  return { state, history: { past: history.past.slice(0, -1), future: [current, ...history.future], lastKey: null, lastAt: 0 } };
}

export function redo<T>(history: History<T>, current: T): { history: History<T>; state: T } | null {
  if (history.future.length === 0) return null;
  const [state, ...future] = history.future;
  return { state, history: { past: [...history.past, current], future, lastKey: null, lastAt: 0 } };
}

/**
 * Pages with unsaved work (the designer) register a guard; in-app navigation asks it first, and leaving the page
 * (reload, close, another site) gets the browser's own warning.
 */
let guard: (() => string | null) | null = null;

export function setNavigationGuard(next: (() => string | null) | null): void {
  guard = next;
}

/** Whether the page holds work that leaving would lose (the designer with unsaved changes). */
export function hasUnsavedWork(): boolean {
  return !!guard?.();
}

/** True when navigation may go ahead (no unsaved work, or the person confirmed). */
export function mayLeave(): boolean {
  const message = guard?.();
  return !message || window.confirm(message);
}

window.addEventListener('beforeunload', (event) => {
  if (guard?.()) event.preventDefault();
});

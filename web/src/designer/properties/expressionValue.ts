/** Any input but an expression itself may hold `{ "js": "…" }` instead of a literal. */
export function isScript(value: unknown): value is { js: string } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 1 && typeof (value as { js?: unknown }).js === 'string';
}

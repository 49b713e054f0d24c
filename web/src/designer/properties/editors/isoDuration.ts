/** The simple ISO 8601 durations the designer edits as "number + unit"; anything else is kept as written. */
export type DurationUnit = 'minutes' | 'hours' | 'days' | 'weeks';

export const durationUnits: DurationUnit[] = ['minutes', 'hours', 'days', 'weeks'];

export interface SimpleDuration {
  amount: number;
  unit: DurationUnit;
}

export function parseSimpleDuration(text: string): SimpleDuration | null {
  const match = /^P(?:(\d+)W|(\d+)D|T(\d+)H|T(\d+)M)$/.exec(text.trim().toUpperCase());
  if (!match) return null;
  if (match[1]) return { amount: Number(match[1]), unit: 'weeks' };
  if (match[2]) return { amount: Number(match[2]), unit: 'days' };
  if (match[3]) return { amount: Number(match[3]), unit: 'hours' };
  return { amount: Number(match[4]), unit: 'minutes' };
}

export function formatSimpleDuration({ amount, unit }: SimpleDuration): string {
  const n = Math.max(0, Math.round(amount));
  switch (unit) {
    case 'weeks': return `P${n}W`;
    case 'days': return `P${n}D`;
    case 'hours': return `PT${n}H`;
    default: return `PT${n}M`;
  }
}

/** Whether text looks like any ISO 8601 duration the engine accepts (P1DT12H, PT90S, …). */
export const isIsoDuration = (text: string): boolean => /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/.test(text.trim().toUpperCase());

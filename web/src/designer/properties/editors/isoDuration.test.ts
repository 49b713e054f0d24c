import { describe, expect, it } from 'vitest';
import { formatSimpleDuration, isIsoDuration, parseSimpleDuration } from './isoDuration';

describe('ISO 8601 durations', () => {
  it('reads the simple forms as an amount and a unit', () => {
    expect(parseSimpleDuration('P3D')).toEqual({ amount: 3, unit: 'days' });
    expect(parseSimpleDuration('PT15M')).toEqual({ amount: 15, unit: 'minutes' });
    expect(parseSimpleDuration('PT4H')).toEqual({ amount: 4, unit: 'hours' });
    expect(parseSimpleDuration('P2W')).toEqual({ amount: 2, unit: 'weeks' });
    expect(parseSimpleDuration('P1DT12H')).toBeNull();
  });

  it('writes them back', () => {
    expect(formatSimpleDuration({ amount: 14, unit: 'days' })).toBe('P14D');
    expect(formatSimpleDuration({ amount: 90, unit: 'minutes' })).toBe('PT90M');
  });

  it('accepts any ISO duration and refuses other text', () => {
    for (const ok of ['P1DT12H', 'PT90S', 'P1Y2M', 'PT0.5S']) expect(isIsoDuration(ok), ok).toBe(true);
    for (const bad of ['P', 'PT', '3 days', '', 'P1H']) expect(isIsoDuration(bad), bad).toBe(false);
  });
});

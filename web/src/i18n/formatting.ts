import type { Locale } from './I18nProvider';

/** The person's own time zone, as the browser reports it; every date the app shows is in it. */
export const userTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: Locale, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let cached = formatters.get(key);
  if (!cached) {
    cached = new Intl.DateTimeFormat(locale === 'ja' ? 'ja-JP' : 'en-GB', { timeZone: userTimeZone(), ...options });
    formatters.set(key, cached);
  }
  return cached;
}

/** Engine lists carry epoch milliseconds; everything else ISO 8601 text. */
export function toDate(value: string | number | null | undefined): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const date = typeof value === 'number' ? new Date(value) : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function formatDateTime(locale: Locale, value: string | number | null | undefined): string {
  const date = toDate(value);
  return date ? formatter(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date) : '—';
}

export function formatDate(locale: Locale, value: string | number | null | undefined): string {
  // Plain dates (renewal dates) are calendar days, not instants: show them as written.
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const [y, m, d] = value.split('-').map(Number);
    return new Intl.DateTimeFormat(locale === 'ja' ? 'ja-JP' : 'en-GB', { dateStyle: 'medium', timeZone: 'UTC' }).format(Date.UTC(y, m - 1, d));
  }
  const date = toDate(value);
  return date ? formatter(locale, { dateStyle: 'medium' }).format(date) : '—';
}

export function formatNumber(locale: Locale, value: number | null | undefined, options?: Intl.NumberFormatOptions): string {
  return value === null || value === undefined ? '—' : new Intl.NumberFormat(locale === 'ja' ? 'ja-JP' : 'en-GB', options).format(value);
}

/** A value for `<input type="datetime-local">` in the person's time zone. */
export function toLocalInputValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

import { useI18n } from '../i18n/I18nProvider';
import { formatDate, formatDateTime, toDate } from '../i18n/formatting';

/** A moment in the person's time zone, with the exact ISO instant on hover. */
export function DateTimeText({ value, dateOnly = false }: { value: string | number | null | undefined; dateOnly?: boolean }) {
  const { locale } = useI18n();
  const date = toDate(value);
  if (!date) return <span className="muted">—</span>;
  return <time dateTime={date.toISOString()} title={date.toISOString()}>{dateOnly ? formatDate(locale, value) : formatDateTime(locale, value)}</time>;
}

import { useState } from 'react';
import { useT } from '../i18n/I18nProvider';
import { toLocalInputValue } from '../i18n/formatting';

function at9(daysFromNow: number): Date {
  const date = new Date();
  date.setDate(date.getDate() + daysFromNow);
  date.setHours(9, 0, 0, 0);
  return date;
}

/** Hide the task until a time in the person's own time zone; it comes back by itself. */
export function SnoozeTaskForm({ busy, onSnooze }: { busy: boolean; onSnooze: (until: Date) => void }) {
  const t = useT();
  const [until, setUntil] = useState(() => toLocalInputValue(at9(1)));
  return (
    <form className="task-form" onSubmit={(e) => { e.preventDefault(); onSnooze(new Date(until)); }}>
      <h3>{t('inbox.snooze')}</h3>
      <div className="row">
        <button type="button" onClick={() => setUntil(toLocalInputValue(at9(1)))}>{t('inbox.tomorrow')}</button>
        <button type="button" onClick={() => setUntil(toLocalInputValue(at9(3)))}>{t('inbox.inThreeDays')}</button>
        <button type="button" onClick={() => setUntil(toLocalInputValue(at9(7)))}>{t('inbox.nextWeek')}</button>
      </div>
      <div className="row">
        <input type="datetime-local" value={until} onChange={(e) => setUntil(e.target.value)} aria-label={t('inbox.snoozeUntil')} />
        <button type="submit" disabled={busy || !until}>{t('inbox.snoozeButton')}</button>
      </div>
    </form>
  );
}

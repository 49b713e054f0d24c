import type { WaitView } from '../api/engineTypes';
import { DateTimeText } from '../common/DateTimeText';
import { useI18n } from '../i18n/I18nProvider';

/** Where the run waits now: a task's outcome, an account event or a time. */
export function WaitsList({ waits }: { waits: WaitView[] }) {
  const { t, tOr } = useI18n();
  if (waits.length === 0) return <p className="muted">{t('runs.noWaits')}</p>;
  return (
    <ul className="waits-list" data-testid="waits">
      {waits.map((wait) => (
        <li key={wait.key + wait.activityId}>
          <code>{wait.activityId}</code> · {tOr(`wait.${wait.kind}`, wait.kind)}
          {wait.kind !== 'timer' && <span className="muted small"> {wait.key}</span>}
          {wait.dueAt && <> · {t('runs.dueAt')} <DateTimeText value={wait.dueAt} /></>}
        </li>
      ))}
    </ul>
  );
}

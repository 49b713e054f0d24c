import type { JournalView } from '../api/engineTypes';
import { DateTimeText } from '../common/DateTimeText';
import { useI18n } from '../i18n/I18nProvider';

/** The run's history, one row per activity execution, with what went in and came out on demand. */
export function JournalTable({ journal, activityId, onShowAll }: { journal: JournalView[]; activityId?: string | null; onShowAll?: () => void }) {
  const { t, tOr } = useI18n();
  const shown = activityId ? journal.filter((entry) => entry.activityId === activityId) : journal;
  return (
    <>
    {activityId && (
      <p className="journal-filter">
        {t('runs.journalOf', { activity: activityId })} <button type="button" className="link-button" onClick={onShowAll}>{t('runs.showAll')}</button>
      </p>
    )}
    <table className="data-table journal-table" data-testid="journal">
      <thead>
        <tr><th>#</th><th>{t('runs.activity')}</th><th>{t('runs.type')}</th><th>{t('runs.status')}</th><th>{t('runs.outcome')}</th><th>{t('runs.ended')}</th><th>{t('runs.details')}</th></tr>
      </thead>
      <tbody>
        {shown.map((entry) => (
          <tr key={entry.seq} className={`journal-${entry.status}`}>
            <td className="numeric">{entry.seq}</td>
            <td><code>{entry.activityId || '—'}</code></td>
            <td>{entry.activityType === 'Instance' ? t('runs.instanceEvent') : tOr(`activity.${entry.activityType}`, entry.activityType)}</td>
            <td><span className={`status-badge status-${entry.status}`}>{tOr(`journal.${entry.status}`, entry.status)}</span></td>
            <td>{entry.outcome ? <code>{entry.outcome}</code> : ''}</td>
            <td><DateTimeText value={entry.endedAt} /></td>
            <td>
              {entry.error && <div className="field-problem">{entry.error}</div>}
              {(entry.inputs != null || entry.output != null) && (
                <details>
                  <summary>{t('runs.showData')}</summary>
                  {entry.inputs != null && <><h4>{t('runs.inputs')}</h4><pre className="code-block">{JSON.stringify(entry.inputs, null, 2)}</pre></>}
                  {entry.output != null && <><h4>{t('runs.output')}</h4><pre className="code-block">{JSON.stringify(entry.output, null, 2)}</pre></>}
                </details>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
    </>
  );
}

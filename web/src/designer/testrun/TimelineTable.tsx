import type { TimelineEntry } from '../../api/engineTypes';
import { useI18n } from '../../i18n/I18nProvider';
import { formatDateTime } from '../../i18n/formatting';

/** The test run, step by step in virtual time; a row with an activity selects it on the canvas. */
export function TimelineTable({ entries, onSelectActivity }: { entries: TimelineEntry[]; onSelectActivity: (id: string) => void }) {
  const { t, tOr, locale } = useI18n();
  return (
    <table className="compact-table timeline-table" data-testid="timeline">
      <thead><tr><th>{t('testRun.day')}</th><th>{t('testRun.kind')}</th><th>{t('testRun.summary')}</th></tr></thead>
      <tbody>
        {entries.map((entry, index) => (
          <tr key={index} className={`timeline-${entry.kind.replace('.', '-')}`}>
            <td className="numeric" title={formatDateTime(locale, entry.at)}>{entry.day}</td>
            <td><span className="timeline-kind">{tOr(`timeline.${entry.kind}`, entry.kind)}</span></td>
            <td>
              {entry.activityId && (
                <button type="button" className="link-button timeline-activity" onClick={() => onSelectActivity(entry.activityId!.split('#')[0])}>{entry.activityId}</button>
              )}
              <div>{entry.summary}</div>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

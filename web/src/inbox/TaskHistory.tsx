import type { TaskHistoryEntry } from '../api/tasksTypes';
import { DateTimeText } from '../common/DateTimeText';
import { useI18n } from '../i18n/I18nProvider';

export function TaskHistory({ history }: { history: TaskHistoryEntry[] }) {
  const { t, tOr } = useI18n();
  return (
    <section className="task-history">
      <h3>{t('inbox.history')}</h3>
      <ol>
        {history.map((h, i) => (
          <li key={i}><DateTimeText value={h.at} /> · <strong>{tOr(`taskHistory.${h.kind}`, h.kind)}</strong> · {h.actor}{h.detail && <span className="muted"> — {h.detail}</span>}</li>
        ))}
      </ol>
    </section>
  );
}

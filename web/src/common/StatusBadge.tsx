import { useI18n } from '../i18n/I18nProvider';

/** A coloured label for a playbook's, run's or task's status; the colour follows the `status-…` class. */
export function StatusBadge({ status }: { status: string }) {
  const { tOr } = useI18n();
  return <span className={`status-badge status-${status}`}>{tOr(`status.${status}`, status)}</span>;
}

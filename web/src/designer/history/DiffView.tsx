import type { DefinitionChange } from '../../api/engineTypes';
import { useI18n } from '../../i18n/I18nProvider';

/** What changed between two versions, in the designer's terms (GET …/diff). */
export function DiffView({ changes }: { changes: DefinitionChange[] }) {
  const { t } = useI18n();
  if (changes.length === 0) return <p className="muted">{t('history.noChanges')}</p>;
  return (
    <table className="compact-table diff-table" data-testid="diff-table">
      <thead><tr><th>{t('history.change')}</th><th>{t('history.path')}</th><th>{t('history.before')}</th><th>{t('history.after')}</th></tr></thead>
      <tbody>
        {changes.map((change, index) => (
          <tr key={index} className={`diff-${change.kind}`}>
            <td><span className={`diff-kind diff-kind-${change.kind}`}>{t(`history.${change.kind}`)}</span></td>
            <td><code>{change.path}</code></td>
            <td><code className="diff-value">{change.before ?? ''}</code></td>
            <td><code className="diff-value">{change.after ?? ''}</code></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

import { useMemo, useState } from 'react';
import { useT } from '../i18n/I18nProvider';
import { diffJson, showValue } from './jsonDiff';

/** An audit entry's before and after: the changed paths first, the whole documents side by side on request. */
export function AuditChanges({ before, after }: { before: unknown; after: unknown }) {
  const t = useT();
  const [raw, setRaw] = useState(false);
  const changes = useMemo(() => diffJson(before, after), [before, after]);
  const whole = changes.length === 1 && changes[0].path === '';
  return (
    <div className="audit-changes" data-testid="audit-changes">
      <div className="segmented" role="radiogroup">
        <button type="button" role="radio" aria-checked={!raw} className={!raw ? 'active' : ''} onClick={() => setRaw(false)}>{t('audit.changedFields', { count: changes.length })}</button>
        <button type="button" role="radio" aria-checked={raw} className={raw ? 'active' : ''} onClick={() => setRaw(true)}>{t('audit.beforeAfter')}</button>
      </div>
      {!raw && changes.length === 0 && <p className="muted">{t('audit.noChanges')}</p>}
      {!raw && changes.length > 0 && !whole && (
        <table className="compact-table diff-table" data-testid="audit-diff">
          <thead><tr><th>{t('audit.path')}</th><th>{t('audit.before')}</th><th>{t('audit.after')}</th></tr></thead>
          <tbody>
            {changes.map((change) => (
              <tr key={`${change.kind}:${change.path}`} className={`diff-${change.kind}`} data-path={change.path}>
                <td><code>{change.path}</code> <span className={`diff-kind diff-kind-${change.kind}`}>{t(`audit.kind.${change.kind}`)}</span></td>
                <td><code className="diff-before">{showValue(change.before)}</code></td>
                <td><code className="diff-after">{showValue(change.after)}</code></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {(raw || whole) && (
        <div className="before-after">
          <div><h4>{t('audit.before')}</h4><pre className="code-block">{before == null ? '—' : JSON.stringify(before, null, 2)}</pre></div>
          <div><h4>{t('audit.after')}</h4><pre className="code-block">{after == null ? '—' : JSON.stringify(after, null, 2)}</pre></div>
        </div>
      )}
    </div>
  );
}

import { useState } from 'react';
import { engineApi } from '../../api/engineApi';
import type { DefinitionChange } from '../../api/engineTypes';
import { DateTimeText } from '../../common/DateTimeText';
import { ErrorBanner } from '../../common/ErrorBanner';
import { Loading } from '../../common/Loading';
import { useAsync } from '../../common/useAsync';
import { useT } from '../../i18n/I18nProvider';
import { useDesignerStore } from '../state/DesignerContext';
import { DiffView } from './DiffView';

interface Comparison {
  from: number;
  to: number | null;
  changes: DefinitionChange[];
}

/** Published versions with their notes; compare any with the one before it or with the draft, or restore one into the draft. */
export function VersionsPanel({ definitionId, refreshKey, readOnly }: { definitionId: string; refreshKey: number; readOnly: boolean }) {
  const t = useT();
  const store = useDesignerStore();
  const versions = useAsync(() => engineApi.versions(definitionId), [definitionId, refreshKey]);
  const [comparison, setComparison] = useState<Comparison | null>(null);
  const [error, setError] = useState<unknown>(null);

  const compare = async (from: number, to: number | null) => {
    setError(null);
    try {
      setComparison({ from, to, changes: await engineApi.diff(definitionId, from, to ?? undefined) });
    } catch (e) {
      setError(e);
    }
  };

  const restore = async (version: number) => {
    if (!window.confirm(t('history.restoreConfirm', { version }))) return;
    try {
      const view = await engineApi.definition(definitionId, version);
      store.replace({ ...view.definition, version: null });
    } catch (e) {
      setError(e);
    }
  };

  if (versions.loading && !versions.data) return <Loading />;
  return (
    <div className="versions-panel" data-testid="versions-panel">
      <ErrorBanner error={versions.error ?? error} />
      {versions.data?.length === 0 && <p className="muted">{t('history.none')}</p>}
      <ul className="version-list">
        {versions.data?.map((v) => (
          <li key={v.version} className={v.isPublished ? 'version current' : 'version'}>
            <div className="version-head">
              <strong>{t('playbooks.versionLabel', { version: v.version })}</strong>
              {v.isPublished && <span className="status-badge status-published">{t('history.live')}</span>}
              <DateTimeText value={v.publishedAt} />
            </div>
            {v.note && <p className="version-note">{v.note}</p>}
            <div className="row-actions">
              <button type="button" className="link-button" onClick={() => compare(v.version, null)}>{t('history.compareDraft')}</button>
              {v.version > 1 && <button type="button" className="link-button" onClick={() => compare(v.version - 1, v.version)}>{t('history.comparePrevious')}</button>}
              {!readOnly && <button type="button" className="link-button" onClick={() => restore(v.version)}>{t('history.restore')}</button>}
            </div>
          </li>
        ))}
      </ul>
      {comparison && (
        <section className="diff-section">
          <h3>{comparison.to === null
            ? t('history.diffToDraft', { from: comparison.from })
            : t('history.diffBetween', { from: comparison.from, to: comparison.to })}</h3>
          <DiffView changes={comparison.changes} />
        </section>
      )}
    </div>
  );
}

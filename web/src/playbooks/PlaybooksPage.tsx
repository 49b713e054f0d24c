import { useCallback, useState } from 'react';
import { engineApi } from '../api/engineApi';
import type { DefinitionSummary } from '../api/engineTypes';
import { EmptyState } from '../common/EmptyState';
import { ErrorBanner } from '../common/ErrorBanner';
import { Loading } from '../common/Loading';
import { useAsync } from '../common/useAsync';
import { useT } from '../i18n/I18nProvider';
import { navigate } from '../routing/router';
import { useSession } from '../session/SessionProvider';
import { CreatePlaybookDialog } from './CreatePlaybookDialog';
import { DuplicatePlaybookDialog } from './DuplicatePlaybookDialog';
import { PlaybookRow } from './PlaybookRow';
import { StartRunDialog } from './StartRunDialog';

export function PlaybooksPage() {
  const t = useT();
  const session = useSession();
  const [showArchived, setShowArchived] = useState(false);
  const [creating, setCreating] = useState(false);
  const [duplicating, setDuplicating] = useState<DefinitionSummary | null>(null);
  const [starting, setStarting] = useState<DefinitionSummary | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const playbooks = useAsync(() => engineApi.definitions(showArchived), [showArchived]);
  const { reload } = playbooks;

  const archive = useCallback(async (playbook: DefinitionSummary) => {
    if (!window.confirm(t('playbooks.archiveConfirm', { name: playbook.name }))) return;
    try {
      await engineApi.archive(playbook.definitionId);
      reload();
    } catch (e) {
      setActionError(e);
    }
  }, [t, reload]);

  const unpublish = useCallback(async (playbook: DefinitionSummary) => {
    if (!window.confirm(t('playbooks.unpublishConfirm', { name: playbook.name }))) return;
    try {
      await engineApi.unpublish(playbook.definitionId);
      reload();
    } catch (e) {
      setActionError(e);
    }
  }, [t, reload]);

  const openInDesigner = (definitionId: string) => navigate(`/designer/${encodeURIComponent(definitionId)}`);

  return (
    <section className="page">
      <div className="page-header">
        <h1>{t('playbooks.title')}</h1>
        <label className="checkbox-label">
          <input type="checkbox" checked={showArchived} onChange={(e) => setShowArchived(e.target.checked)} />
          {t('playbooks.showArchived')}
        </label>
        {session.can('design') && <button type="button" className="primary" onClick={() => setCreating(true)}>{t('playbooks.new')}</button>}
      </div>
      <ErrorBanner error={playbooks.error ?? actionError} onDismiss={actionError ? () => setActionError(null) : undefined} />
      {playbooks.loading && !playbooks.data && <Loading />}
      {playbooks.data && playbooks.data.length === 0 && (
        <EmptyState title={t('playbooks.empty')}>{session.can('design') && <p>{t('playbooks.emptyHint')}</p>}</EmptyState>
      )}
      {playbooks.data && playbooks.data.length > 0 && (
        <table className="data-table" data-testid="playbooks-table">
          <thead>
            <tr>
              <th>{t('playbooks.name')}</th>
              <th>{t('playbooks.status')}</th>
              <th className="numeric">{t('playbooks.version')}</th>
              <th className="numeric">{t('playbooks.running')}</th>
              <th>{t('playbooks.lastChange')}</th>
              <th><span className="visually-hidden">{t('common.actions')}</span></th>
            </tr>
          </thead>
          <tbody>
            {playbooks.data.map((playbook) => (
              <PlaybookRow
                key={playbook.definitionId} playbook={playbook} canDesign={session.can('design')} canStart={session.can('startRuns')}
                onStart={setStarting} onDuplicate={setDuplicating} onArchive={archive} onUnpublish={unpublish}
              />
            ))}
          </tbody>
        </table>
      )}
      {creating && <CreatePlaybookDialog onClose={() => setCreating(false)} onCreated={openInDesigner} />}
      {starting && (
        <StartRunDialog playbook={starting} onClose={() => setStarting(null)} onStarted={(id) => navigate(`/runs/${encodeURIComponent(id)}`)} />
      )}
      {duplicating && (
        <DuplicatePlaybookDialog source={duplicating} onClose={() => setDuplicating(null)} onDuplicated={() => { setDuplicating(null); reload(); }} />
      )}
    </section>
  );
}

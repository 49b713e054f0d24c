import { memo } from 'react';
import type { DefinitionSummary } from '../api/engineTypes';
import { DateTimeText } from '../common/DateTimeText';
import { StatusBadge } from '../common/StatusBadge';
import { useT } from '../i18n/I18nProvider';
import { Link } from '../routing/router';

interface PlaybookRowProps {
  playbook: DefinitionSummary;
  canDesign: boolean;
  canStart: boolean;
  onStart: (playbook: DefinitionSummary) => void;
  onDuplicate: (playbook: DefinitionSummary) => void;
  onArchive: (playbook: DefinitionSummary) => void;
  onUnpublish: (playbook: DefinitionSummary) => void;
}

export const PlaybookRow = memo(function PlaybookRow({ playbook, canDesign, canStart, onStart, onDuplicate, onArchive, onUnpublish }: PlaybookRowProps) {
  const t = useT();
  const designerPath = `/designer/${encodeURIComponent(playbook.definitionId)}`;
  return (
    <tr data-playbook={playbook.definitionId}>
      <td>
        <Link to={designerPath} className="strong">{playbook.name}</Link>
        <div className="muted small">{playbook.definitionId}</div>
      </td>
      <td><StatusBadge status={playbook.status} /></td>
      <td className="numeric">
        {playbook.publishedVersion ? t('playbooks.versionLabel', { version: playbook.publishedVersion }) : '—'}
        {playbook.latestVersion > 0 && playbook.latestVersion !== playbook.publishedVersion && (
          <div className="muted small">{t('playbooks.latestVersion', { version: playbook.latestVersion })}</div>
        )}
      </td>
      <td className="numeric">
        <Link to={`/runs?definitionId=${encodeURIComponent(playbook.definitionId)}&status=running`}>{playbook.runningInstances}</Link>
      </td>
      <td><DateTimeText value={playbook.lastChange} /></td>
      <td>
        <div className="row-actions">
          <Link to={designerPath}>{t('playbooks.open')}</Link>
          {canStart && playbook.status === 'published' && <button type="button" className="link-button" onClick={() => onStart(playbook)}>{t('playbooks.start')}</button>}
          {canDesign && <button type="button" className="link-button" onClick={() => onDuplicate(playbook)}>{t('playbooks.duplicate')}</button>}
          {canDesign && playbook.status === 'published' && (
            <button type="button" className="link-button" onClick={() => onUnpublish(playbook)}>{t('playbooks.unpublish')}</button>
          )}
          {canDesign && playbook.status !== 'archived' && (
            <button type="button" className="link-button danger" onClick={() => onArchive(playbook)}>{t('playbooks.archive')}</button>
          )}
        </div>
      </td>
    </tr>
  );
});

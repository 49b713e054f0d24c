import { useReactFlow } from '@xyflow/react';
import { StatusBadge } from '../../common/StatusBadge';
import { useT } from '../../i18n/I18nProvider';
import { useDesigner, useDesignerStore } from '../state/DesignerContext';

interface DesignerToolbarProps {
  status: string;
  publishedVersion: number | null;
  readOnly: boolean;
  canPublish: boolean;
  saving: boolean;
  onSave: () => void;
  onPublish: () => void;
  onAutoLayout: () => void;
}

export function DesignerToolbar({ status, publishedVersion, readOnly, canPublish, saving, onSave, onPublish, onAutoLayout }: DesignerToolbarProps) {
  const t = useT();
  const store = useDesignerStore();
  const { fitView } = useReactFlow();
  const name = useDesigner((s) => s.definition.name);
  const dirty = useDesigner((s) => s.definition !== s.saved);
  const canUndo = useDesigner((s) => s.history.past.length > 0);
  const canRedo = useDesigner((s) => s.history.future.length > 0);
  const problemCount = useDesigner((s) => s.problems.all.length);
  const activityCount = useDesigner((s) => s.definition.activities.length);

  return (
    <div className="designer-toolbar" role="toolbar" aria-label={t('designer.toolbar')}>
      <h1 className="designer-title">{name || t('designer.untitled')}</h1>
      <StatusBadge status={status} />
      {publishedVersion !== null && <span className="muted small">{t('playbooks.versionLabel', { version: publishedVersion })}</span>}
      <span className="muted small" data-testid="activity-count">{t('designer.activityCount', { count: activityCount })}</span>
      {dirty && <span className="dirty-marker" data-testid="unsaved">{t('designer.unsaved')}</span>}
      <span className="toolbar-spacer" />
      {!readOnly && (
        <>
          <button type="button" onClick={store.undo} disabled={!canUndo} title={t('designer.undoHint')} data-testid="undo">{t('designer.undo')}</button>
          <button type="button" onClick={store.redo} disabled={!canRedo} title={t('designer.redoHint')} data-testid="redo">{t('designer.redo')}</button>
          <button type="button" onClick={onAutoLayout} data-testid="auto-layout">{t('designer.autoLayout')}</button>
        </>
      )}
      <button type="button" onClick={() => fitView({ duration: 300, padding: 0.15 })}>{t('designer.fitView')}</button>
      {!readOnly && (
        <button type="button" onClick={onSave} disabled={!dirty || saving} data-testid="save-draft">{saving ? t('designer.saving') : t('designer.saveDraft')}</button>
      )}
      {canPublish && (
        <button type="button" className="primary" onClick={onPublish} disabled={saving} title={problemCount ? t('designer.publishBlocked', { count: problemCount }) : undefined} data-testid="publish">
          {t('designer.publish')}
        </button>
      )}
    </div>
  );
}

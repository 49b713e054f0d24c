import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../api/http';
import { engineApi } from '../api/engineApi';
import type { ActivityDescriptor, DefinitionSummary } from '../api/engineTypes';
import { ErrorBanner } from '../common/ErrorBanner';
import { useT } from '../i18n/I18nProvider';
import { setNavigationGuard } from '../routing/navigationGuard';
import { useSession } from '../session/SessionProvider';
import { DesignerCanvas } from './canvas/DesignerCanvas';
import { addActivity } from './model/definitionEdits';
import { autoLayout } from './model/layout';
import { outcomesOf } from './model/outcomes';
import { ActivityPalette } from './palette/ActivityPalette';
import { SidePanel } from './SidePanel';
import { DesignerContext } from './state/DesignerContext';
import type { DesignerStore } from './state/designerStore';
import { useLiveValidation } from './state/useLiveValidation';
import { useUndoRedoKeys } from './state/useUndoRedoKeys';
import { DesignerToolbar } from './toolbar/DesignerToolbar';
import { PublishDialog } from './toolbar/PublishDialog';

interface WorkspaceProps {
  store: DesignerStore;
  summary: DefinitionSummary | undefined;
  onPublished: () => void;
}

export function DesignerWorkspace(props: WorkspaceProps) {
  return (
    <DesignerContext.Provider value={props.store}>
      <ReactFlowProvider>
        <Workspace {...props} />
      </ReactFlowProvider>
    </DesignerContext.Provider>
  );
}

/** Palette, canvas and side panel around one store; saving, publishing and layout live here. */
function Workspace({ store, summary, onPublished }: WorkspaceProps) {
  const session = useSession();
  const { screenToFlowPosition, fitView } = useReactFlow();
  const readOnly = !session.can('design');
  const [saving, setSaving] = useState(false);
  const [publishing, setPublishing] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [versionsKey, setVersionsKey] = useState(0);
  const definitionId = store.getState().definition.definitionId;
  const t = useT();
  useLiveValidation(store);
  useUndoRedoKeys(store, !readOnly);
  useEffect(() => {
    setNavigationGuard(() => {
      const { definition, saved } = store.getState();
      return definition !== saved ? t('designer.leaveUnsaved') : null;
    });
    return () => setNavigationGuard(null);
  }, [store, t]);

  const save = useCallback(async () => {
    const definition = store.getState().definition;
    setSaving(true);
    setError(null);
    try {
      const view = await engineApi.saveDraft(definition);
      store.markSaved(definition);
      store.setProblems(view.problems, definition, store.getState().structureRevision);
      return true;
    } catch (e) {
      setError(e);
      return false;
    } finally {
      setSaving(false);
    }
  }, [store]);

  const publish = useCallback(async (note: string) => {
    setSaving(true);
    const state = store.getState();
    if (state.definition !== state.saved && !(await save())) { setSaving(false); return; }
    try {
      await engineApi.publish(definitionId, note);
      setPublishing(false);
      setVersionsKey((k) => k + 1);
      onPublished();
    } catch (e) {
      setPublishing(false);
      setError(e);
      if (e instanceof ApiError && e.fieldErrors.length) {
        const current = store.getState();
        store.setProblems(e.fieldErrors, current.definition, current.structureRevision);
      }
    } finally {
      setSaving(false);
    }
  }, [store, save, definitionId, onPublished]);

  const layout = useCallback(() => {
    const { definition, descriptors } = store.getState();
    const byId = new Map(definition.activities.map((a) => [a.id, a]));
    const positions = autoLayout(definition, (id) => outcomesOf(byId.get(id)!, descriptors.get(byId.get(id)!.type), (x) => byId.get(x)).length);
    store.move(positions, 'instant');
    requestAnimationFrame(() => void fitView({ duration: 300, padding: 0.15 }));
  }, [store, fitView]);

  const addAtCentre = useCallback((descriptor: ActivityDescriptor) => {
    const canvas = document.querySelector('.designer-canvas')?.getBoundingClientRect();
    const centre = canvas ? screenToFlowPosition({ x: canvas.left + canvas.width / 2, y: canvas.top + canvas.height / 2 }) : { x: 0, y: 0 };
    let id = '';
    store.edit((d) => {
      const added = addActivity(d, descriptor, { x: centre.x - 100, y: centre.y - 40 });
      id = added.id;
      return added.definition;
    });
    store.selectActivity(id);
  }, [store, screenToFlowPosition]);

  return (
    <div className="designer" data-testid="designer">
      <DesignerToolbar
        status={summary?.status ?? 'draft'} publishedVersion={summary?.publishedVersion ?? null} readOnly={readOnly} canPublish={session.can('publish')}
        saving={saving} onSave={save} onPublish={() => setPublishing(true)} onAutoLayout={layout}
      />
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      <div className="designer-body">
        {!readOnly && <ActivityPalette onAdd={addAtCentre} />}
        <DesignerCanvas readOnly={readOnly} />
        <SidePanel definitionId={definitionId} readOnly={readOnly} versionsKey={versionsKey} />
      </div>
      {publishing && <PublishDialog busy={saving} onPublish={publish} onClose={() => setPublishing(false)} />}
    </div>
  );
}

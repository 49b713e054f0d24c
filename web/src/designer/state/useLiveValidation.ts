import { useEffect } from 'react';
import { engineApi } from '../../api/engineApi';
import type { DesignerStore } from './designerStore';

const debounceMs = 450;

/**
 * Asks the engine to validate the canvas shortly after each change (POST /api/engine/definitions/validate), so the
 * problems on nodes and fields, JavaScript compile errors included, are the engine's own verdict.
 */
export function useLiveValidation(store: DesignerStore): void {
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let lastRevision = store.getState().structureRevision;
    const unsubscribe = store.subscribe(() => {
      const { structureRevision } = store.getState();
      if (structureRevision === lastRevision) return;
      lastRevision = structureRevision;
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const { definition, structureRevision: revision } = store.getState();
        try {
          const { problems } = await engineApi.validate(definition);
          store.setProblems(problems, definition, revision);
        } catch {
          // Validation is advisory while editing; saving and publishing report the server's errors.
        }
      }, debounceMs);
    });
    return () => { clearTimeout(timer); unsubscribe(); };
  }, [store]);
}

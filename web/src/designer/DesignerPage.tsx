import { useEffect } from 'react';
import { engineApi } from '../api/engineApi';
import { ErrorBanner } from '../common/ErrorBanner';
import { Loading } from '../common/Loading';
import { useAsync } from '../common/useAsync';
import { DesignerWorkspace } from './DesignerWorkspace';
import { withPositions } from './model/withPositions';
import { createDesignerStore } from './state/designerStore';

export const lastDesignedKey = 'playbooks.lastDesigned';

/** Loads the palette and the draft, then hands both to a designer workspace with its own store. */
export default function DesignerPage({ definitionId }: { definitionId: string }) {
  const loaded = useAsync(async (signal) => {
    const [activities, view] = await Promise.all([engineApi.activities(), engineApi.definition(definitionId)]);
    if (signal.aborted) throw new DOMException('aborted', 'AbortError');
    const descriptors = new Map(activities.map((d) => [d.type, d]));
    return createDesignerStore(withPositions(view.definition, descriptors), descriptors, view.problems);
  }, [definitionId]);
  const summaries = useAsync(() => engineApi.definitions(true), [definitionId]);
  const store = loaded.data;
  useEffect(() => { try { localStorage.setItem(lastDesignedKey, definitionId); } catch { /* storage refused */ } }, [definitionId]);

  if (loaded.error) return <section className="page"><ErrorBanner error={loaded.error} /></section>;
  if (!store || store.getState().definition.definitionId !== definitionId) return <Loading />;
  return (
    <DesignerWorkspace
      key={definitionId} store={store}
      summary={summaries.data?.find((s) => s.definitionId === definitionId)} onPublished={summaries.reload}
    />
  );
}

import { useEffect, useState } from 'react';
import { useT } from '../../i18n/I18nProvider';
import { activityIdPattern } from '../model/activityIds';
import { renameActivity } from '../model/definitionEdits';
import { useDesignerStore } from '../state/DesignerContext';

/** Renaming an id rewires its connections and the tasks that point at it; applied on Enter or leaving the field. */
export function ActivityIdField({ activityId }: { activityId: string }) {
  const t = useT();
  const store = useDesignerStore();
  const [draft, setDraft] = useState(activityId);
  useEffect(() => setDraft(activityId), [activityId]);

  const taken = draft !== activityId && store.getState().definition.activities.some((a) => a.id === draft);
  const problem = !activityIdPattern.test(draft) ? t('designer.idRule') : taken ? t('designer.idTaken') : undefined;
  const commit = () => {
    if (problem || draft === activityId) { setDraft(activityId); return; }
    store.edit((d) => renameActivity(d, activityId, draft));
    store.selectActivity(draft);
  };
  return (
    <label className={`field${problem ? ' field-invalid' : ''}`}>
      <span className="field-label">{t('designer.activityId')}</span>
      <input className="code" value={draft} onChange={(e) => setDraft(e.target.value)} onBlur={commit}
        onKeyDown={(e) => { if (e.key === 'Enter') commit(); if (e.key === 'Escape') setDraft(activityId); }} />
      {problem && <span className="field-problem">{problem}</span>}
    </label>
  );
}

import { useMemo } from 'react';
import { useI18n } from '../../i18n/I18nProvider';
import { removeActivities, updateActivity } from '../model/definitionEdits';
import { outcomesOf } from '../model/outcomes';
import { useDesigner, useDesignerStore } from '../state/DesignerContext';
import { ActivityIdField } from './ActivityIdField';
import { InputField } from './InputField';

/** The property panel of one activity, generated from its descriptor. */
export function ActivityProperties({ activityId, readOnly }: { activityId: string; readOnly: boolean }) {
  const { t, tOr } = useI18n();
  const store = useDesignerStore();
  const activity = useDesigner((s) => s.definition.activities.find((a) => a.id === activityId));
  const descriptor = useDesigner((s) => (activity ? s.descriptors.get(activity.type) : undefined));
  const activities = useDesigner((s) => s.definition.activities);
  const problems = useDesigner((s) => s.problems.byActivity.get(activityId));
  const outcomes = useMemo(
    () => (activity ? outcomesOf(activity, descriptor, (id) => activities.find((a) => a.id === id)) : []),
    [activity, descriptor, activities],
  );
  if (!activity) return null;
  const general = problems?.filter((p) => !/\.inputs\.[A-Za-z0-9_]+/.test(p.path)) ?? [];

  return (
    <div className="activity-properties" data-testid="activity-properties">
      <header className="properties-header">
        <h2>{tOr(`activity.${activity.type}`, descriptor?.displayName ?? activity.type)}</h2>
        <p className="muted small">{tOr(`activityHelp.${activity.type}`, descriptor?.description ?? '')}</p>
      </header>
      {general.map((p) => <p key={p.path + p.message} className="field-problem" role="alert">{p.message}</p>)}
      <fieldset disabled={readOnly} className="properties-fields">
        <ActivityIdField activityId={activity.id} />
        <label className="field">
          <span className="field-label">{t('designer.displayName')}</span>
          <input
            value={activity.displayName ?? ''} placeholder={activity.id}
            onChange={(e) => store.edit((d) => updateActivity(d, activity.id, (a) => ({ ...a, displayName: e.target.value || null })), `name:${activity.id}`)}
          />
        </label>
        {descriptor?.inputs.map((input) => (
          <InputField key={input.name} activityId={activity.id} activityType={activity.type} input={input} value={activity.inputs[input.name]} />
        ))}
      </fieldset>
      <section className="outcome-list">
        <h3>{t('designer.outcomes')}</h3>
        {outcomes.length === 0 ? <p className="muted small">{t('designer.noOutcomes')}</p> : (
          <ul>{outcomes.map((o) => <li key={o}><code>{o}</code></li>)}</ul>
        )}
        {descriptor?.dynamicOutcomes && <p className="muted small">{t('designer.dynamicOutcomes', { rule: tOr(`dynamic.${activity.type}`, descriptor.dynamicOutcomes) })}</p>}
      </section>
      {!readOnly && activity.type !== 'Start' && (
        <button type="button" className="danger" onClick={() => { store.edit((d) => removeActivities(d, new Set([activity.id]))); store.selectActivity(null); }}>
          {t('designer.deleteActivity')}
        </button>
      )}
    </div>
  );
}

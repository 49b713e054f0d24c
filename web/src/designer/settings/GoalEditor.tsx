import { useT } from '../../i18n/I18nProvider';
import { useDesigner, useDesignerStore } from '../state/DesignerContext';

/** What success means for the playbook: an account event within some days; the metrics service measures it. */
export function GoalEditor() {
  const t = useT();
  const store = useDesignerStore();
  const goal = useDesigner((s) => s.definition.goal);
  if (!goal) {
    return (
      <section className="settings-section">
        <h3>{t('settings.goal')}</h3>
        <p className="muted small">{t('settings.noGoal')}</p>
        <button type="button" onClick={() => store.edit((d) => ({ ...d, goal: { eventType: '', withinDays: 30 } }))}>{t('settings.addGoal')}</button>
      </section>
    );
  }
  return (
    <section className="settings-section">
      <h3>{t('settings.goal')}</h3>
      <div className="grid-2">
        <label className="field"><span className="field-label">{t('settings.eventType')}</span>
          <input value={goal.eventType} placeholder="renewal.signed" onChange={(e) => store.edit((d) => ({ ...d, goal: { ...goal, eventType: e.target.value } }), 'goal:event')} />
        </label>
        <label className="field"><span className="field-label">{t('settings.withinDays')}</span>
          <input type="number" min={1} value={goal.withinDays} onChange={(e) => store.edit((d) => ({ ...d, goal: { ...goal, withinDays: Number(e.target.value) } }), 'goal:days')} />
        </label>
      </div>
      <label className="field"><span className="field-label">{t('settings.condition')}</span>
        <input className="code" value={goal.condition ?? ''} placeholder={t('settings.conditionOptional')}
          onChange={(e) => store.edit((d) => ({ ...d, goal: { ...goal, condition: e.target.value || null } }), 'goal:condition')} />
      </label>
      <button type="button" className="link-button danger" onClick={() => store.edit((d) => ({ ...d, goal: null }))}>{t('settings.removeGoal')}</button>
    </section>
  );
}

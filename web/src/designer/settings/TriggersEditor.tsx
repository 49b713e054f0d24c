import { useT } from '../../i18n/I18nProvider';
import { useDesigner, useDesignerStore } from '../state/DesignerContext';
import { TriggerRow } from './TriggerRow';

export function TriggersEditor() {
  const t = useT();
  const store = useDesignerStore();
  const triggers = useDesigner((s) => s.definition.triggers);
  return (
    <section className="settings-section" data-testid="triggers">
      <h3>{t('settings.triggers')}</h3>
      {triggers.length === 0 && <p className="muted small">{t('settings.noTriggers')}</p>}
      {triggers.map((trigger, index) => (
        <TriggerRow
          key={index} index={index} trigger={trigger}
          onChange={(next) => store.edit((d) => ({ ...d, triggers: d.triggers.map((x, i) => (i === index ? next : x)) }), `trigger:${index}`)}
          onRemove={() => store.edit((d) => ({ ...d, triggers: d.triggers.filter((_, i) => i !== index) }))}
        />
      ))}
      <button type="button" onClick={() => store.edit((d) => ({ ...d, triggers: [...d.triggers, { kind: 'event', eventType: null }] }))}>
        {t('settings.addTrigger')}
      </button>
    </section>
  );
}

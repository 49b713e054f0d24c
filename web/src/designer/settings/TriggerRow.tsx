import type { TriggerDefinition } from '../../api/engineTypes';
import { useT } from '../../i18n/I18nProvider';
import { ProblemMessages } from './ProblemMessages';
import { usePlaybookProblems } from './usePlaybookProblems';

export const triggerKinds = ['event', 'schedule', 'date', 'threshold', 'manual'] as const;

interface TriggerRowProps {
  index: number;
  trigger: TriggerDefinition;
  onChange: (trigger: TriggerDefinition) => void;
  onRemove: () => void;
}

const text = (v: string) => (v.trim() === '' ? null : v);
const number = (v: string) => (v.trim() === '' ? null : Number(v));

/** One trigger, with the fields its kind needs (engine: TriggerDefinition). */
export function TriggerRow({ index, trigger, onChange, onRemove }: TriggerRowProps) {
  const t = useT();
  const problems = usePlaybookProblems(`$.triggers[${index}]`);
  const set = (patch: Partial<TriggerDefinition>) => onChange({ ...trigger, ...patch });
  return (
    <div className={`trigger-row${problems.length ? ' field-invalid' : ''}`} data-testid={`trigger-${index}`}>
      <div className="row">
        <select value={trigger.kind} aria-label={t('settings.triggerKind')} onChange={(e) => onChange({ kind: e.target.value })}>
          {triggerKinds.map((k) => <option key={k} value={k}>{t(`trigger.${k}`)}</option>)}
        </select>
        <button type="button" className="icon-button" onClick={onRemove} aria-label={t('settings.removeTrigger')}>×</button>
      </div>
      {trigger.kind === 'event' && (
        <label className="field"><span className="field-label">{t('settings.eventType')}</span>
          <input value={trigger.eventType ?? ''} placeholder="contract.signed" onChange={(e) => set({ eventType: text(e.target.value) })} data-testid="trigger-event-type" />
        </label>
      )}
      {trigger.kind === 'schedule' && (
        <label className="field"><span className="field-label">{t('settings.cron')}</span>
          <input className="code" value={trigger.cron ?? ''} placeholder="0 9 * * 1" onChange={(e) => set({ cron: text(e.target.value) })} />
          <span className="field-hint">{t('settings.cronHint')}</span>
        </label>
      )}
      {(trigger.kind === 'date' || trigger.kind === 'threshold') && (
        <label className="field"><span className="field-label">{t('settings.field')}</span>
          <input value={trigger.field ?? ''} placeholder={trigger.kind === 'date' ? 'renewalDate' : 'healthScore'} onChange={(e) => set({ field: text(e.target.value) })} />
        </label>
      )}
      {trigger.kind === 'date' && (
        <label className="field"><span className="field-label">{t('settings.offsetDays')}</span>
          <input type="number" value={trigger.offsetDays ?? ''} placeholder="-90" onChange={(e) => set({ offsetDays: number(e.target.value) })} />
        </label>
      )}
      {trigger.kind === 'threshold' && (
        <div className="row">
          <label className="field"><span className="field-label">{t('settings.direction')}</span>
            <select value={trigger.direction ?? ''} onChange={(e) => set({ direction: text(e.target.value) })}>
              <option value="">—</option>
              <option value="below">{t('settings.below')}</option>
              <option value="above">{t('settings.above')}</option>
            </select>
          </label>
          <label className="field"><span className="field-label">{t('settings.value')}</span>
            <input type="number" value={trigger.value ?? ''} placeholder="60" onChange={(e) => set({ value: number(e.target.value) })} />
          </label>
        </div>
      )}
      {(trigger.kind === 'event' || trigger.kind === 'schedule') && (
        <label className="field"><span className="field-label">{t('settings.condition')}</span>
          <input className="code" value={trigger.condition ?? ''} placeholder="account.segment == 'enterprise'" onChange={(e) => set({ condition: text(e.target.value) })} />
        </label>
      )}
      <ProblemMessages messages={problems} />
    </div>
  );
}

import type { EnrolmentRules } from '../../api/engineTypes';
import { useT } from '../../i18n/I18nProvider';
import { useDesigner, useDesignerStore } from '../state/DesignerContext';
import { ProblemMessages } from './ProblemMessages';
import { usePlaybookProblems } from './usePlaybookProblems';

const defaults: EnrolmentRules = { maxActivePerAccount: 1, exitOn: [] };
const optionalNumber = (v: string) => (v.trim() === '' ? null : Number(v));

/** How often an account may be in the playbook, and which account events end a run early. */
export function EnrolmentEditor() {
  const t = useT();
  const store = useDesignerStore();
  const enrolment = useDesigner((s) => s.definition.enrolment) ?? defaults;
  const problems = usePlaybookProblems('$.enrolment');
  const set = (patch: Partial<EnrolmentRules>, key: string) =>
    store.edit((d) => ({ ...d, enrolment: { ...(d.enrolment ?? defaults), ...patch } }), `enrolment:${key}`);

  return (
    <section className="settings-section">
      <h3>{t('settings.enrolment')}</h3>
      <div className="grid-2">
        <label className="field"><span className="field-label">{t('settings.maxActive')}</span>
          <input type="number" min={1} value={enrolment.maxActivePerAccount} onChange={(e) => set({ maxActivePerAccount: Number(e.target.value) }, 'max')} />
        </label>
        <label className="field"><span className="field-label">{t('settings.snoozeDays')}</span>
          <input type="number" min={0} value={enrolment.snoozeDaysAfterRun ?? ''} onChange={(e) => set({ snoozeDaysAfterRun: optionalNumber(e.target.value) }, 'snooze')} />
        </label>
        <label className="field"><span className="field-label">{t('settings.maxRunsPerPeriod')}</span>
          <input type="number" min={1} value={enrolment.maxRunsPerPeriod ?? ''} onChange={(e) => set({ maxRunsPerPeriod: optionalNumber(e.target.value) }, 'runs')} />
        </label>
        <label className="field"><span className="field-label">{t('settings.periodDays')}</span>
          <input type="number" min={1} value={enrolment.periodDays ?? ''} onChange={(e) => set({ periodDays: optionalNumber(e.target.value) }, 'period')} />
        </label>
      </div>
      <h4>{t('settings.exitOn')}</h4>
      {enrolment.exitOn.map((exit, index) => (
        <div key={index} className="row">
          <input value={exit.eventType} placeholder="renewal.signed" aria-label={t('settings.eventType')}
            onChange={(e) => set({ exitOn: enrolment.exitOn.map((x, i) => (i === index ? { ...x, eventType: e.target.value } : x)) }, `exit:${index}`)} />
          <input className="code" value={exit.condition ?? ''} placeholder={t('settings.conditionOptional')} aria-label={t('settings.condition')}
            onChange={(e) => set({ exitOn: enrolment.exitOn.map((x, i) => (i === index ? { ...x, condition: e.target.value || null } : x)) }, `exitc:${index}`)} />
          <button type="button" className="icon-button" aria-label={t('settings.removeExit')}
            onClick={() => set({ exitOn: enrolment.exitOn.filter((_, i) => i !== index) }, 'exit-remove')}>×</button>
        </div>
      ))}
      <button type="button" onClick={() => set({ exitOn: [...enrolment.exitOn, { eventType: '' }] }, 'exit-add')}>{t('settings.addExit')}</button>
      <ProblemMessages messages={problems} />
    </section>
  );
}

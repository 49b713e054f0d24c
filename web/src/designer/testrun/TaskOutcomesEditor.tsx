import type { ScriptedTaskOutcome } from '../../api/engineTypes';
import { useT } from '../../i18n/I18nProvider';

/** What the CSM records on each task the playbook creates, and how long after it was created. */
export function TaskOutcomesEditor({ outcomes, tasks, onChange }: {
  outcomes: ScriptedTaskOutcome[];
  tasks: { id: string; outcomes: string[] }[];
  onChange: (outcomes: ScriptedTaskOutcome[]) => void;
}) {
  const t = useT();
  const set = (index: number, patch: Partial<ScriptedTaskOutcome>) => onChange(outcomes.map((o, i) => (i === index ? { ...o, ...patch } : o)));
  return (
    <fieldset className="scripted-list">
      <legend>{t('testRun.taskOutcomes')}</legend>
      {tasks.length === 0 && <p className="muted small">{t('testRun.noTasks')}</p>}
      {outcomes.map((o, index) => {
        const allowed = tasks.find((task) => task.id === o.task)?.outcomes ?? [];
        return (
          <div key={index} className="row">
            <select value={o.task} aria-label={t('testRun.task')} onChange={(e) => set(index, { task: e.target.value, outcome: tasks.find((x) => x.id === e.target.value)?.outcomes[0] ?? '' })}>
              {tasks.map((task) => <option key={task.id} value={task.id}>{task.id}</option>)}
            </select>
            <select value={o.outcome} aria-label={t('testRun.outcome')} onChange={(e) => set(index, { outcome: e.target.value })}>
              {allowed.map((name) => <option key={name} value={name}>{name}</option>)}
            </select>
            <input className="code short" value={o.after} aria-label={t('testRun.after')} onChange={(e) => set(index, { after: e.target.value })} />
            <input type="number" className="short" min={1} value={o.visit} aria-label={t('testRun.visit')} title={t('testRun.visitHint')} onChange={(e) => set(index, { visit: Number(e.target.value) || 1 })} />
            <button type="button" className="icon-button" aria-label={t('testRun.remove')} onClick={() => onChange(outcomes.filter((_, i) => i !== index))}>×</button>
          </div>
        );
      })}
      {tasks.length > 0 && (
        <button type="button" onClick={() => onChange([...outcomes, { task: tasks[0].id, outcome: tasks[0].outcomes[0] ?? '', after: 'P1D', visit: 1 }])}>
          {t('testRun.addOutcome')}
        </button>
      )}
    </fieldset>
  );
}

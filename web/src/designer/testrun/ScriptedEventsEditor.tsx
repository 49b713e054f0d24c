import type { ScriptedEvent } from '../../api/engineTypes';
import { useT } from '../../i18n/I18nProvider';

export interface ScriptedEventDraft extends ScriptedEvent {
  dataText: string;
}

/** Account events that arrive during the test run, each some time after the start. */
export function ScriptedEventsEditor({ events, onChange }: { events: ScriptedEventDraft[]; onChange: (events: ScriptedEventDraft[]) => void }) {
  const t = useT();
  const set = (index: number, patch: Partial<ScriptedEventDraft>) => onChange(events.map((e, i) => (i === index ? { ...e, ...patch } : e)));
  return (
    <fieldset className="scripted-list">
      <legend>{t('testRun.events')}</legend>
      {events.map((event, index) => (
        <div key={index} className="row">
          <input value={event.type} placeholder="usage.dropped" aria-label={t('settings.eventType')} onChange={(e) => set(index, { type: e.target.value })} />
          <input className="code short" value={event.after} placeholder="P3D" aria-label={t('testRun.after')} onChange={(e) => set(index, { after: e.target.value })} />
          <input className="code" value={event.dataText} placeholder='{"seats": 12}' aria-label={t('testRun.data')} onChange={(e) => set(index, { dataText: e.target.value })} />
          <button type="button" className="icon-button" aria-label={t('testRun.remove')} onClick={() => onChange(events.filter((_, i) => i !== index))}>×</button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...events, { type: '', after: 'P1D', dataText: '' }])}>{t('testRun.addEvent')}</button>
    </fieldset>
  );
}

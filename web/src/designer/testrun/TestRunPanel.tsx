import { useReactFlow } from '@xyflow/react';
import { useMemo, useState } from 'react';
import { engineApi } from '../../api/engineApi';
import type { ScriptedTaskOutcome, SimulationResult } from '../../api/engineTypes';
import { ErrorBanner } from '../../common/ErrorBanner';
import { StatusBadge } from '../../common/StatusBadge';
import { useAsync } from '../../common/useAsync';
import { useT } from '../../i18n/I18nProvider';
import { toLocalInputValue } from '../../i18n/formatting';
import { createTaskOutcomes } from '../model/outcomes';
import { traceRun, type RunStep } from '../model/runTrace';
import { useDesigner, useDesignerStore } from '../state/DesignerContext';
import { ScriptedEventsEditor, type ScriptedEventDraft } from './ScriptedEventsEditor';
import { TaskOutcomesEditor } from './TaskOutcomesEditor';
import { TimelineTable } from './TimelineTable';

/**
 * A test run of the canvas as it is (saved or not) against a real account under virtual time:
 * POST /api/engine/definitions/{id}/simulate with the definition inline. The path is drawn on the canvas.
 */
export function TestRunPanel({ definitionId }: { definitionId: string }) {
  const t = useT();
  const store = useDesignerStore();
  const { fitView } = useReactFlow();
  const activities = useDesigner((s) => s.definition.activities);
  const eventTrigger = useDesigner((s) => s.definition.triggers.find((x) => x.kind === 'event')?.eventType ?? '');
  const accounts = useAsync(() => engineApi.accounts({ take: 500 }), []);

  const [accountId, setAccountId] = useState('');
  const [days, setDays] = useState(30);
  const [startAt, setStartAt] = useState(() => toLocalInputValue(new Date()));
  const [triggerType, setTriggerType] = useState<string | null>(null);
  const [events, setEvents] = useState<ScriptedEventDraft[]>([]);
  const [taskOutcomes, setTaskOutcomes] = useState<ScriptedTaskOutcome[]>([]);
  const [result, setResult] = useState<SimulationResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [running, setRunning] = useState(false);

  const tasks = useMemo(() => activities.filter((a) => a.type === 'CreateTask').map((a) => ({ id: a.id, outcomes: createTaskOutcomes(a) })), [activities]);
  const chosenAccount = accountId || accounts.data?.items[0]?.id || '';
  const trigger = triggerType ?? eventTrigger;

  const run = async () => {
    setRunning(true);
    setError(null);
    try {
      const definition = store.getState().definition;
      const simulation = await engineApi.simulate(definitionId, {
        accountId: chosenAccount,
        days,
        startAt: startAt ? new Date(startAt).toISOString() : undefined,
        definition,
        trigger: trigger ? { type: trigger, after: 'PT0S' } : undefined,
        events: events.filter((e) => e.type.trim()).map((e) => ({ type: e.type.trim(), after: e.after || 'PT0S', data: e.dataText.trim() ? JSON.parse(e.dataText) : undefined })),
        taskOutcomes,
      });
      setResult(simulation);
      const steps: RunStep[] = simulation.timeline.flatMap((entry): RunStep[] => {
        if (!entry.activityId) return [];
        const activityId = entry.activityId.split('#')[0];
        if (entry.kind === 'activity') return [{ activityId, status: 'completed', outcome: entry.outcome }];
        if (entry.kind === 'faulted') return [{ activityId, status: 'faulted' }];
        if (entry.kind === 'waiting') return [{ activityId, status: 'waiting' }];
        return [];
      });
      const stillWaiting = simulation.status === 'running' ? lastWaits(steps) : [];
      const trace = traceRun(steps, definition.connections, stillWaiting);
      store.setTrace(trace);
    } catch (e) {
      setError(e);
    } finally {
      setRunning(false);
    }
  };

  const selectActivity = (id: string) => {
    store.selectActivity(id);
    void fitView({ nodes: [{ id }], duration: 300, maxZoom: 1.2 });
  };

  return (
    <div className="test-run" data-testid="test-run">
      <div className="grid-2">
        <label className="field"><span className="field-label">{t('testRun.account')}</span>
          <select value={chosenAccount} onChange={(e) => setAccountId(e.target.value)} data-testid="test-run-account">
            {accounts.data?.items.length === 0 && <option value="">{t('testRun.noAccounts')}</option>}
            {accounts.data?.items.map((a) => <option key={a.id} value={a.id}>{a.name} ({a.id})</option>)}
          </select>
        </label>
        <label className="field"><span className="field-label">{t('testRun.days')}</span>
          <input type="number" min={1} max={3660} value={days} onChange={(e) => setDays(Number(e.target.value) || 1)} />
        </label>
        <label className="field"><span className="field-label">{t('testRun.startAt')}</span>
          <input type="datetime-local" value={startAt} onChange={(e) => setStartAt(e.target.value)} />
        </label>
        <label className="field"><span className="field-label">{t('testRun.trigger')}</span>
          <input value={trigger} placeholder="contract.signed" onChange={(e) => setTriggerType(e.target.value)} />
        </label>
      </div>
      <ScriptedEventsEditor events={events} onChange={setEvents} />
      <TaskOutcomesEditor outcomes={taskOutcomes} tasks={tasks} onChange={setTaskOutcomes} />
      <div className="row">
        <button type="button" className="primary" onClick={run} disabled={running || !chosenAccount} data-testid="run-simulation">{running ? t('testRun.running') : t('testRun.run')}</button>
        {result && <button type="button" onClick={() => { setResult(null); store.setTrace(null); }}>{t('testRun.clear')}</button>}
      </div>
      <ErrorBanner error={error} />
      {result && (
        <section className="test-run-result">
          <p>
            <StatusBadge status={result.status} /> {t('testRun.resultSummary', { steps: result.timeline.length, days: Math.round((new Date(result.endedAt).getTime() - new Date(result.startedAt).getTime()) / 864e5) })}
          </p>
          {result.fault && <p className="field-problem">{result.fault}</p>}
          <TimelineTable entries={result.timeline} onSelectActivity={selectActivity} />
        </section>
      )}
    </div>
  );
}

/** Activities whose last step was a wait: where a still-running test run stopped. */
function lastWaits(steps: RunStep[]): string[] {
  const last = new Map<string, RunStep['status']>();
  for (const step of steps) last.set(step.activityId, step.status);
  return [...last].filter(([, status]) => status === 'waiting').map(([id]) => id);
}

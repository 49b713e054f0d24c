import { useT } from '../../../i18n/I18nProvider';
import type { EditorProps } from './editorProps';

interface AssigneeRule {
  kind: string;
  user?: string | null;
  queue?: string | null;
  strategy?: string | null;
}

const kinds = ['owner', 'manager', 'user', 'queue'] as const;
const strategies = ['round-robin', 'least-loaded'] as const;

/** Who gets a task: the account's owner CSM, their manager, a named person, or a team queue with a strategy. */
export function AssigneeEditor({ value, onChange, fieldId, input }: EditorProps) {
  const t = useT();
  const rule: AssigneeRule = typeof value === 'object' && value !== null && 'kind' in value ? (value as AssigneeRule) : (input.default as AssigneeRule) ?? { kind: 'owner' };
  const set = (patch: Partial<AssigneeRule>) => {
    const next = { ...rule, ...patch };
    // Keep only what the kind uses, as the engine reads it.
    onChange({ kind: next.kind, ...(next.kind === 'user' ? { user: next.user ?? '' } : {}), ...(next.kind === 'queue' ? { queue: next.queue ?? '', strategy: next.strategy ?? 'round-robin' } : {}) });
  };
  return (
    <div className="assignee-editor" id={fieldId}>
      <select value={rule.kind} aria-label={t('designer.assigneeKind')} onChange={(e) => set({ kind: e.target.value })}>
        {kinds.map((k) => <option key={k} value={k}>{t(`assignee.${k}`)}</option>)}
      </select>
      {rule.kind === 'user' && (
        <input type="email" list="known-users" value={rule.user ?? ''} placeholder="csm@company.com" aria-label={t('designer.assigneeUser')} onChange={(e) => set({ user: e.target.value })} />
      )}
      {rule.kind === 'queue' && (
        <>
          <input value={rule.queue ?? ''} placeholder="enterprise-east" aria-label={t('designer.assigneeQueue')} onChange={(e) => set({ queue: e.target.value })} />
          <select value={rule.strategy ?? 'round-robin'} aria-label={t('designer.assigneeStrategy')} onChange={(e) => set({ strategy: e.target.value })}>
            {strategies.map((s) => <option key={s} value={s}>{t(`strategy.${s}`)}</option>)}
          </select>
        </>
      )}
    </div>
  );
}

import { Fragment, useState, type FormEvent } from 'react';
import { authApi, type AuditEntry, type AuditFilters } from '../api/authApi';
import { DateTimeText } from '../common/DateTimeText';
import { EmptyState } from '../common/EmptyState';
import { ErrorBanner } from '../common/ErrorBanner';
import { Field } from '../common/Field';
import { Loading } from '../common/Loading';
import { useAsync } from '../common/useAsync';
import { hasMessage, useT } from '../i18n/I18nProvider';
import { AuditChanges } from './AuditChanges';

export const auditServices = ['engine', 'tasks', 'notifications', 'metrics', 'gateway'] as const;
export const auditActions = [
  'definition.saved', 'definition.published', 'instance.cancelled', 'instance.retried', 'apikey.created', 'apikey.revoked', 'template.saved',
] as const;
const pageSize = 100;

export interface AuditForm {
  service: string;
  action: string;
  actor: string;
  /** yyyy-mm-dd from the date inputs, in the person's time zone. */
  from: string;
  to: string;
}

const emptyForm: AuditForm = { service: '', action: '', actor: '', from: '', to: '' };

/** The query for a form: dates become instants (from the start of `from` to the end of `to`, local time). */
export function auditQuery(form: AuditForm, limit: number): AuditFilters {
  const startOfDay = (day: string) => new Date(`${day}T00:00:00`).toISOString();
  const endOfDay = (day: string) => new Date(new Date(`${day}T00:00:00`).getTime() + 86_400_000 - 1).toISOString();
  return {
    service: form.service || undefined,
    action: form.action.trim() || undefined,
    actor: form.actor.trim() || undefined,
    from: form.from ? startOfDay(form.from) : undefined,
    to: form.to ? endOfDay(form.to) : undefined,
    limit,
  };
}

/** Who changed what, when: definitions, publishes, cancels, retries, keys and templates, newest first. */
export default function AuditPage() {
  const t = useT();
  const [draft, setDraft] = useState<AuditForm>(emptyForm);
  const [applied, setApplied] = useState<AuditForm>(emptyForm);
  const [limit, setLimit] = useState(pageSize);
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const audit = useAsync((signal) => authApi.audit(auditQuery(applied, limit), signal), [applied, limit]);
  const entries = audit.data?.entries ?? [];

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setLimit(pageSize);
    setApplied({ ...draft });
  };
  const clear = () => { setDraft(emptyForm); setApplied(emptyForm); setLimit(pageSize); };
  const toggle = (id: string) => setOpen((previous) => {
    const next = new Set(previous);
    if (next.has(id)) next.delete(id); else next.add(id);
    return next;
  });
  const set = (key: keyof AuditForm) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [key]: e.target.value }));
  const actionName = (action: string) => (hasMessage(`auditAction.${action}`) ? t(`auditAction.${action}` as never) : action);

  return (
    <section className="page" data-testid="audit">
      <div className="page-header">
        <h1>{t('audit.title')}</h1>
        <button type="button" onClick={audit.reload}>{t('common.refresh')}</button>
      </div>
      <form className="filter-bar" onSubmit={apply} data-testid="audit-filters">
        <Field label={t('audit.service')} inline>
          <select value={draft.service} onChange={set('service')} data-testid="audit-service">
            <option value="">{t('audit.any')}</option>
            {auditServices.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </Field>
        <Field label={t('audit.action')} inline>
          <input list="audit-actions" value={draft.action} onChange={set('action')} placeholder="definition.published" data-testid="audit-action" />
          <datalist id="audit-actions">{auditActions.map((a) => <option key={a} value={a}>{actionName(a)}</option>)}</datalist>
        </Field>
        <Field label={t('audit.actor')} inline>
          <input value={draft.actor} onChange={set('actor')} placeholder={t('session.userPlaceholder')} data-testid="audit-actor" />
        </Field>
        <Field label={t('audit.from')} inline>
          <input type="date" value={draft.from} onChange={set('from')} data-testid="audit-from" />
        </Field>
        <Field label={t('audit.to')} inline>
          <input type="date" value={draft.to} min={draft.from || undefined} onChange={set('to')} data-testid="audit-to" />
        </Field>
        <button type="submit" className="primary" data-testid="audit-apply">{t('audit.apply')}</button>
        <button type="button" onClick={clear}>{t('audit.clear')}</button>
      </form>
      <ErrorBanner error={audit.error} />
      {audit.loading && !audit.data && <Loading />}
      {audit.data && entries.length === 0 && <EmptyState title={t('audit.empty')} />}
      {entries.length > 0 && (
        <table className="data-table audit-table" data-testid="audit-table">
          <thead>
            <tr>
              <th>{t('audit.at')}</th><th>{t('audit.service')}</th><th>{t('audit.actor')}</th><th>{t('audit.action')}</th><th>{t('audit.subject')}</th><th>{t('audit.changes')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => <AuditRow key={entry.id} entry={entry} open={open.has(entry.id)} onToggle={toggle} actionName={actionName} />)}
          </tbody>
        </table>
      )}
      {entries.length >= limit && (
        <div className="pager">
          <button type="button" onClick={() => setLimit((l) => l + pageSize)} disabled={audit.loading} data-testid="audit-more">{t('audit.more')}</button>
        </div>
      )}
    </section>
  );
}

function AuditRow({ entry, open, onToggle, actionName }: { entry: AuditEntry; open: boolean; onToggle: (id: string) => void; actionName: (a: string) => string }) {
  const t = useT();
  const hasValues = entry.before != null || entry.after != null;
  return (
    <Fragment>
      <tr data-audit-id={entry.id} data-action={entry.action}>
        <td><DateTimeText value={entry.at} /></td>
        <td>{entry.service}</td>
        <td>{entry.actor}{entry.role && <span className="muted small"> ({entry.role})</span>}</td>
        <td title={entry.action}>{actionName(entry.action)}</td>
        <td>{entry.subject ? <code>{entry.subject}</code> : <span className="muted">—</span>}</td>
        <td>
          {hasValues
            ? <button type="button" className="link-button" aria-expanded={open} onClick={() => onToggle(entry.id)} data-testid="audit-toggle">{open ? t('audit.hide') : t('audit.show')}</button>
            : <span className="muted">—</span>}
        </td>
      </tr>
      {open && (
        <tr className="audit-detail">
          <td colSpan={6}><AuditChanges before={entry.before} after={entry.after} /></td>
        </tr>
      )}
    </Fragment>
  );
}

import { engineApi } from '../api/engineApi';
import { DateTimeText } from '../common/DateTimeText';
import { EmptyState } from '../common/EmptyState';
import { ErrorBanner } from '../common/ErrorBanner';
import { Loading } from '../common/Loading';
import { StatusBadge } from '../common/StatusBadge';
import { useAsync } from '../common/useAsync';
import { useT } from '../i18n/I18nProvider';
import { Link, navigate, useLocation } from '../routing/router';
import { RunFilterBar } from './RunFilterBar';
import { readRunFilters, runFiltersPath, runsPageSize, type RunFilters } from './runFilters';

/** Every run of every playbook, newest first, filtered by playbook, status and account. */
export default function RunsPage() {
  const t = useT();
  const { search } = useLocation();
  const filters = readRunFilters(search);
  const playbooks = useAsync(() => engineApi.definitions(true), []);
  const runs = useAsync(
    () => engineApi.instances({
      definitionId: filters.definitionId || undefined, status: filters.status || undefined, accountId: filters.accountId || undefined,
      skip: (filters.page - 1) * runsPageSize, take: runsPageSize,
    }),
    [filters.definitionId, filters.status, filters.accountId, filters.page],
  );
  const names = new Map(playbooks.data?.map((p) => [p.definitionId, p.name]));
  const change = (next: RunFilters) => navigate(runFiltersPath(next), { replace: true });
  const total = runs.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / runsPageSize));

  return (
    <section className="page">
      <div className="page-header">
        <h1>{t('runs.title')}</h1>
        <button type="button" onClick={runs.reload}>{t('common.refresh')}</button>
      </div>
      <RunFilterBar filters={filters} playbooks={playbooks.data ?? []} onChange={change} />
      <ErrorBanner error={runs.error} />
      {runs.loading && !runs.data && <Loading />}
      {runs.data && runs.data.items.length === 0 && <EmptyState title={t('runs.empty')}><p>{t('runs.emptyHint')}</p></EmptyState>}
      {runs.data && runs.data.items.length > 0 && (
        <>
          <table className="data-table" data-testid="runs-table">
            <thead>
              <tr><th>{t('runs.instance')}</th><th>{t('runs.playbook')}</th><th>{t('runs.account')}</th><th>{t('runs.status')}</th><th>{t('runs.started')}</th><th>{t('runs.updated')}</th><th>{t('runs.ended')}</th></tr>
            </thead>
            <tbody>
              {runs.data.items.map((run) => (
                <tr key={run.id} data-instance={run.id}>
                  <td><Link to={`/runs/${encodeURIComponent(run.id)}`} className="code">{run.id.slice(0, 12)}</Link></td>
                  <td>{names.get(run.definitionId) ?? run.definitionId} <span className="muted small">{t('playbooks.versionLabel', { version: run.version })}</span></td>
                  <td><Link to={runFiltersPath({ ...filters, accountId: run.accountId, page: 1 })}>{run.accountId}</Link></td>
                  <td><StatusBadge status={run.status} /></td>
                  <td><DateTimeText value={run.createdAt} /></td>
                  <td><DateTimeText value={run.updatedAt} /></td>
                  <td><DateTimeText value={run.endedAt} /></td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="pager">
            <button type="button" disabled={filters.page <= 1} onClick={() => change({ ...filters, page: filters.page - 1 })}>{t('common.previous')}</button>
            <span>{t('common.pageOf', { page: filters.page, pages, total })}</span>
            <button type="button" disabled={filters.page >= pages} onClick={() => change({ ...filters, page: filters.page + 1 })}>{t('common.next')}</button>
          </div>
        </>
      )}
    </section>
  );
}

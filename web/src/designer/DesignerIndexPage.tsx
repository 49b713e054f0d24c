import { useEffect } from 'react';
import { engineApi } from '../api/engineApi';
import { EmptyState } from '../common/EmptyState';
import { ErrorBanner } from '../common/ErrorBanner';
import { Loading } from '../common/Loading';
import { useAsync } from '../common/useAsync';
import { useT } from '../i18n/I18nProvider';
import { Link, navigate } from '../routing/router';
import { lastDesignedKey } from './DesignerPage';

/** /designer without a playbook: reopen the last one designed, or choose one. */
export default function DesignerIndexPage() {
  const t = useT();
  const playbooks = useAsync(() => engineApi.definitions(false), []);
  useEffect(() => {
    let last: string | null = null;
    try { last = localStorage.getItem(lastDesignedKey); } catch { /* storage refused */ }
    if (last && playbooks.data?.some((p) => p.definitionId === last)) navigate(`/designer/${encodeURIComponent(last)}`, { replace: true });
  }, [playbooks.data]);

  return (
    <section className="page">
      <h1>{t('designer.choose')}</h1>
      <ErrorBanner error={playbooks.error} />
      {playbooks.loading && <Loading />}
      {playbooks.data?.length === 0 && <EmptyState title={t('playbooks.empty')}><Link to="/playbooks">{t('designer.goToPlaybooks')}</Link></EmptyState>}
      <ul className="link-list">
        {playbooks.data?.map((p) => <li key={p.definitionId}><Link to={`/designer/${encodeURIComponent(p.definitionId)}`}>{p.name}</Link> <span className="muted small">{p.definitionId}</span></li>)}
      </ul>
    </section>
  );
}

import { engineApi } from '../api/engineApi';
import { ErrorBanner } from '../common/ErrorBanner';
import { Loading } from '../common/Loading';
import { useAsync } from '../common/useAsync';
import { useI18n } from '../i18n/I18nProvider';
import { formatDate, formatNumber } from '../i18n/formatting';
import { Link } from '../routing/router';

/** The customer behind the task (GET /api/engine/accounts/{id}): what a CSM checks before acting. */
export function AccountContext({ accountId }: { accountId: string }) {
  const { t, tOr, locale } = useI18n();
  const account = useAsync(() => engineApi.account(accountId), [accountId]);
  if (account.loading && !account.data) return <aside className="account-context"><Loading /></aside>;
  if (!account.data) return <aside className="account-context"><ErrorBanner error={account.error} /></aside>;
  const a = account.data;
  const daysToRenewal = a.renewalDate ? Math.ceil((Date.parse(`${a.renewalDate}T00:00:00Z`) - Date.now()) / 864e5) : null;
  const health = a.healthScore;
  return (
    <aside className="account-context" aria-label={t('account.title')} data-testid="account-context">
      <h2>{a.name}</h2>
      <p className="muted small"><code>{a.id}</code></p>
      <dl className="facts">
        <dt>{t('account.segment')}</dt><dd>{a.segment ? tOr(`segment.${a.segment}`, a.segment) : '—'}</dd>
        <dt>{t('account.arr')}</dt><dd>{formatNumber(locale, a.arr, { maximumFractionDigits: 0 })}</dd>
        <dt>{t('account.renewal')}</dt>
        <dd>{a.renewalDate ? <>{formatDate(locale, a.renewalDate)} <span className="muted small">({t('account.inDays', { days: daysToRenewal ?? 0 })})</span></> : '—'}</dd>
        <dt>{t('account.health')}</dt>
        <dd>
          {health === null ? '—' : (
            <span className="health">
              <span className={`health-bar ${health < 60 ? 'low' : health < 80 ? 'mid' : 'good'}`} style={{ width: `${health}%` }} />
              <span>{health}</span>
            </span>
          )}
        </dd>
        <dt>{t('account.stage')}</dt><dd>{a.lifecycleStage ?? '—'}</dd>
        <dt>{t('account.owner')}</dt><dd>{a.ownerCsm ?? '—'}</dd>
        <dt>{t('account.manager')}</dt><dd>{a.csmManager ?? '—'}</dd>
        <dt>{t('account.timeZone')}</dt><dd>{a.timeZone ?? '—'}</dd>
      </dl>
      {a.contacts.length > 0 && (
        <>
          <h3>{t('account.contacts')}</h3>
          <ul className="contacts">
            {a.contacts.map((c) => <li key={c.email}><strong>{c.name}</strong> · {c.role}<br /><a href={`mailto:${c.email}`}>{c.email}</a></li>)}
          </ul>
        </>
      )}
      <p><Link to={`/runs?accountId=${encodeURIComponent(a.id)}`}>{t('account.runs')}</Link></p>
    </aside>
  );
}

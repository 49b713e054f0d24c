import { useState } from 'react';
import { authApi, type ApiKey, type CreatedApiKey } from '../api/authApi';
import { DateTimeText } from '../common/DateTimeText';
import { Dialog } from '../common/Dialog';
import { EmptyState } from '../common/EmptyState';
import { ErrorBanner } from '../common/ErrorBanner';
import { Field } from '../common/Field';
import { Loading } from '../common/Loading';
import { useAsync } from '../common/useAsync';
import { hasMessage, useT } from '../i18n/I18nProvider';

/** The role a new key gets unless the admin picks another: keys are for machine callers. */
const defaultKeyRole = 'integration';

/** Copies text to the clipboard; where the Clipboard API is refused (plain http, old browsers), selects and copies. */
export async function copyText(text: string, fallbackInput?: HTMLInputElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    if (!fallbackInput) return false;
    fallbackInput.select();
    try { return document.execCommand('copy'); } catch { return false; }
  }
}

/** Admins create keys for machine callers (the CRM pushing events), see when each was last used, and revoke them. */
export default function ApiKeysPage() {
  const t = useT();
  const keys = useAsync((signal) => authApi.keys(signal), []);
  const options = useAsync(() => authApi.options(), []);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const keyRoles = options.data?.roles.length ? options.data.roles : [defaultKeyRole];
  const roleName = (role: string) => (hasMessage(`role.${role}`) ? t(`role.${role}` as never) : role);

  return (
    <section className="page" data-testid="api-keys">
      <div className="page-header">
        <h1>{t('keys.title')}</h1>
        <button type="button" onClick={keys.reload}>{t('common.refresh')}</button>
        <button type="button" className="primary" onClick={() => { setCreated(null); setCreating(true); }} data-testid="new-key">{t('keys.new')}</button>
      </div>
      <p className="muted">{t('keys.intro')}</p>
      {created && <CreatedKeyPanel created={created} onDone={() => setCreated(null)} />}
      <ErrorBanner error={keys.error} />
      {keys.loading && !keys.data && <Loading />}
      {keys.data?.length === 0 && <EmptyState title={t('keys.empty')} />}
      {keys.data && keys.data.length > 0 && (
        <table className="data-table" data-testid="keys-table">
          <thead>
            <tr>
              <th>{t('keys.name')}</th><th>{t('keys.role')}</th><th>{t('keys.prefix')}</th><th>{t('keys.createdAt')}</th>
              <th>{t('keys.createdBy')}</th><th>{t('keys.lastUsedAt')}</th><th>{t('keys.status')}</th><th>{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {keys.data.map((key) => (
              <tr key={key.id} data-key-id={key.id} className={key.revokedAt ? 'revoked' : undefined}>
                <td>{key.name}</td>
                <td>{roleName(key.role)}</td>
                <td><code>{key.prefix}…</code></td>
                <td><DateTimeText value={key.createdAt} /></td>
                <td>{key.createdBy ?? <span className="muted">—</span>}</td>
                <td>{key.lastUsedAt ? <DateTimeText value={key.lastUsedAt} /> : <span className="muted">{t('keys.neverUsed')}</span>}</td>
                <td>
                  {key.revokedAt
                    ? <span className="status-badge status-faulted" data-testid="key-revoked">{t('keys.revokedOn')} <DateTimeText value={key.revokedAt} /></span>
                    : <span className="status-badge status-published">{t('keys.active')}</span>}
                </td>
                <td>{!key.revokedAt && <button type="button" className="link-button danger" onClick={() => setRevoking(key)} data-testid="revoke-key">{t('keys.revoke')}</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {creating && (
        <CreateKeyDialog roles={keyRoles} roleName={roleName} onClose={() => setCreating(false)}
          onCreated={(key) => { setCreating(false); setCreated(key); keys.reload(); }} />
      )}
      {revoking && <RevokeKeyDialog apiKey={revoking} onClose={() => setRevoking(null)} onRevoked={() => { setRevoking(null); keys.reload(); }} />}
    </section>
  );
}

function CreateKeyDialog({ roles, roleName, onClose, onCreated }: {
  roles: string[]; roleName: (role: string) => string; onClose: () => void; onCreated: (key: CreatedApiKey) => void;
}) {
  const t = useT();
  const [name, setName] = useState('');
  const [role, setRole] = useState(roles.includes(defaultKeyRole) ? defaultKeyRole : roles[0]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async () => {
    if (!name.trim()) return;
    setBusy(true);
    setError(null);
    try {
      onCreated(await authApi.createKey(name.trim(), role));
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <Dialog title={t('keys.new')} submitLabel={t('keys.create')} busy={busy || !name.trim()} onSubmit={submit} onClose={onClose}>
      <Field label={t('keys.name')} hint={t('keys.nameHint')}>
        <input name="name" required value={name} onChange={(e) => setName(e.target.value)} autoFocus data-testid="key-name" />
      </Field>
      <Field label={t('keys.role')} hint={t('keys.roleHint')}>
        <select name="role" value={role} onChange={(e) => setRole(e.target.value)} data-testid="key-role">
          {roles.map((r) => <option key={r} value={r}>{roleName(r)}</option>)}
        </select>
      </Field>
      <ErrorBanner error={error} />
    </Dialog>
  );
}

/** The whole key, shown this once: the server keeps only its hash. */
function CreatedKeyPanel({ created, onDone }: { created: CreatedApiKey; onDone: () => void }) {
  const t = useT();
  const [copied, setCopied] = useState<boolean | null>(null);
  const [input, setInput] = useState<HTMLInputElement | null>(null);
  return (
    <div className="created-key" role="status" data-testid="created-key">
      <strong>{t('keys.createdTitle', { name: created.name })}</strong>
      <p className="created-key-warning">{t('keys.onceWarning')}</p>
      <div className="created-key-value">
        <input ref={setInput} className="code" readOnly value={created.key} onFocus={(e) => e.target.select()} aria-label={t('keys.keyLabel')} data-testid="created-key-value" />
        <button type="button" className="primary" onClick={async () => setCopied(await copyText(created.key, input))} data-testid="copy-key">
          {copied ? t('keys.copied') : t('keys.copy')}
        </button>
      </div>
      {copied === false && <p className="field-problem">{t('keys.copyFailed')}</p>}
      <p className="muted small">{t('keys.usage')} <code>X-Api-Key: {created.prefix}…</code></p>
      <button type="button" onClick={onDone} data-testid="created-key-done">{t('keys.savedIt')}</button>
    </div>
  );
}

function RevokeKeyDialog({ apiKey, onClose, onRevoked }: { apiKey: ApiKey; onClose: () => void; onRevoked: () => void }) {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await authApi.revokeKey(apiKey.id);
      onRevoked();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <Dialog title={t('keys.revokeTitle', { name: apiKey.name })} submitLabel={t('keys.revoke')} busy={busy} onSubmit={submit} onClose={onClose}>
      <p>{t('keys.revokeConfirm', { name: apiKey.name, prefix: apiKey.prefix })}</p>
      <ErrorBanner error={error} />
    </Dialog>
  );
}

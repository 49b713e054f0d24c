import { useState, type FormEvent } from 'react';
import { authApi, type AuthOptions } from '../api/authApi';
import { ErrorBanner } from '../common/ErrorBanner';
import { Field } from '../common/Field';
import { Loading } from '../common/Loading';
import { useAsync } from '../common/useAsync';
import { useT } from '../i18n/I18nProvider';
import { navigate, useLocation } from '../routing/router';
import { homeByRole, isRole, roles, type Role } from '../session/roles';
import { LanguageSwitch } from '../shell/LanguageSwitch';
import { safeNext, signIn, type AuthSession } from './authStore';
import { useAuth } from './useAuth';

/** Roles a person may sign in to the app with: the server's list without `integration` (machine callers only). */
export function signInRoles(options: AuthOptions | undefined): Role[] {
  const offered = (options?.roles ?? []).filter(isRole);
  return offered.length ? offered : [...roles];
}

/**
 * Shown when nobody is signed in or the token ran out. In embedded mode (devSignIn) a person names themselves and
 * picks a role; otherwise they paste a token their identity provider issued. Afterwards the app goes back to where the
 * person was going (`?next=`), or to their role's home.
 */
export function SignInPage() {
  const t = useT();
  const { search } = useLocation();
  const { session, reason } = useAuth();
  const next = safeNext(search.get('next'));

  const finish = (answer: AuthSession) => {
    signIn(answer);
    navigate(next ?? (isRole(answer.role) ? homeByRole[answer.role] : '/'), { replace: true });
  };

  return (
    <div className="sign-in-screen">
      <section className="sign-in card" data-testid="sign-in">
        <div className="sign-in-header">
          <h1>{t('app.name')}</h1>
          <LanguageSwitch />
        </div>
        <h2>{t('auth.signInTitle')}</h2>
        {reason === 'expired' && !session && <p className="notice notice-warn" role="status" data-testid="session-expired">{t('auth.expired')}</p>}
        {reason === 'signedOut' && !session && <p className="notice" role="status">{t('auth.signedOut')}</p>}
        {session && <p className="notice" role="status">{t('auth.alreadySignedIn', { user: session.user, role: t(isRole(session.role) ? `role.${session.role}` : 'auth.unknownRole') })}</p>}
        {next && <p className="muted small">{t('auth.afterSignIn', { path: next })}</p>}
        <SignInForms onSignedIn={finish} />
      </section>
    </div>
  );
}

/** The form this suite signs people in with: dev sign-in in embedded mode, else a pasted token. */
export function SignInForms({ onSignedIn, previous }: { onSignedIn: (session: AuthSession) => void; previous?: AuthSession | null }) {
  const t = useT();
  const options = useAsync(() => authApi.options(), []);
  return (
    <>
      {options.loading && !options.data && <Loading />}
      <ErrorBanner error={options.error} />
      {options.error ? <button type="button" onClick={options.reload}>{t('common.retry')}</button> : null}
      {options.data?.devSignIn && <DevSignInForm roles={signInRoles(options.data)} onSignedIn={onSignedIn} previous={previous} />}
      {options.data && !options.data.devSignIn && <TokenSignInForm authority={options.data.authority} onSignedIn={onSignedIn} />}
    </>
  );
}

function DevSignInForm({ roles: offered, onSignedIn, previous }: { roles: Role[]; onSignedIn: (session: AuthSession) => void; previous?: AuthSession | null }) {
  const t = useT();
  const [user, setUser] = useState(previous?.user ?? '');
  const [role, setRole] = useState<Role>(previous && isRole(previous.role) && offered.includes(previous.role) ? previous.role : offered[0]);
  const [team, setTeam] = useState(previous?.team ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answer = await authApi.devSignIn(user.trim(), role, team.trim() || undefined);
      onSignedIn({ token: answer.token, expiresAt: answer.expiresAt, user: answer.user, role: answer.role, team: answer.team ?? null });
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <form className="sign-in-form" onSubmit={submit} data-testid="dev-sign-in">
      <p className="notice notice-warn" data-testid="dev-sign-in-note">{t('auth.devNote')}</p>
      <Field label={t('auth.user')}>
        <input type="email" name="user" required autoComplete="username" value={user} placeholder={t('session.userPlaceholder')}
          onChange={(e) => setUser(e.target.value)} data-testid="sign-in-user" autoFocus />
      </Field>
      <Field label={t('auth.role')}>
        <select name="role" value={role} onChange={(e) => isRole(e.target.value) && setRole(e.target.value)} data-testid="sign-in-role">
          {offered.map((r) => <option key={r} value={r}>{t(`role.${r}`)} — {t(`auth.roleHint.${r}`)}</option>)}
        </select>
      </Field>
      <Field label={t('auth.team')} hint={t('auth.teamHint')}>
        <input name="team" value={team} onChange={(e) => setTeam(e.target.value)} data-testid="sign-in-team" />
      </Field>
      <ErrorBanner error={error} />
      <button type="submit" className="primary" disabled={busy || !user.trim()} data-testid="sign-in-submit">{t('auth.signIn')}</button>
    </form>
  );
}

function TokenSignInForm({ authority, onSignedIn }: { authority: string | null; onSignedIn: (session: AuthSession) => void }) {
  const t = useT();
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const value = token.trim().replace(/^Bearer\s+/i, '');
    setBusy(true);
    setError(null);
    try {
      const me = await authApi.me(value);
      if (!isRole(me.role)) throw new Error(t('auth.roleNotForApp', { role: me.role }));
      onSignedIn({ token: value, expiresAt: me.expiresAt, user: me.user, role: me.role, team: me.team ?? null });
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <form className="sign-in-form" onSubmit={submit} data-testid="token-sign-in">
      <p className="muted">{authority ? t('auth.authorityNote', { authority }) : t('auth.noDevSignIn')}</p>
      <Field label={t('auth.token')} hint={t('auth.tokenHint')}>
        <textarea className="code" rows={4} value={token} onChange={(e) => setToken(e.target.value)} data-testid="sign-in-token" />
      </Field>
      <ErrorBanner error={error} />
      <button type="submit" className="primary" disabled={busy || !token.trim()}>{t('auth.signIn')}</button>
    </form>
  );
}

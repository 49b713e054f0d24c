import { useRef } from 'react';
import { DateTimeText } from '../common/DateTimeText';
import { useT } from '../i18n/I18nProvider';
import { navigate } from '../routing/router';
import { useSession } from '../session/SessionProvider';

/** "Signed in as aiko@example.com (CSM)": who the gateway knows the person as, and the way out. */
export function UserMenu() {
  const t = useT();
  const session = useSession();
  const menu = useRef<HTMLDetailsElement>(null);
  if (!session.user) return null;
  const roleName = session.role ? t(`role.${session.role}`) : t('auth.unknownRole');

  const signOut = () => {
    if (menu.current) menu.current.open = false;
    // Leaving first lets the designer ask about unsaved changes; staying means staying signed in.
    navigate('/sign-in');
    if (window.location.pathname === '/sign-in') session.signOut();
  };

  return (
    <details className="user-menu" ref={menu} data-testid="user-menu">
      <summary>{t('auth.signedInAs', { user: session.user, role: roleName })}</summary>
      <div className="user-menu-panel">
        <dl className="facts">
          <dt>{t('auth.user')}</dt><dd data-testid="user-menu-user">{session.user}</dd>
          <dt>{t('auth.role')}</dt><dd data-testid="user-menu-role">{roleName}</dd>
          <dt>{t('auth.team')}</dt><dd>{session.team ?? <span className="muted">—</span>}</dd>
          <dt>{t('auth.expiresAt')}</dt><dd><DateTimeText value={session.expiresAt} /></dd>
        </dl>
        <button type="button" onClick={signOut} data-testid="sign-out">{t('auth.signOut')}</button>
      </div>
    </details>
  );
}

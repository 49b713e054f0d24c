import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { setIdentity } from '../api/http';
import { I18nProvider, localeFromBrowser, type Locale } from '../i18n/I18nProvider';
import { can, isRole, type Permission, type Role } from './roles';

const storageKeys = { role: 'playbooks.role', user: 'playbooks.user', locale: 'playbooks.locale' } as const;

interface Session {
  role: Role;
  user: string;
  locale: Locale;
  setRole: (role: Role) => void;
  setUser: (user: string) => void;
  setLocale: (locale: Locale) => void;
  can: (permission: Permission) => boolean;
}

const SessionContext = createContext<Session | null>(null);

function stored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function store(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Private windows may refuse storage; the choice then lasts for this page only.
  }
}

/** Who is using the app (role, and the CSM whose inbox to show) and in which language; kept in localStorage. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [role, setRoleState] = useState<Role>(() => {
    const saved = stored(storageKeys.role);
    return isRole(saved) ? saved : 'cs-ops';
  });
  const [user, setUserState] = useState(() => stored(storageKeys.user) ?? '');
  const [locale, setLocaleState] = useState<Locale>(() => {
    const saved = stored(storageKeys.locale);
    return saved === 'en' || saved === 'ja' ? saved : localeFromBrowser();
  });

  // Set synchronously so the first requests of a render already carry the person.
  setIdentity(user || null, role);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  const session = useMemo<Session>(() => ({
    role,
    user,
    locale,
    setRole: (next) => { store(storageKeys.role, next); setRoleState(next); },
    setUser: (next) => { store(storageKeys.user, next.trim()); setUserState(next.trim()); },
    setLocale: (next) => { store(storageKeys.locale, next); setLocaleState(next); },
    can: (permission) => can(role, permission),
  }), [role, user, locale]);

  return (
    <SessionContext.Provider value={session}>
      <I18nProvider locale={locale}>{children}</I18nProvider>
    </SessionContext.Provider>
  );
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession needs a SessionProvider above it.');
  return session;
}

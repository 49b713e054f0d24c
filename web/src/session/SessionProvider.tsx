import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { followOtherTabs, lastExpiredSession, signOut as endSession, type AuthSession } from '../auth/authStore';
import { useAuth } from '../auth/useAuth';
import { I18nProvider, localeFromBrowser, type Locale } from '../i18n/I18nProvider';
import { can, isRole, type Permission, type Role } from './roles';

const localeKey = 'playbooks.locale';

interface Session {
  /** The signed-in person's role, or null when nobody is signed in (or the token's role is not one of the app's). */
  role: Role | null;
  /** The signed-in person (an email), '' when nobody is signed in. */
  user: string;
  team: string | null;
  expiresAt: string | null;
  locale: Locale;
  setLocale: (locale: Locale) => void;
  can: (permission: Permission) => boolean;
  signOut: () => void;
}

const SessionContext = createContext<Session | null>(null);

function storedLocale(): Locale | null {
  try {
    const saved = localStorage.getItem(localeKey);
    return saved === 'en' || saved === 'ja' ? saved : null;
  } catch {
    return null;
  }
}

/** When the token runs out, the session ends then (not at the next click), so the sign-in page says why. */
function useExpiryTimer(session: AuthSession | null): void {
  useEffect(() => {
    if (!session) return;
    const left = Date.parse(session.expiresAt) - Date.now();
    if (Number.isNaN(left)) return;
    // setTimeout fires at once for delays beyond 2^31 ms: a token valid for weeks needs no timer now.
    if (left > 2 ** 31 - 1) return;
    const timer = setTimeout(() => endSession('expired'), Math.max(0, left));
    return () => clearTimeout(timer);
  }, [session]);
}

/** Who is signed in (from the token the gateway issued) and in which language the app speaks. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const { session: current, reason } = useAuth();
  // While the person signs in again over a page with unsaved work (App), that page keeps acting for who they were.
  const auth = current ?? (reason === 'expired' ? lastExpiredSession() : null);
  const [locale, setLocaleState] = useState<Locale>(() => storedLocale() ?? localeFromBrowser());

  useExpiryTimer(current);
  useEffect(() => followOtherTabs(), []);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  const session = useMemo<Session>(() => {
    const role = auth && isRole(auth.role) ? auth.role : null;
    return {
      role,
      user: auth?.user ?? '',
      team: auth?.team ?? null,
      expiresAt: auth?.expiresAt ?? null,
      locale,
      setLocale: (next) => {
        try { localStorage.setItem(localeKey, next); } catch { /* storage refused: this page only */ }
        setLocaleState(next);
      },
      can: (permission) => can(role, permission),
      signOut: () => endSession('signedOut'),
    };
  }, [auth, locale]);

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

/**
 * Who is signed in: the bearer token the gateway issued and what it says about the person (issue 11).
 * Kept in localStorage so a reload or a new tab stays signed in; every API call reads the token from here.
 * A plain module store (no React) so api/http.ts can read it and clear it on 401, and components subscribe to it.
 */

export interface AuthSession {
  token: string;
  /** ISO instant after which the gateway refuses the token. */
  expiresAt: string;
  user: string;
  role: string;
  team: string | null;
}

/** Why there is no session, for the sign-in page to say. */
export type SignedOutReason = 'signedOut' | 'expired' | null;

export interface AuthState {
  session: AuthSession | null;
  reason: SignedOutReason;
}

export const sessionStorageKey = 'playbooks.session';

let state: AuthState = { session: null, reason: null };
let loaded = false;
/** The session that last expired (or was refused), so the person can sign in again as themselves without losing the page. */
let expiredSession: AuthSession | null = null;
const listeners = new Set<() => void>();

function readStored(): AuthSession | null {
  try {
    const text = localStorage.getItem(sessionStorageKey);
    if (!text) return null;
    const value = JSON.parse(text) as Partial<AuthSession>;
    if (typeof value.token !== 'string' || typeof value.user !== 'string' || typeof value.role !== 'string' || typeof value.expiresAt !== 'string') return null;
    return { token: value.token, expiresAt: value.expiresAt, user: value.user, role: value.role, team: value.team ?? null };
  } catch {
    return null;
  }
}

function writeStored(session: AuthSession | null): void {
  try {
    if (session) localStorage.setItem(sessionStorageKey, JSON.stringify(session));
    else localStorage.removeItem(sessionStorageKey);
  } catch {
    // Private windows may refuse storage; the session then lasts for this page only.
  }
}

/** Whether the token has run out (or its expiry cannot be read), with a little slack for clock skew. */
export function isExpired(session: Pick<AuthSession, 'expiresAt'>, now: number = Date.now()): boolean {
  const at = Date.parse(session.expiresAt);
  return Number.isNaN(at) || at - 5_000 <= now;
}

function ensureLoaded(): void {
  if (loaded) return;
  loaded = true;
  const stored = readStored();
  if (stored && isExpired(stored)) {
    writeStored(null);
    state = { session: null, reason: 'expired' };
  } else {
    state = { session: stored, reason: null };
  }
}

function publish(next: AuthState): void {
  state = next;
  for (const listener of [...listeners]) listener();
}

export function getAuthState(): AuthState {
  ensureLoaded();
  // A token that ran out while the page was open counts as gone from the first read after.
  if (state.session && isExpired(state.session)) {
    writeStored(null);
    expiredSession = state.session;
    state = { session: null, reason: 'expired' };
  }
  return state;
}

export const currentSession = (): AuthSession | null => getAuthState().session;

/** Who was signed in before the token expired or was refused (null after a sign-out). */
export const lastExpiredSession = (): AuthSession | null => expiredSession;

export function subscribeAuth(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function signIn(session: AuthSession): void {
  ensureLoaded();
  writeStored(session);
  publish({ session, reason: null });
}

/** The person signed out, or the gateway stopped accepting the token (401, expiry). */
export function signOut(reason: Exclude<SignedOutReason, null> = 'signedOut'): void {
  ensureLoaded();
  if (!state.session && state.reason === reason) return;
  expiredSession = reason === 'expired' ? state.session ?? expiredSession : null;
  writeStored(null);
  publish({ session: null, reason });
}

/** Another tab signed in or out: follow it. */
export function followOtherTabs(): () => void {
  const onStorage = (event: StorageEvent) => {
    if (event.key !== null && event.key !== sessionStorageKey) return;
    const stored = readStored();
    publish(stored && !isExpired(stored) ? { session: stored, reason: null } : { session: null, reason: stored ? 'expired' : 'signedOut' });
  };
  window.addEventListener('storage', onStorage);
  return () => window.removeEventListener('storage', onStorage);
}

/** For tests: forget what was loaded so the next read looks at localStorage again. */
export function resetAuthForTests(): void {
  loaded = false;
  expiredSession = null;
  state = { session: null, reason: null };
  listeners.clear();
}

/** Where to go after signing in: only a path of this app (no `//host` or `https://…`), else the role's home. */
export function safeNext(next: string | null | undefined): string | null {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return null;
  if (next === '/sign-in' || next.startsWith('/sign-in?')) return null;
  return next;
}

/** The sign-in page's address that brings the person back to `path` afterwards. */
export function signInPath(path: string | null): string {
  const next = safeNext(path);
  return next && next !== '/' ? `/sign-in?next=${encodeURIComponent(next)}` : '/sign-in';
}

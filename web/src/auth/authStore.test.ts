// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { getAuthState, isExpired, lastExpiredSession, resetAuthForTests, safeNext, sessionStorageKey, signIn, signInPath, signOut, subscribeAuth } from './authStore';

const session = (expiresAt: string) => ({ token: 'abc', expiresAt, user: 'aiko@example.com', role: 'csm', team: 'enterprise' });
const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();

afterEach(() => { localStorage.clear(); resetAuthForTests(); vi.useRealTimers(); });

describe('the sign-in session', () => {
  it('keeps the token in localStorage, so a reload stays signed in', () => {
    const s = session(inAnHour());
    signIn(s);
    expect(JSON.parse(localStorage.getItem(sessionStorageKey)!)).toEqual(s);
    resetAuthForTests(); // a page load
    expect(getAuthState()).toEqual({ session: s, reason: null });
  });

  it('drops a stored token that has expired and says so', () => {
    localStorage.setItem(sessionStorageKey, JSON.stringify(session(new Date(Date.now() - 1000).toISOString())));
    expect(getAuthState()).toEqual({ session: null, reason: 'expired' });
    expect(localStorage.getItem(sessionStorageKey)).toBeNull();
  });

  it('ends the session when the token runs out while the page is open', () => {
    vi.useFakeTimers();
    signIn(session(new Date(Date.now() + 60_000).toISOString()));
    expect(getAuthState().session).not.toBeNull();
    vi.advanceTimersByTime(61_000);
    expect(getAuthState()).toEqual({ session: null, reason: 'expired' });
  });

  it('ignores what is not a session (an old or hand-edited value)', () => {
    localStorage.setItem(sessionStorageKey, '{"role":"admin"}');
    expect(getAuthState().session).toBeNull();
    localStorage.setItem(sessionStorageKey, 'not json');
    resetAuthForTests();
    expect(getAuthState().session).toBeNull();
  });

  it('signs out: forgets the token and tells subscribers', () => {
    signIn(session(inAnHour()));
    const heard = vi.fn();
    subscribeAuth(heard);
    signOut();
    expect(heard).toHaveBeenCalledOnce();
    expect(getAuthState()).toEqual({ session: null, reason: 'signedOut' });
    expect(localStorage.getItem(sessionStorageKey)).toBeNull();
  });

  it('remembers who was signed in when the token is refused, but not after a sign-out', () => {
    const s = session(inAnHour());
    signIn(s);
    signOut('expired');
    expect(lastExpiredSession()).toEqual(s);
    signIn(s);
    signOut();
    expect(lastExpiredSession()).toBeNull();
  });

  it('treats an unreadable expiry as expired, and leaves a few seconds of slack', () => {
    expect(isExpired({ expiresAt: 'soon' })).toBe(true);
    expect(isExpired({ expiresAt: '2026-11-23T12:00:00Z' }, Date.parse('2026-11-23T11:59:58Z'))).toBe(true);
    expect(isExpired({ expiresAt: '2026-11-23T12:00:00Z' }, Date.parse('2026-11-23T11:00:00Z'))).toBe(false);
  });
});

describe('where to go after signing in', () => {
  it('keeps paths of this app and refuses anything that leaves it', () => {
    expect(safeNext('/runs/abc?tab=journal')).toBe('/runs/abc?tab=journal');
    for (const bad of ['//evil.example', 'https://evil.example', '/\\evil.example', 'runs', '', null, '/sign-in', '/sign-in?next=/x']) expect(safeNext(bad), String(bad)).toBeNull();
  });

  it('puts the way back in the sign-in address', () => {
    expect(signInPath('/designer/kickoff')).toBe('/sign-in?next=%2Fdesigner%2Fkickoff');
    expect(signInPath('/')).toBe('/sign-in');
    expect(signInPath('//evil.example')).toBe('/sign-in');
  });
});

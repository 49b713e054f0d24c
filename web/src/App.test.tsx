// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from './App';
import { getAuthState } from './auth/authStore';
import { ApiError } from './api/http';
import { ErrorBanner } from './common/ErrorBanner';
import { SessionProvider } from './session/SessionProvider';
import { setNavigationGuard } from './routing/navigationGuard';
import { fakeApi, goTo, inAnHour, signedInAs, signedOut, stubDialog } from './test/fakeApi';

const options = { devSignIn: true, authority: null, roles: ['cs-ops', 'csm', 'sre', 'admin', 'integration'] };

function renderApp() {
  return render(<SessionProvider><App /></SessionProvider>);
}

const navLabels = () => within(screen.getByRole('navigation')).getAllByRole('link').map((a) => a.textContent);

afterEach(() => { cleanup(); vi.unstubAllGlobals(); signedOut(); goTo('/'); });

describe('signing in', () => {
  it('sends a person without a token to the dev sign-in page, then back where they were going', async () => {
    signedOut();
    goTo('/runs/run-42');
    const calls = fakeApi((call) => {
      if (call.path === '/api/auth/options') return { body: options };
      if (call.path === '/api/auth/dev-sign-in') return { body: { token: 'tok-1', expiresAt: inAnHour(), user: 'aiko@example.com', role: 'sre', team: 'enterprise' } };
      if (call.path === '/api/engine/instances/run-42') return { status: 404, body: { title: 'No such run', status: 404 } };
      return undefined;
    });
    renderApp();

    await screen.findByTestId('dev-sign-in');
    expect(window.location.pathname + window.location.search).toBe('/sign-in?next=%2Fruns%2Frun-42');
    expect(screen.getByTestId('dev-sign-in-note').textContent).toContain('Embedded dev sign-in');
    const roleChoice = screen.getByTestId('sign-in-role') as HTMLSelectElement;
    expect([...roleChoice.options].map((o) => o.value)).toEqual(['cs-ops', 'csm', 'sre', 'admin']); // never integration

    fireEvent.change(screen.getByTestId('sign-in-user'), { target: { value: 'aiko@example.com' } });
    fireEvent.change(roleChoice, { target: { value: 'sre' } });
    fireEvent.change(screen.getByTestId('sign-in-team'), { target: { value: 'enterprise' } });
    fireEvent.click(screen.getByTestId('sign-in-submit'));

    await waitFor(() => expect(window.location.pathname).toBe('/runs/run-42'));
    const signInCall = calls.find((c) => c.path === '/api/auth/dev-sign-in')!;
    expect(signInCall.body).toEqual({ user: 'aiko@example.com', role: 'sre', team: 'enterprise' });
    expect(getAuthState().session).toMatchObject({ token: 'tok-1', user: 'aiko@example.com', role: 'sre', team: 'enterprise' });
    expect((await screen.findByTestId('user-menu')).textContent).toContain('Signed in as aiko@example.com (SRE)');
    await waitFor(() => expect(calls.some((c) => c.path === '/api/engine/instances/run-42' && c.headers.Authorization === 'Bearer tok-1')).toBe(true));
  });

  it("shows the server's reason when dev sign-in is refused, and leaves out an empty team", async () => {
    signedOut();
    goTo('/sign-in');
    const calls = fakeApi((call) => {
      if (call.path === '/api/auth/options') return { body: options };
      if (call.path === '/api/auth/dev-sign-in') return { status: 400, body: { title: 'Invalid sign-in', detail: 'user must be an email address.', status: 400 } };
      return undefined;
    });
    renderApp();
    fireEvent.change(await screen.findByTestId('sign-in-user'), { target: { value: 'kenji@example.com' } });
    fireEvent.click(screen.getByTestId('sign-in-submit'));
    expect((await screen.findByRole('alert')).textContent).toContain('user must be an email address.');
    expect(calls.find((c) => c.path === '/api/auth/dev-sign-in')!.body).toEqual({ user: 'kenji@example.com', role: 'cs-ops' });
    expect(getAuthState().session).toBeNull();
  });

  it('offers a token field instead when dev sign-in is off', async () => {
    signedOut();
    goTo('/sign-in');
    fakeApi((call) => {
      if (call.path === '/api/auth/options') return { body: { devSignIn: false, authority: 'https://login.example.com', roles: options.roles } };
      if (call.path === '/api/auth/me' && call.headers.Authorization === 'Bearer jwt-from-idp') return { body: { user: 'mei@example.com', role: 'cs-ops', team: null, expiresAt: inAnHour() } };
      return undefined;
    });
    renderApp();
    await screen.findByTestId('token-sign-in');
    expect(screen.queryByTestId('dev-sign-in')).toBeNull();
    expect(screen.getByText(/login\.example\.com/)).toBeTruthy();
    fireEvent.change(screen.getByTestId('sign-in-token'), { target: { value: 'Bearer jwt-from-idp' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(window.location.pathname).toBe('/playbooks'));
    expect(getAuthState().session).toMatchObject({ token: 'jwt-from-idp', user: 'mei@example.com', role: 'cs-ops' });
  });
});

describe('an expired or refused token', () => {
  it('sends the person to sign in again, keeping the page they were on', async () => {
    signedInAs('cs-ops');
    goTo('/playbooks?archived=true');
    fakeApi((call) => (call.path === '/api/auth/options' ? { body: options } : { status: 401, body: { title: 'Unauthorized', status: 401 } }));
    renderApp();
    await screen.findByTestId('session-expired');
    expect(window.location.pathname).toBe('/sign-in');
    expect(new URLSearchParams(window.location.search).get('next')).toBe('/playbooks?archived=true');
  });

  it('over unsaved work, asks to sign in again on top of the page, which stays as it was', async () => {
    stubDialog();
    signedInAs('cs-ops', 'mei@example.com');
    goTo('/runs?status=running');
    setNavigationGuard(() => 'You have unsaved changes.');
    fakeApi((call) => {
      if (call.path === '/api/auth/options') return { body: options };
      if (call.path === '/api/auth/dev-sign-in') return { body: { token: 'tok-2', expiresAt: inAnHour(), user: 'mei@example.com', role: 'cs-ops', team: null } };
      if (call.headers.Authorization === 'Bearer token-cs-ops') return { status: 401, body: { title: 'Unauthorized', status: 401 } };
      return { body: call.path === '/api/engine/definitions' ? [] : { items: [], total: 0, skip: 0, take: 50 } };
    });
    try {
      renderApp();
      const dialog = await screen.findByTestId('reauth');
      expect(window.location.pathname + window.location.search).toBe('/runs?status=running');
      // Signing in again as the same person is one click: the form remembers who they were.
      expect((await within(dialog).findByTestId('sign-in-user') as HTMLInputElement).value).toBe('mei@example.com');
      expect((within(dialog).getByTestId('sign-in-role') as HTMLSelectElement).value).toBe('cs-ops');
      fireEvent.click(within(dialog).getByTestId('sign-in-submit'));
      await waitFor(() => expect(screen.queryByTestId('reauth')).toBeNull());
      expect(window.location.pathname + window.location.search).toBe('/runs?status=running');
      expect(getAuthState().session?.token).toBe('tok-2');
    } finally {
      setNavigationGuard(null);
    }
  });

  it('signs out from the menu to the sign-in page, without a way back', async () => {
    signedInAs('sre', 'ren@example.com');
    goTo('/runs');
    fakeApi((call) => (call.path === '/api/auth/options' ? { body: options } : { body: call.path === '/api/engine/definitions' ? [] : { items: [], total: 0, skip: 0, take: 50 } }));
    renderApp();
    fireEvent.click(await screen.findByTestId('sign-out'));
    await screen.findByTestId('dev-sign-in');
    expect(window.location.pathname + window.location.search).toBe('/sign-in');
    expect(screen.getByText('You have signed out.')).toBeTruthy();
    expect(getAuthState().session).toBeNull();
  });
});

describe('what each role sees', () => {
  const page = { items: [], total: 0, skip: 0, take: 50 };
  const quiet = () => fakeApi((call) => (call.path === '/api/tasks' || call.path === '/api/engine/instances' || call.path === '/api/engine/accounts' ? { body: page } : { body: [] }));

  it.each([
    ['cs-ops', ['Playbooks', 'Designer', 'Runs', 'Dashboard']],
    ['csm', ['Inbox']],
    ['sre', ['Runs', 'Dashboard']],
    ['admin', ['Playbooks', 'Designer', 'Runs', 'Inbox', 'Dashboard', 'API keys', 'Audit log']],
  ])('%s gets the sections it can use', async (role, sections) => {
    signedInAs(role);
    goTo('/no-such-page');
    quiet();
    renderApp();
    await screen.findByText('There is no page here.');
    expect(navLabels()).toEqual(sections);
  });

  it.each([['cs-ops', '/playbooks'], ['csm', '/inbox'], ['sre', '/runs'], ['admin', '/playbooks']])('%s starts at %s', async (role, home) => {
    signedInAs(role);
    goTo('/');
    quiet();
    renderApp();
    await waitFor(() => expect(window.location.pathname).toBe(home));
  });

  it("tells a CSM who opens an admin page that their role can't, without calling the API", async () => {
    signedInAs('csm');
    goTo('/admin/keys');
    const calls = quiet();
    renderApp();
    expect((await screen.findByTestId('no-access')).textContent).toContain("Your role (CSM) can’t open this page.");
    await act(async () => { await new Promise((r) => setTimeout(r, 20)); });
    expect(calls.filter((c) => c.path.startsWith('/api/auth/keys'))).toEqual([]);
  });

  it('the inbox is the signed-in CSM’s own', async () => {
    signedInAs('csm', 'aiko@example.com', 'enterprise');
    goTo('/inbox');
    const calls = quiet();
    renderApp();
    expect((await screen.findByRole('heading', { level: 1 })).textContent).toBe('Tasks for aiko@example.com');
    // The heading can render before the list's request goes out (it did on a loaded machine): wait for the request.
    const list = await waitFor(() => {
      const call = calls.find((c) => c.path === '/api/tasks');
      expect(call).toBeDefined();
      return call!;
    });
    expect(list.search.get('assignee')).toBe('me');
    expect(list.headers.Authorization).toBe('Bearer token-csm');
  });
});

describe('a 403', () => {
  it("says the signed-in role can't do this, with the server's reason", () => {
    signedInAs('csm');
    render(<SessionProvider><ErrorBanner error={new ApiError(403, { title: 'Forbidden', detail: 'Publishing needs the cs-ops or admin role.', status: 403 })} /></SessionProvider>);
    const banner = screen.getByRole('alert');
    expect(banner.textContent).toContain('Your role (CSM) can’t do this.');
    expect(banner.textContent).toContain('Publishing needs the cs-ops or admin role.');
    expect(banner.textContent).not.toContain('Forbidden');
  });

  it('in Japanese too', () => {
    signedInAs('sre');
    localStorage.setItem('playbooks.locale', 'ja');
    render(<SessionProvider><ErrorBanner error={new ApiError(403, { title: 'Forbidden', status: 403 })} /></SessionProvider>);
    expect(screen.getByRole('alert').textContent).toContain('あなたのロール(SRE)ではこの操作はできません。');
  });
});

// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { getAuthState } from '../auth/authStore';
import { fakeApi, signedInAs, signedOut } from '../test/fakeApi';
import { authApi } from './authApi';
import { engineApi } from './engineApi';
import { ApiError } from './http';

afterEach(() => { vi.unstubAllGlobals(); signedOut(); });

describe('every API call', () => {
  it('carries the signed-in token as a bearer token, and no X-Role or X-User', async () => {
    signedInAs('cs-ops');
    const calls = fakeApi(() => ({ body: [] }));
    await engineApi.definitions(false);
    expect(calls[0].headers.Authorization).toBe('Bearer token-cs-ops');
    expect(calls[0].headers).not.toHaveProperty('X-Role');
    expect(calls[0].headers).not.toHaveProperty('X-User');
  });

  it('sends no token to the anonymous sign-in endpoints', async () => {
    signedInAs('csm');
    const calls = fakeApi(() => ({ body: { devSignIn: true, authority: null, roles: [] } }));
    await authApi.options();
    expect(calls[0].headers).not.toHaveProperty('Authorization');
  });

  it('ends the session on 401 (expired or refused token), so the app shows the sign-in page', async () => {
    signedInAs('cs-ops');
    fakeApi(() => ({ status: 401, body: { title: 'Unauthorized', status: 401 } }));
    const error = await engineApi.definitions(false).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(401);
    expect(getAuthState()).toEqual({ session: null, reason: 'expired' });
  });

  it('keeps the session when a sign-in attempt or a pasted token is refused', async () => {
    signedInAs('admin');
    fakeApi(() => ({ status: 401, body: { title: 'Unauthorized', status: 401 } }));
    await expect(authApi.devSignIn('x@example.com', 'csm')).rejects.toBeInstanceOf(ApiError);
    await expect(authApi.me('pasted-token')).rejects.toBeInstanceOf(ApiError);
    expect(getAuthState().session?.role).toBe('admin');
  });

  it('keeps the session on 403 and hands back the problem details', async () => {
    signedInAs('csm');
    fakeApi(() => ({ status: 403, body: { title: 'Forbidden', detail: 'Publishing needs the cs-ops or admin role.', status: 403 } }));
    const error = (await engineApi.publish('kickoff', 'v2').catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(403);
    expect(error.problem.detail).toBe('Publishing needs the cs-ops or admin role.');
    expect(getAuthState().session?.role).toBe('csm');
  });
});

import { vi } from 'vitest';
import { resetAuthForTests, signIn } from '../auth/authStore';

/** One request the app made, as the fake server saw it. */
export interface Call {
  method: string;
  url: string;
  path: string;
  search: URLSearchParams;
  headers: Record<string, string>;
  body: unknown;
}

export type Answer = { status?: number; body?: unknown } | undefined;

/** Stubs fetch with `handler` (undefined → 404 problem details) and records every call. */
export function fakeApi(handler: (call: Call) => Answer): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal('fetch', vi.fn(async (url: string, init: RequestInit = {}) => {
    const [path, search = ''] = url.split('?');
    const call: Call = {
      method: init.method ?? 'GET', url, path, search: new URLSearchParams(search),
      headers: (init.headers ?? {}) as Record<string, string>,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    calls.push(call);
    const answer = handler(call) ?? { status: 404, body: { title: 'Unknown API', status: 404 } };
    const status = answer.status ?? 200;
    return new Response(status === 204 || answer.body === undefined ? null : JSON.stringify(answer.body), { status });
  }));
  return calls;
}

export const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();

/** Starts a test signed in as `role` (a fresh store, as after a page load). */
export function signedInAs(role: string, user = `${role}@example.com`, team: string | null = null): void {
  localStorage.clear();
  resetAuthForTests();
  signIn({ token: `token-${role}`, expiresAt: inAnHour(), user, role, team });
}

export function signedOut(): void {
  localStorage.clear();
  resetAuthForTests();
}

/** jsdom has no <dialog> modal support: enough of it for the app's dialogs. */
export function stubDialog(): void {
  const proto = HTMLDialogElement.prototype as HTMLDialogElement & { showModal: () => void; close: () => void };
  proto.showModal ??= function (this: HTMLDialogElement) { this.setAttribute('open', ''); };
  proto.close ??= function (this: HTMLDialogElement) { this.removeAttribute('open'); };
}

/** Puts the browser at `path` as if the person had typed it. */
export function goTo(path: string): void {
  window.history.replaceState(null, '', path);
}

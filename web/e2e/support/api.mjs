// Calls the suite's APIs the way the CRM and other services would: JSON over HTTP, with a bearer token from the
// embedded suite's dev sign-in (POST /api/auth/dev-sign-in), or an API key (X-Api-Key) for machine callers.

/** Signs in through the embedded dev sign-in; answers { token, expiresAt, user, role, team }. */
export async function devSignIn(baseUrl, { user, role, team } = {}) {
  const response = await fetch(`${baseUrl}/api/auth/dev-sign-in`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(team ? { user, role, team } : { user, role }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST /api/auth/dev-sign-in as ${user} (${role}) → ${response.status}: ${text}`);
  return JSON.parse(text);
}

/**
 * A client acting as one person (by default an admin, who may do everything) or, with `apiKey`, as a machine caller.
 * The token is fetched on the first call.
 */
export function apiClient(baseUrl, { user = 'e2e-admin@example.com', role = 'admin', team, apiKey } = {}) {
  let token;
  async function authHeaders() {
    if (apiKey) return { 'X-Api-Key': apiKey };
    token ??= (await devSignIn(baseUrl, { user, role, team })).token;
    return { Authorization: `Bearer ${token}` };
  }
  async function send(method, path, body) {
    const headers = { Accept: 'application/json', ...(await authHeaders()) };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    return fetch(`${baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  }
  async function call(method, path, body) {
    const response = await send(method, path, body);
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
    return text ? JSON.parse(text) : undefined;
  }
  return {
    get: (path) => call('GET', path),
    post: (path, body) => call('POST', path, body ?? {}),
    put: (path, body) => call('PUT', path, body),
    delete: (path) => call('DELETE', path),
    /** The raw response, for checking status codes (401, 403). */
    send,
    /** Whether an API exists in this build of the suite (the gateway answers 404 "Unknown API" otherwise). */
    async exists(method, path, body) {
      const response = await send(method, path, body);
      return response.status !== 404 && response.status !== 405;
    },
  };
}

/** Polls until `check` returns a truthy value, or fails with `message`. */
export async function eventually(check, { timeoutMs = 20_000, intervalMs = 250, message = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await check();
      if (last) return last;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${message}; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

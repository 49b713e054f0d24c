import { del, get, query, request } from './http';

/** The gateway's sign-in, API key and audit endpoints (issue 11). */

export interface AuthOptions {
  /** Embedded mode: anyone may sign in as any user and role (POST /api/auth/dev-sign-in). */
  devSignIn: boolean;
  /** The OIDC authority that issues tokens when one is configured. */
  authority: string | null;
  roles: string[];
}

export interface SignInAnswer {
  token: string;
  expiresAt: string;
  user: string;
  role: string;
  team: string | null;
}

export interface Me {
  user: string;
  role: string;
  team: string | null;
  expiresAt: string;
}

export interface ApiKey {
  id: string;
  name: string;
  role: string;
  /** The first characters of the key, to recognise it; the key itself is never shown again. */
  prefix: string;
  createdAt: string;
  createdBy: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** What creating a key answers: the only time the whole key is ever shown. */
export interface CreatedApiKey {
  id: string;
  name: string;
  role: string;
  prefix: string;
  createdAt: string;
  key: string;
}

export interface AuditEntry {
  id: string;
  at: string;
  service: string;
  actor: string;
  role: string | null;
  action: string;
  subject: string | null;
  before: unknown;
  after: unknown;
}

export interface AuditFilters {
  service?: string;
  action?: string;
  actor?: string;
  from?: string;
  to?: string;
  limit?: number;
}

const auth = '/api/auth';

export const authApi = {
  options: () => request<AuthOptions>('GET', `${auth}/options`, undefined, { anonymous: true }),
  devSignIn: (user: string, role: string, team?: string) =>
    request<SignInAnswer>('POST', `${auth}/dev-sign-in`, team ? { user, role, team } : { user, role }, { anonymous: true }),
  /** Who a token belongs to; with `token`, checks that one instead of the session's. */
  me: (token?: string) => request<Me>('GET', `${auth}/me`, undefined, { token }),

  keys: (signal?: AbortSignal) => get<ApiKey[]>(`${auth}/keys`, signal),
  createKey: (name: string, role: string) => request<CreatedApiKey>('POST', `${auth}/keys`, { name, role }),
  revokeKey: (id: string) => del(`${auth}/keys/${encodeURIComponent(id)}`),

  audit: (filters: AuditFilters, signal?: AbortSignal) => get<{ entries: AuditEntry[] }>(`/api/audit${query({ ...filters })}`, signal),
};

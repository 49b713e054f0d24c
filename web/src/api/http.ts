/**
 * One HTTP door for the app: JSON in and out, the signed-in person's bearer token on every call, problem details as
 * errors. A 401 on a call that carried a token means the gateway no longer accepts it (expired, signing key changed):
 * the session ends and the app shows the sign-in page, keeping the address the person was on.
 */
import { currentSession, signOut } from '../auth/authStore';

export interface ProblemDetails {
  title?: string;
  detail?: string;
  status?: number;
  errors?: Record<string, string[]>;
}

/** An API answer that was not 2xx, with the server's own words about what to fix. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: ProblemDetails;

  constructor(status: number, problem: ProblemDetails) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }

  /** Field errors as `{ path, message }`, e.g. `$.activities[3].inputs.title`. */
  get fieldErrors(): { path: string; message: string }[] {
    return Object.entries(this.problem.errors ?? {}).flatMap(([path, messages]) => messages.map((message) => ({ path, message })));
  }
}

export interface RequestOptions {
  signal?: AbortSignal;
  /** A token to send instead of the session's (checking a pasted token before keeping it). */
  token?: string;
  /** Send no token (the sign-in endpoints). */
  anonymous?: boolean;
}

export async function request<T>(method: string, url: string, body?: unknown, options: RequestOptions | AbortSignal = {}): Promise<T> {
  const { signal, token: explicitToken, anonymous = false } = options instanceof AbortSignal ? { signal: options } : options;
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = anonymous ? undefined : explicitToken ?? currentSession()?.token;
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
  const text = await response.text();
  const payload = text ? safeParse(text) : undefined;
  if (!response.ok) {
    const problem: ProblemDetails = typeof payload === 'object' && payload !== null ? (payload as ProblemDetails) : { title: text || response.statusText };
    // Only the session's own token ends the session: a refused pasted token or sign-in attempt is just an error.
    if (response.status === 401 && token && !explicitToken && token === currentSession()?.token) signOut('expired');
    throw new ApiError(response.status, { status: response.status, ...problem });
  }
  return payload as T;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export const get = <T>(url: string, signal?: AbortSignal) => request<T>('GET', url, undefined, signal);
export const post = <T>(url: string, body?: unknown) => request<T>('POST', url, body ?? {});
export const put = <T>(url: string, body: unknown) => request<T>('PUT', url, body);
export const del = <T = void>(url: string) => request<T>('DELETE', url);

/** Builds `?a=1&b=2` from the defined, non-empty values. */
export function query(params: Record<string, string | number | boolean | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

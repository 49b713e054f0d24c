/** One HTTP door for the app: JSON in and out, the acting user and role as headers, problem details as errors. */

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

interface Identity {
  user: string | null;
  role: string;
}

const identity: Identity = { user: null, role: 'cs-ops' };

/** Called by the session whenever the person switches user or role. */
export function setIdentity(user: string | null, role: string): void {
  identity.user = user;
  identity.role = role;
}

export async function request<T>(method: string, url: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'X-Role': identity.role };
  if (identity.user) headers['X-User'] = identity.user;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
  const text = await response.text();
  const payload = text ? safeParse(text) : undefined;
  if (!response.ok) {
    const problem: ProblemDetails = typeof payload === 'object' && payload !== null ? (payload as ProblemDetails) : { title: text || response.statusText };
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

/** Builds `?a=1&b=2` from the defined, non-empty values. */
export function query(params: Record<string, string | number | boolean | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

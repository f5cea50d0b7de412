// The page's one way to the API: same origin, the session cookie sent by the browser, the
// session's CSRF token on every write, errors in the reader's language.
import type { Locale } from './i18n.ts';

export type Role = 'viewer' | 'analyst' | 'finance' | 'admin';

/** GET /v1/session. */
export interface Who {
  readonly keyId: string;
  readonly name: string;
  readonly role: Role;
  readonly via: 'session' | 'key';
  readonly csrfToken: string | null;
  readonly expiresAt: string | null;
}

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The error body's other fields: `issues` (row, column, field, value, message), `blockers`… */
    readonly details: Readonly<Record<string, unknown>> = {},
    /** The located problems of a refused input (`Inputs!J57: …`), when the API lists them. */
    readonly issues: readonly string[] = [],
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;
let language: Locale = 'en';
let sessionEnded: (() => void) | null = null;

/**
 * What to do when the session the page holds is refused (401: its key was revoked, it expired
 * or it was signed out elsewhere): the app shows the sign-in page and says why.
 */
export const onSessionEnded = (listener: (() => void) | null): void => {
  sessionEnded = listener;
};

/** A 401 to a call made with the page's session (not a sign-in with a key): the session is over. */
function checkSession(res: Response, withKey: boolean): void {
  if (res.status !== 401 || withKey || csrfToken === null) return;
  csrfToken = null;
  sessionEnded?.();
}

/** The session's CSRF token, held in memory only (GET /v1/session gives it again on a reload). */
export const setCsrfToken = (token: string | null): void => {
  csrfToken = token;
};
export const setApiLanguage = (locale: Locale): void => {
  language = locale;
};

/** Calls the API; an error answer becomes an {@link ApiError} with the server's message. */
export async function api<T>(
  method: 'GET' | 'POST' | 'DELETE',
  url: string,
  opts: {
    readonly body?: unknown;
    readonly headers?: Readonly<Record<string, string>>;
    /** Cancels the request (a what-if superseded by a newer one). */
    readonly signal?: AbortSignal;
    /** A multipart body (a file upload) instead of JSON. */
    readonly form?: FormData;
  } = {},
): Promise<T> {
  const headers: Record<string, string> = { 'accept-language': language, ...opts.headers };
  if (method !== 'GET' && csrfToken !== null) headers['x-csrf-token'] = csrfToken;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url, {
    method,
    headers,
    credentials: 'same-origin',
    ...(opts.signal === undefined ? {} : { signal: opts.signal }),
    ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
    ...(opts.form === undefined ? {} : { body: opts.form }),
  });
  checkSession(res, headers['authorization'] !== undefined);
  if (res.status === 204) return undefined as T;
  const body = (await res.json().catch(() => null)) as
    | (T & { error?: { code: string; message: string; issues?: { message: string }[] } })
    | null;
  if (!res.ok)
    throw new ApiError(
      res.status,
      body?.error?.code ?? 'unknown',
      body?.error?.message ?? `HTTP ${res.status}`,
      body?.error ?? {},
      body?.error?.issues?.map((i) => i.message) ?? [],
    );
  return body as T;
}

/** Sends a multipart form (a file upload) with the session's CSRF token; errors as {@link api}. */
export const apiForm = <T>(url: string, form: FormData): Promise<T> =>
  api<T>('POST', url, { form });

/** Opens a session with a key, sent this once in the Authorization header. */
export async function signIn(key: string): Promise<Who> {
  const who = await api<Who>('POST', '/v1/session', {
    headers: { authorization: `Bearer ${key}` },
  });
  setCsrfToken(who.csrfToken);
  return who;
}

/** Who is signed in, or null. */
export async function currentSession(): Promise<Who | null> {
  try {
    const who = await api<Who>('GET', '/v1/session');
    setCsrfToken(who.csrfToken);
    return who;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

export async function signOut(): Promise<void> {
  try {
    await api<void>('DELETE', '/v1/session');
  } finally {
    setCsrfToken(null);
  }
}

/** What the CFO page reads of GET /v1/forecasts and GET /v1/forecasts/:id. */
export interface ForecastSummary {
  readonly id: string;
  readonly name: string;
  readonly quarter: string;
  readonly status: 'draft' | 'in_review' | 'approved' | 'rejected';
  readonly currency: string;
  readonly createdBy: string;
  /** The key that created it (null before keys were recorded: compare `createdBy`). */
  readonly createdByKey?: string | null;
  readonly createdAt: string;
  readonly reviewedBy: string | null;
  readonly reviewedAt: string | null;
}

export interface Spread {
  readonly p10: string;
  readonly p50: string;
  readonly p90: string;
}

export interface ForecastJson {
  readonly name: string;
  readonly currency: string;
  readonly quarters: readonly string[];
  readonly fiscalYears: readonly string[];
  readonly scenarios: readonly {
    readonly id: string;
    readonly name: string;
    readonly total: string;
    readonly byQuarter: readonly { readonly quarter: string; readonly total: string }[];
    readonly byFiscalYear: Readonly<
      Record<
        string,
        {
          readonly total: string;
          readonly quarterCount: number;
          readonly complete: boolean;
          readonly budget: string | null;
          readonly headroom: string | null;
        }
      >
    >;
  }[];
  readonly monteCarlo: {
    readonly draws: number;
    readonly scenarios: readonly {
      readonly id: string;
      readonly total: Spread;
      readonly byQuarter: readonly (Spread & { readonly quarter: string })[];
    }[];
  };
}

export interface ForecastDetail extends ForecastSummary {
  readonly forecast: ForecastJson;
}

/** Every approved forecast, newest first (GET /v1/forecasts?status=approved, all pages). */
export async function approvedForecasts(): Promise<ForecastSummary[]> {
  const items: ForecastSummary[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = await api<{ items: ForecastSummary[]; total: number }>(
      'GET',
      `/v1/forecasts?status=approved&limit=500&offset=${offset}`,
    );
    items.push(...page.items);
    if (page.items.length === 0 || items.length >= page.total) return items;
  }
}

export const forecastDetail = (id: string) =>
  api<ForecastDetail>('GET', `/v1/forecasts/${encodeURIComponent(id)}`);

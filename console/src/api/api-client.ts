/**
 * The console's only way to the server: JSON over fetch to the same origin, with the
 * signed-in user's session token as a bearer token. A 401 means the session ended: the
 * client forgets it and the app shows the sign-in page.
 *
 * @example
 * const api = new ApiClient({ token: () => session?.token, onUnauthorised: () => signOut() });
 * const summary = await api.get<FleetSummary>('/v1/operator/fleet/summary');
 */
import { ApiError } from './api-error.js';

export interface ApiClientOptions {
  readonly token: () => string | undefined;
  readonly onUnauthorised: () => void;
  readonly fetch?: typeof fetch;
}

type Query = Record<string, string | number | boolean | undefined | null>;

export class ApiClient {
  readonly #options: ApiClientOptions;

  constructor(options: ApiClientOptions) {
    this.#options = options;
  }

  get<T>(path: string, query?: Query): Promise<T> {
    return this.request<T>('GET', withQuery(path, query));
  }

  post<T>(path: string, body: unknown = {}): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PUT', path, body);
  }

  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = this.#options.token();
    if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await (this.#options.fetch ?? fetch)(path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }), credentials: 'omit', cache: 'no-store' });
    const text = await response.text();
    const json: unknown = text === '' ? undefined : safeParse(text);
    if (!response.ok) {
      const error = (json as { error?: { code?: string; message?: string; details?: Record<string, unknown> } } | undefined)?.error;
      if (response.status === 401 && token !== undefined) this.#options.onUnauthorised();
      throw new ApiError(response.status, error?.code ?? `HTTP_${response.status}`, error?.message ?? response.statusText, error?.details);
    }
    return json as T;
  }
}

/** `path?k=v&...`, leaving out undefined, null and empty values. */
export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text === '' ? path : `${path}?${text}`;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

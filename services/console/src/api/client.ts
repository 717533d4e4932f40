/** The admin API as the console calls it: same origin, the credential in the Authorization header only. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(describeRefusal(status, body));
  }
}

/** The API's own words for a refusal: its message, and each named problem or field. */
function describeRefusal(status: number, body: unknown): string {
  if (typeof body !== 'object' || body === null) return `The API answered ${status}.`;
  const b = body as { message?: unknown; problems?: { path: string; message: string }[]; issues?: { path: unknown; message: string }[] };
  const message = Array.isArray(b.message) ? b.message.join('; ') : typeof b.message === 'string' ? b.message : `The API answered ${status}`;
  const parts = [...(b.problems ?? []).map((p) => `${p.path}: ${p.message}`), ...(b.issues ?? []).map((i) => `${Array.isArray(i.path) ? i.path.join('.') : String(i.path)}: ${i.message}`)];
  return parts.length ? `${message} — ${parts.join('; ')}` : message;
}

export interface ApiClient {
  get<T>(path: string): Promise<T>;
  send<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T>;
  /** The raw answer, for downloads and streams. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
}

/** `onUnauthorized`: the API stopped accepting the credential (a token expired, a key was revoked). */
export function apiClient(credential: string, onUnauthorized: () => void = () => {}): ApiClient {
  const authorization = `Bearer ${credential}`;
  const raw = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(path, { ...init, headers: { ...init.headers, authorization }, cache: 'no-store' });
    if (res.status === 401) onUnauthorized();
    return res;
  };
  const read = async <T>(res: Response): Promise<T> => {
    const text = await res.text();
    let body: unknown = undefined;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    if (!res.ok) throw new ApiError(res.status, body);
    return body as T;
  };
  return {
    get: async (path) => read(await raw(path)),
    send: async (method, path, body) =>
      read(await raw(path, { method, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }) })),
    fetch: raw,
  };
}

/** `?a=1&b=2` from the filled-in fields, or '' when none is. */
export function queryString(fields: Record<string, string | undefined>): string {
  const params = new URLSearchParams(Object.entries(fields).filter((e): e is [string, string] => !!e[1]));
  const text = params.toString();
  return text ? `?${text}` : '';
}

import { DEMO_PRINCIPALS } from '../demo-principals';
import type { GotoEmulatorOptions } from '../emulator-options';
import { GotoEmulator } from '../goto-emulator';

export type DemoPrincipal = 'client' | 'admin' | 'member' | 'reader';

export interface TestRequest {
  /** Who the bearer token belongs to (default the demo OAuth client), or a literal token, or null for none. */
  as?: DemoPrincipal | { token: string } | null;
  body?: unknown;
  /** Default application/scim+json when there is a body. */
  contentType?: string;
  headers?: Record<string, string>;
}

export interface TestResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON, or the raw text when the body is not JSON. */
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- specs assert on arbitrary response shapes
}

/** A started emulator with the demo principals, unthrottled unless the options say otherwise, and a small HTTP helper. */
export class TestEmulator {
  private readonly tokens = new Map<DemoPrincipal, string>();

  private constructor(
    readonly emulator: GotoEmulator,
    readonly baseUrl: string,
  ) {}

  static async start(options: GotoEmulatorOptions = {}): Promise<TestEmulator> {
    const { client, admin, member, reader } = DEMO_PRINCIPALS;
    const emulator = new GotoEmulator({ clients: [client], adminUsers: [admin, member, reader], rateLimit: 'unthrottled', ...options });
    return new TestEmulator(emulator, await emulator.start());
  }

  stop(): Promise<void> {
    return this.emulator.stop();
  }

  /** emulator.reset() also revokes tokens, so cached ones are dropped too. */
  reset(): void {
    this.emulator.reset();
    this.tokens.clear();
  }

  async token(who: DemoPrincipal = 'client'): Promise<string> {
    const cached = this.tokens.get(who);
    if (cached) return cached;
    const response = who === 'client' ? await this.clientCredentialsLogin() : await this.directLogin(who);
    if (response.status !== 200) throw new Error(`login as ${who} failed: ${response.status} ${JSON.stringify(response.body)}`);
    this.tokens.set(who, response.body.access_token);
    return response.body.access_token;
  }

  async request(method: string, path: string, init: TestRequest = {}): Promise<TestResponse> {
    const as = init.as === undefined ? 'client' : init.as;
    const token = as === null ? undefined : typeof as === 'string' ? await this.token(as) : as.token;
    const headers: Record<string, string> = {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(init.body !== undefined ? { 'content-type': init.contentType ?? 'application/scim+json' } : {}),
      ...init.headers,
    };
    const body = init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
    return this.fetch(path, { method, headers, ...(body !== undefined ? { body } : {}) });
  }

  async fetch(path: string, init: RequestInit): Promise<TestResponse> {
    const response = await fetch(`${this.baseUrl}${path}`, init);
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON: keep the text so the spec can assert on it.
    }
    return { status: response.status, headers: response.headers, body };
  }

  private clientCredentialsLogin(): Promise<TestResponse> {
    const { clientId, clientSecret } = DEMO_PRINCIPALS.client;
    return this.fetch('/oauth/token', {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
  }

  private directLogin(who: Exclude<DemoPrincipal, 'client'>): Promise<TestResponse> {
    const { userId, password } = DEMO_PRINCIPALS[who];
    const form = new URLSearchParams({ grant_type: 'password', user_id: userId, password, client_id: DEMO_PRINCIPALS.client.clientId });
    return this.fetch('/oauth/access_token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
  }
}

/** A valid SCIM user body for example.com, with overrides. */
export function scimUserBody(userName: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    userName,
    name: { givenName: 'Grace', familyName: 'Hopper' },
    ...overrides,
  };
}

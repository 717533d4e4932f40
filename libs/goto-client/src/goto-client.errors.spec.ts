import { inspect } from 'node:util';
import { Agent } from 'undici';
import { DEMO_PRINCIPALS, TestEmulator } from '@roster/goto-emulator';
import { GotoApiError } from './goto-api-error';
import { GotoClient, type GotoClientOptions } from './goto-client';
import type { ScimUserInput } from './scim-types';

const { client: demoClient, admin, member } = DEMO_PRINCIPALS;
const oauthClient = { kind: 'oauth-client', ...demoClient } as const;
const user = (userName: string): ScimUserInput => ({ userName, name: { givenName: 'Grace', familyName: 'Hopper' } });

/** The rejection of `promise`, which must be a GotoApiError. */
async function failure(promise: Promise<unknown>): Promise<GotoApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GotoApiError);
  return error as GotoApiError;
}

describe('GotoClient error classes against the emulator', () => {
  let goto: TestEmulator;
  beforeAll(async () => (goto = await TestEmulator.start()));
  afterAll(() => goto.stop());
  beforeEach(() => goto.emulator.reset());

  const clientWith = (options: Partial<GotoClientOptions> = {}) =>
    new GotoClient({ endpoints: goto.emulator.endpoints, credentials: oauthClient, ...options });

  describe('transient', () => {
    it('429, with Retry-After as retryAfterMs and the onRateLimited hook, which names the API family', async () => {
      const waits: [number, string][] = [];
      goto.emulator.rateLimit = { perSecond: 1, retryAfterSeconds: 2 };
      const client = clientWith({ onRateLimited: (ms, api) => waits.push([ms, api]) });
      await client.getUser('1');
      const error = await failure(client.getUser('1'));
      expect(error).toMatchObject({ kind: 'transient', status: 429, retryAfterMs: 2_000, operation: 'getUser' });
      expect(waits).toEqual([[2_000, 'scim']]);
    });

    it('429 without Retry-After still tells the hook to back off about a second', async () => {
      const waits: number[] = [];
      goto.emulator.rateLimit = { perSecond: 1, retryAfterSeconds: null };
      const client = clientWith({ onRateLimited: (ms) => waits.push(ms) });
      await client.getUser('1');
      const error = await failure(client.getUser('1'));
      expect(error.retryAfterMs).toBeUndefined();
      expect(waits).toEqual([1_000]);
    });

    it.each([500, 502, 503])('HTTP %i, keeping GoTo’s error body', async (status) => {
      const client = clientWith();
      goto.emulator.faults.failNext(1, { kind: 'status', status }, { pathPrefix: '/identity' });
      const error = await failure(client.createUser(user('a@example.com')));
      expect(error).toMatchObject({ kind: 'transient', status, operation: 'createUser', body: { status: String(status) } });
    });

    it('a timeout', async () => {
      // Generous enough that the first, ordinary requests finish in time on a busy machine too.
      const client = clientWith({ timeoutMs: 2_000 });
      await client.getUser('1');
      goto.emulator.faults.failNext(1, { kind: 'slow', delayMs: 4_000 });
      const error = await failure(client.getUser('1'));
      expect([error.kind, error.status, error.message]).toEqual(['transient', undefined, 'getUser: no answer within 2000 ms']);
    });

    it('a dropped connection', async () => {
      const client = clientWith();
      await client.getUser('1');
      goto.emulator.faults.failNext(1, { kind: 'drop' });
      const error = await failure(client.getUser('1'));
      expect(error.kind).toBe('transient');
      expect(error.message).toMatch(/^getUser: connection failed \(/);
    });

    it('never retried by the client itself', async () => {
      const client = clientWith();
      await client.getUser('1');
      goto.emulator.faults.failNext(1, { kind: 'status', status: 503 });
      await failure(client.getUser('1'));
      expect(goto.emulator.requestLog.countByStatus({ family: 'scim' })).toEqual({ 404: 1, 503: 1 });
    });
  });

  describe('permanent', () => {
    it('400 for a user GoTo refuses, with the SCIM error body', async () => {
      const error = await failure(clientWith().createUser(user('grace@not-verified.com')));
      expect(error).toMatchObject({ kind: 'permanent', status: 400, body: { scimType: 'invalidValue' } });
      expect(error.message).toMatch(/createUser: GoTo answered HTTP 400 \(.*not a verified domain/);
      expect(error.attribute).toBe('userName');
    });

    it('400 for an attribute GoTo does not know, naming it', async () => {
      const withTitle = { ...user('title@example.com'), title: 'Engineer' } as ScimUserInput;
      const error = await failure(clientWith().createUser(withTitle));
      expect(error).toMatchObject({ kind: 'permanent', status: 400, attribute: 'title', body: { scimType: 'invalidValue' } });
    });

    it('409 for a duplicate userName', async () => {
      const client = clientWith();
      await client.createUser(user('dup@example.com'));
      const error = await failure(client.createUser(user('dup@example.com')));
      expect(error).toMatchObject({ kind: 'permanent', status: 409, body: { scimType: 'uniqueness' } });
    });

    it('a poisoned userName fails alone', async () => {
      const client = clientWith();
      goto.emulator.faults.failUserName('poison@example.com', { status: 422 });
      expect((await failure(client.createUser(user('poison@example.com')))).kind).toBe('permanent');
      await expect(client.createUser(user('fine@example.com'))).resolves.toMatchObject({ userName: 'fine@example.com' });
    });
  });

  describe('a refused token', () => {
    it.each([401, 403])('HTTP %i renews the token once and repeats the request (403: a bad token in the Citrix style)', async (status) => {
      const client = clientWith();
      await client.getUser('1');
      goto.emulator.requestLog.clear();
      goto.emulator.faults.failNext(1, { kind: 'status', status }, { pathPrefix: '/identity' });
      expect(await client.getUser('1')).toBeNull();
      expect(goto.emulator.requestLog.entries().map((entry) => `${entry.family} ${entry.status}`)).toEqual([`scim ${status}`, 'auth 200', 'scim 404']);
    });

    it('refused again although GoTo has just issued the token: transient, since the login worked', async () => {
      const client = clientWith();
      await client.getUser('1');
      goto.emulator.requestLog.clear();
      goto.emulator.faults.failNext(2, { kind: 'status', status: 401 }, { pathPrefix: '/identity' });
      const error = await failure(client.getUser('1'));
      expect(error).toMatchObject({ kind: 'transient', status: 401, message: expect.stringMatching(/also with a renewed token/) });
      expect(goto.emulator.requestLog.entries().map((entry) => `${entry.family} ${entry.status}`)).toEqual(['scim 401', 'auth 200', 'scim 401']);
    });

    it('403 for a token without the Team Admin role: transient for the command, the quarantine probe tells not-admin', async () => {
      const client = clientWith({ credentials: { kind: 'password', userId: member.userId, password: member.password, clientId: demoClient.clientId } });
      expect(await failure(client.createUser(user('a@example.com')))).toMatchObject({ kind: 'transient', status: 403 });
    });
  });

  describe('fatal', () => {
    it('credentials GoTo refuses, at the token endpoint', async () => {
      const badSecret = clientWith({ credentials: { ...oauthClient, clientSecret: 'wrong-secret' } });
      expect(await failure(badSecret.getUser('1'))).toMatchObject({ kind: 'fatal', status: 401, operation: 'authenticate' });
      const badPassword = clientWith({ credentials: { kind: 'password', userId: admin.userId, password: 'wrong-password', clientId: demoClient.clientId } });
      expect(await failure(badPassword.getUser('1'))).toMatchObject({ kind: 'fatal', status: 400, body: { error: 'invalid_grant' } });
    });
  });

  it('never carries a token, password or secret, even when GoTo echoes them', async () => {
    const seenTokens: string[] = [];
    // The tokens as they go on the wire: an interceptor on the client's connection pool sees every request.
    const agent = new Agent();
    const dispatcher = agent.compose((dispatch) => (options, handler) => {
      const authorization = (options.headers as Record<string, string> | undefined)?.['authorization'];
      if (authorization?.startsWith('Bearer ')) seenTokens.push(authorization.slice('Bearer '.length));
      return dispatch(options, handler);
    });
    try {
      const credentials = { kind: 'password', userId: admin.userId, password: admin.password, clientId: demoClient.clientId } as const;
      const client = clientWith({ credentials, dispatcher });
      await client.getUser('1');
      const token = seenTokens[0]!;
      const echo = `token ${token} password ${admin.password}`;
      goto.emulator.faults.failNext(1, { kind: 'status', status: 400, body: { detail: echo, nested: [echo] } });
      const error = await failure(client.getUser('1'));
      const everything = `${error.message} ${JSON.stringify(error)} ${inspect(error, { depth: 10 })}`;
      expect(everything).toContain('[redacted]');
      expect(everything).not.toContain(token);
      expect(everything).not.toContain(admin.password);
    } finally {
      await agent.close();
    }
  });

  it('calls beforeRequest before every HTTP request, token requests included, and takes the token only after it', async () => {
    const apis: string[] = [];
    const client = clientWith({ beforeRequest: async (api) => void apis.push(api) });
    await client.createUser(user('a@example.com'));
    await client.account();
    expect(apis).toEqual(['scim', 'auth', 'admin']);
  });
});

import { DEMO_TENANT, GraphEmulator, NotificationReceiver, type GraphEmulatorOptions } from '@roster/graph-emulator';
import { DeltaMerger } from './delta-merger';
import { GraphApiError } from './graph-api-error';
import { GraphClient } from './graph-client';
import type { GraphClientOptions } from './graph-client-options';
import type { DeltaObject, DeltaPage } from './graph-resources';

const credentials = { tenantId: DEMO_TENANT.tenantId, clientId: DEMO_TENANT.clientId, clientSecret: DEMO_TENANT.clientSecret };

describe('GraphClient against the Graph emulator', () => {
  let emulator: GraphEmulator;
  let baseUrl: string;
  const started: GraphEmulator[] = [];

  const startEmulator = async (options: GraphEmulatorOptions = {}) => {
    const instance = new GraphEmulator({ deltaPageSize: 4, deltaMemberSliceSize: 2, ...options });
    started.push(instance);
    return { instance, url: await instance.start(0) };
  };
  const clientFor = (url: string, options: Partial<GraphClientOptions> = {}) =>
    new GraphClient({ endpoints: { loginUrl: url, graphUrl: url }, credentials, timeoutMs: 5000, ...options });
  const collect = async <T>(pages: AsyncIterable<T[]>) => {
    const all: T[][] = [];
    for await (const page of pages) all.push(page);
    return all;
  };
  const runDelta = async (client: GraphClient, resource: 'users' | 'groups', deltaLink?: string) => {
    const merger = new DeltaMerger();
    const pages: DeltaPage<DeltaObject>[] = [];
    for await (const page of client.delta(resource, { select: ['displayName', 'accountEnabled'], deltaLink })) {
      pages.push(page);
      merger.add(page.items);
    }
    return { pages, changes: merger.drainAll(), deltaLink: pages[pages.length - 1].deltaLink as string };
  };
  const tokenRequests = (instance: GraphEmulator) => instance.requestLog().filter((r) => r.url.includes('/oauth2/')).length;

  beforeAll(async () => {
    ({ instance: emulator, url: baseUrl } = await startEmulator());
  });
  beforeEach(() => emulator.reset());
  afterAll(() => Promise.all(started.map((instance) => instance.stop())));

  it('streams collections page by page, following nextLinks with the page size as $top', async () => {
    emulator.seedUsers(25);
    const pages = await collect(clientFor(baseUrl, { pageSize: 10 }).pages<{ id: string; mail: string }>('users', { $select: 'id,mail' }));
    expect(pages.map((page) => page.length)).toEqual([10, 10, 5]);
    expect(Object.keys(pages[0][0])).toEqual(['id', 'mail']);
    expect(emulator.requestLog().filter((r) => r.url.startsWith('/v1.0/users'))[0].url).toContain('%24top=10');
  });

  it('reads the service principal, its app-role assignments and group members', async () => {
    const [ada, bob] = emulator.seedUsers(2);
    const outer = emulator.addGroup({ displayName: 'Outer' });
    const inner = emulator.addGroup({ displayName: 'Inner' });
    emulator.addGroupMember(outer.id, inner.id);
    emulator.addGroupMember(inner.id, bob);
    emulator.assignAppRole({ principalId: ada, appRoleId: DEMO_TENANT.userRoleId });
    emulator.assignAppRole({ principalId: outer.id });
    const client = clientFor(baseUrl);

    expect((await client.getServicePrincipal(DEMO_TENANT.servicePrincipalId)).appRoles.map((role) => role.value)).toEqual(['User']);
    const assignments = (await collect(client.appRoleAssignedTo(DEMO_TENANT.servicePrincipalId))).flat();
    expect(assignments.map((a) => [a.principalType, a.principalId])).toEqual([
      ['User', ada],
      ['Group', outer.id],
    ]);
    const direct = (await collect(client.groupMembers(outer.id))).flat();
    expect(direct.map((m) => m['@odata.type'])).toEqual(['#microsoft.graph.group']);
    const transitive = (await collect(client.groupMembers(outer.id, { transitive: true, select: ['id'] }))).flat();
    expect(transitive.map((m) => m.id)).toEqual([inner.id, bob]);
  });

  it('runs delta rounds: initial, resumed from a saved deltaLink with changes, then quiet', async () => {
    const [kept, renamed, softDeleted, hardDeleted, ...rest] = emulator.seedUsers(9);
    const client = clientFor(baseUrl);

    const initial = await runDelta(client, 'users');
    expect(initial.pages.length).toBeGreaterThan(2);
    expect(initial.pages.slice(0, -1).every((page) => page.deltaLink === undefined && page.nextLink)).toBe(true);
    expect(initial.pages.at(-1)?.nextLink).toBeUndefined();
    // Replays folded: one change per user although the emulator repeats objects across pages.
    expect(initial.pages.flatMap((page) => page.items).length).toBeGreaterThan(9);
    expect(initial.changes.map((change) => change.id).sort()).toEqual([kept, renamed, softDeleted, hardDeleted, ...rest].sort());

    const added = emulator.addUser({ userPrincipalName: 'new@contoso.com', displayName: 'New' }).id;
    emulator.updateUser(renamed, { displayName: 'Renamed' });
    emulator.softDeleteUser(softDeleted);
    emulator.hardDeleteUser(hardDeleted);
    const resumed = await runDelta(clientFor(baseUrl), 'users', initial.deltaLink);
    expect(new Map(resumed.changes.map((change) => [change.id, change]))).toEqual(
      new Map([
        [added, { id: added, properties: { id: added, displayName: 'New', accountEnabled: true } }],
        [renamed, { id: renamed, properties: expect.objectContaining({ displayName: 'Renamed' }) }],
        [softDeleted, { id: softDeleted, removed: 'changed', properties: {} }],
        [hardDeleted, { id: hardDeleted, removed: 'deleted', properties: {} }],
      ]),
    );

    const quiet = await runDelta(client, 'users', resumed.deltaLink);
    expect([quiet.changes, quiet.pages.length]).toEqual([[], 1]);
  });

  it('resumes a round cut short from the nextLink of its last processed page', async () => {
    const ids = emulator.seedUsers(10);
    const client = clientFor(baseUrl);
    const first = await client.delta('users', { select: ['displayName'] }).next();
    const nextLink = (first.value as DeltaPage<DeltaObject>).nextLink;
    const rest = await runDelta(client, 'users', nextLink);
    const items = [...(first.value as DeltaPage<DeltaObject>).items, ...rest.pages.flatMap((page) => page.items)];
    const seen = new Set(items.map((item) => item.id));
    expect([...seen].sort()).toEqual([...ids].sort());
    expect(rest.deltaLink).toContain('$deltatoken=');
  });

  it('merges members@delta slices of a group spread across pages', async () => {
    const users = emulator.seedUsers(5);
    const group = emulator.addGroup({ displayName: 'Engineering' });
    users.forEach((id) => emulator.addGroupMember(group.id, id));
    const merger = new DeltaMerger();
    for await (const page of clientFor(baseUrl).delta('groups', { select: ['displayName', 'members'] })) merger.add(page.items);
    const [change] = merger.drainAll();
    expect(change.members?.map((member) => member.id)).toEqual(users);
  });

  it('reports an expired delta cursor as resync-required', async () => {
    emulator.seedUsers(2);
    const client = clientFor(baseUrl);
    const { deltaLink } = await runDelta(client, 'users');
    emulator.expireDeltaTokens();
    const failure = await runDelta(client, 'users', deltaLink).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(GraphApiError);
    expect(failure).toMatchObject({ status: 410, code: 'syncStateNotFound', kind: 'resync-required' });
  });

  it('waits out 429 Retry-After itself, and gives up with a transient error past its retry budget', async () => {
    emulator.seedUsers(3);
    emulator.setThrottling({ failNext: { count: 1, status: 429, retryAfterSeconds: 1 } });
    const startedAt = Date.now();
    const pages = await collect(clientFor(baseUrl).pages('users'));
    expect(pages.flat()).toHaveLength(3);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(950);

    emulator.setThrottling({ failNext: { count: 3, status: 503, retryAfterSeconds: 1 } });
    const failure = await collect(clientFor(baseUrl, { maxThrottleRetries: 0 }).pages('users')).catch((error: unknown) => error);
    expect(failure).toMatchObject({ status: 503, code: 'serviceNotAvailable', kind: 'transient', retryAfterMs: 1000 });
  });

  it('caches the token, refreshes it before expiry, and re-authenticates once after a revocation', async () => {
    // Client and emulator share a clock that moves only when the test says: no real time counts.
    let clock = Date.now();
    const { instance, url } = await startEmulator({ accessTokenTtlSeconds: 2, now: () => clock });
    const client = clientFor(url, { clock: () => clock });
    await collect(client.pages('groups'));
    clock += 999;
    await collect(client.pages('groups'));
    expect(tokenRequests(instance)).toBe(1);

    clock += 2; // past half the 2 s lifetime
    await collect(client.pages('groups'));
    expect(tokenRequests(instance)).toBe(2);

    instance.revokeAccessTokens();
    await collect(client.pages('groups'));
    expect(tokenRequests(instance)).toBe(3);
    expect(instance.requestLog().filter((r) => r.status === 401)).toHaveLength(1);
  });

  it('fails fatally on bad credentials without exposing the secret or a token', async () => {
    const secret = 'super-secret-value';
    const client = new GraphClient({ endpoints: { loginUrl: baseUrl, graphUrl: baseUrl }, credentials: { ...credentials, clientSecret: secret } });
    const failure = await collect(client.pages('users')).catch((error: unknown) => error);
    expect(failure).toMatchObject({ status: 401, code: 'invalid_client', kind: 'fatal' });
    const serialized = `${(failure as Error).message} ${(failure as Error).stack} ${JSON.stringify(failure)}`;
    expect(serialized).toContain('AADSTS7000215');
    expect(serialized).not.toContain(secret);
  });

  it('classifies Graph errors and refuses to send the token off the Graph origin', async () => {
    const client = clientFor(baseUrl);
    await expect(collect(client.pages('users', { $select: 'nope' }))).rejects.toMatchObject({ status: 400, kind: 'permanent' });
    await expect(client.getServicePrincipal('6a8f1d2e-0000-4000-8000-000000000000')).rejects.toMatchObject({
      status: 404,
      code: 'Request_ResourceNotFound',
      kind: 'permanent',
      requestId: expect.any(String),
    });
    await expect(collect(client.pages('https://evil.example/v1.0/users'))).rejects.toMatchObject({ code: 'foreignUrl' });
  });

  it('creates, renews and deletes subscriptions', async () => {
    const receiver = await NotificationReceiver.start();
    try {
      const client = clientFor(baseUrl);
      const expiry = new Date(Date.now() + 3600_000);
      const subscription = await client.createSubscription({
        changeType: 'updated,deleted',
        notificationUrl: receiver.url,
        resource: 'users',
        expirationDateTime: expiry,
        clientState: 'state',
      });
      expect(subscription).toMatchObject({ resource: 'users', clientState: 'state', expirationDateTime: expiry.toISOString() });

      const renewed = await client.renewSubscription(subscription.id, new Date(Date.now() + 7200_000));
      expect(Date.parse(renewed.expirationDateTime)).toBeGreaterThan(expiry.getTime());
      expect((await client.listSubscriptions()).map((s) => s.id)).toEqual([subscription.id]);
      await client.deleteSubscription(subscription.id);
      await client.deleteSubscription(subscription.id);
      expect(emulator.listSubscriptions()).toEqual([]);

      receiver.validation = 'echo-encoded';
      const refused = client.createSubscription({ changeType: 'updated', notificationUrl: receiver.url, resource: 'groups', expirationDateTime: expiry });
      await expect(refused).rejects.toMatchObject({ status: 400, code: 'InvalidRequest', kind: 'permanent' });
    } finally {
      await receiver.stop();
    }
  });
});

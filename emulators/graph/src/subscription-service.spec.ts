import { DEMO_TENANT } from './emulator-options';
import { EmulatorHttp } from './testing/emulator-http';
import { NotificationReceiver } from './testing/notification-receiver';

describe('change notifications', () => {
  let http: EmulatorHttp;
  let receiver: NotificationReceiver;
  beforeAll(async () => {
    http = await EmulatorHttp.start({
      notificationBatchDelayMs: 10,
      notificationRetryDelaysMs: [50],
      subscriptionValidationTimeoutMs: 300,
    });
    receiver = await NotificationReceiver.start();
  });
  beforeEach(() => {
    http.emulator.reset();
    receiver.notifications.length = 0;
    receiver.validation = 'echo';
    receiver.status = 202;
  });
  afterAll(async () => {
    await http.stop();
    await receiver.stop();
  });

  const inHours = (hours: number) => new Date(Date.now() + hours * 3600_000).toISOString();
  const subscribe = (overrides: Record<string, unknown> = {}) =>
    http.request('POST', '/v1.0/subscriptions', {
      body: {
        changeType: 'updated,deleted',
        notificationUrl: receiver.url,
        lifecycleNotificationUrl: receiver.url,
        resource: 'users',
        expirationDateTime: inHours(24),
        clientState: 'secretClientState',
        ...overrides,
      },
    });

  it('creates a subscription after the validation handshake, then notifies changes with the clientState', async () => {
    const created = await subscribe();
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      '@odata.context': `${http.baseUrl}/v1.0/$metadata#subscriptions/$entity`,
      id: expect.any(String),
      resource: 'users',
      changeType: 'updated,deleted',
      clientState: 'secretClientState',
      applicationId: DEMO_TENANT.clientId,
      latestSupportedTlsVersion: 'v1_2',
    });

    const { id } = http.emulator.addUser({ userPrincipalName: 'ada@contoso.com' });
    http.emulator.softDeleteUser(id);
    const notifications = await receiver.waitFor(2);
    expect(notifications).toEqual([
      {
        subscriptionId: created.body.id,
        subscriptionExpirationDateTime: created.body.expirationDateTime,
        tenantId: DEMO_TENANT.tenantId,
        clientState: 'secretClientState',
        changeType: 'updated',
        resource: `Users/${id}`,
        resourceData: { '@odata.type': '#Microsoft.Graph.User', '@odata.id': `Users/${id}`, id },
      },
      expect.objectContaining({ changeType: 'deleted', resource: `Users/${id}` }),
    ]);
  });

  it.each([
    ['echoes the token still URL-encoded', 'echo-encoded'],
    ['answers as JSON', 'json'],
    ['does not answer in time', 'hang'],
  ] as const)('refuses the subscription when the endpoint %s', async (_case, behaviour) => {
    receiver.validation = behaviour;
    const response = await subscribe();
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('InvalidRequest');
    expect(response.body.error.message).toMatch(/^Subscription validation request failed\./);
    expect(http.emulator.listSubscriptions()).toEqual([]);
  });

  it.each([
    ['a created changeType', { changeType: 'created' }],
    ['an unsupported resource', { resource: 'me/messages' }],
    ['plain HTTP off loopback', { notificationUrl: 'http://example.com/hook' }],
    ['an expiry past the 41760-minute limit', { expirationDateTime: inHours(24 * 30) }],
    ['an expiry in the past', { expirationDateTime: inHours(-1) }],
    ['a clientState over 128 characters', { clientState: 'x'.repeat(129) }],
    ['an unknown property', { colour: 'blue' }],
  ])('rejects %s', async (_case, overrides) => {
    const response = await subscribe(overrides);
    expect([response.status, response.body.error.code]).toEqual([400, 'InvalidRequest']);
  });

  it('enforces the per-application quota with 403', async () => {
    const limited = await EmulatorHttp.start({ maxSubscriptionsPerApp: 1 });
    try {
      const body = { changeType: 'updated', notificationUrl: receiver.url, resource: 'groups', expirationDateTime: inHours(1) };
      expect((await limited.request('POST', '/v1.0/subscriptions', { body })).status).toBe(201);
      const refused = await limited.request('POST', '/v1.0/subscriptions', { body });
      expect([refused.status, refused.body.error.code]).toEqual([403, 'Forbidden']);
    } finally {
      await limited.stop();
    }
  });

  it('renews, lists, deletes and expires subscriptions', async () => {
    let clock = Date.now();
    const timed = await EmulatorHttp.start({ now: () => clock });
    try {
      const { body: created } = await timed.request('POST', '/v1.0/subscriptions', {
        body: { changeType: 'updated', notificationUrl: receiver.url, resource: 'groups', expirationDateTime: inHours(1) },
      });
      const renewed = await timed.request('PATCH', `/v1.0/subscriptions/${created.id}`, { body: { expirationDateTime: inHours(48) } });
      expect([renewed.status, renewed.body.expirationDateTime]).toEqual([200, expect.any(String)]);
      expect(Date.parse(renewed.body.expirationDateTime)).toBeGreaterThan(Date.parse(created.expirationDateTime));
      expect((await timed.get('/v1.0/subscriptions')).body.value).toHaveLength(1);

      clock += 49 * 3600_000;
      const token = timed.emulator.issueAccessToken();
      expect((await timed.get(`/v1.0/subscriptions/${created.id}`, { token })).status).toBe(404);

      const { body: second } = await timed.request('POST', '/v1.0/subscriptions', {
        token,
        body: { changeType: 'updated', notificationUrl: receiver.url, resource: 'groups', expirationDateTime: new Date(clock + 3600_000).toISOString() },
      });
      expect((await timed.request('DELETE', `/v1.0/subscriptions/${second.id}`, { token })).status).toBe(204);
      expect((await timed.request('DELETE', `/v1.0/subscriptions/${second.id}`, { token })).status).toBe(404);
    } finally {
      await timed.stop();
    }
  });

  it('notifies only the subscribed object and change type', async () => {
    const [ada, bob] = http.emulator.seedUsers(2);
    await subscribe({ resource: `users/${ada}`, changeType: 'deleted' });
    http.emulator.updateUser(ada, { jobTitle: 'CTO' });
    http.emulator.softDeleteUser(bob);
    http.emulator.softDeleteUser(ada);
    expect((await receiver.waitFor(1)).map((n) => [n.changeType, n.resourceData.id])).toEqual([['deleted', ada]]);
    await http.emulator.waitForNotifications();
    expect(receiver.notifications).toHaveLength(1);
  });

  it('notifies group membership changes as group updates', async () => {
    const [ada] = http.emulator.seedUsers(1);
    const group = http.emulator.addGroup({ displayName: 'Sales' });
    await subscribe({ resource: 'groups' });
    http.emulator.addGroupMember(group.id, ada);
    expect(await receiver.waitFor(1)).toEqual([
      expect.objectContaining({ changeType: 'updated', resource: `Groups/${group.id}`, resourceData: expect.objectContaining({ '@odata.type': '#Microsoft.Graph.Group' }) }),
    ]);
  });

  it('retries a delivery the receiver refused', async () => {
    await subscribe();
    receiver.status = 500;
    http.emulator.seedUsers(1);
    await receiver.waitFor(1);
    receiver.status = 202;
    await http.emulator.waitForNotifications();
    expect(http.emulator.notificationDeliveries().map((d) => [d.attempt, d.status])).toEqual([
      [0, 500],
      [1, 202],
    ]);
  });

  it('sends lifecycle notifications: reauthorizationRequired pauses, subscriptionRemoved removes', async () => {
    const { body: subscription } = await subscribe();
    http.emulator.triggerLifecycleEvent(subscription.id, 'reauthorizationRequired');
    const [lifecycle] = await receiver.waitFor(1);
    expect(lifecycle).toEqual({
      subscriptionId: subscription.id,
      subscriptionExpirationDateTime: subscription.expirationDateTime,
      tenantId: DEMO_TENANT.tenantId,
      clientState: 'secretClientState',
      lifecycleEvent: 'reauthorizationRequired',
    });

    http.emulator.seedUsers(1); // lost while paused
    await http.emulator.waitForNotifications();
    expect(receiver.notifications).toHaveLength(1);
    expect((await http.request('POST', `/v1.0/subscriptions/${subscription.id}/reauthorize`)).status).toBe(204);
    http.emulator.seedUsers(1);
    await receiver.waitFor(2);

    http.emulator.triggerLifecycleEvent(subscription.id, 'subscriptionRemoved');
    expect((await receiver.waitFor(3))[2].lifecycleEvent).toBe('subscriptionRemoved');
    expect(http.emulator.listSubscriptions()).toEqual([]);
  });
});

import { firstValueFrom } from 'rxjs';
import { QueueName, connectorRpcPattern, type ConnectorPingReply } from '@roster/contracts';
import { ReconnectingClientRedis } from '@roster/platform';
import { TEST_REDIS_URL, getJson, sendJson, waitFor } from '@roster/testing';
import { Pipeline, findLog as has } from '../support/pipeline';

describe('provisioning pipeline, end to end on real Redis and PostgreSQL', () => {
  const p = new Pipeline();
  const goto = p.goto;

  beforeAll(() => p.start());
  afterAll(() => p.stop());

  const assignNewUser = (local: string, extra: Record<string, string> = {}, domain?: string) => p.assignNewUser(local, extra, domain);
  const logsOf = (userId: string) => p.logsOf(userId);

  it('provisions an assigned user with the mapped attributes, logs every step, and disables on unassignment', async () => {
    const id = await assignNewUser('lovelace');
    const account = await waitFor(() => goto.users.getByUserName('lovelace@example.com'), { what: 'the GoTo account' });
    expect(account.active).toBe(true);
    expect(account.externalId).toBe(id);
    expect(account.attributes).toMatchObject({
      userName: 'lovelace@example.com',
      name: { givenName: 'Ada', familyName: 'lovelace' },
      displayName: 'Ada lovelace',
    });
    // GoTo documents no e-mails: the default mapping sends none.
    expect(account.attributes).not.toHaveProperty('emails');

    const created = await waitFor(async () => {
      const logs = await logsOf(id);
      return has(logs, 'connector', 'Create', 'executed') && logs;
    }, { what: 'the Create in the log' });
    expect(has(created, 'directory-watcher', 'Import', 'computed')).toBeDefined();
    expect(has(created, 'mapper', 'Create', 'computed')).toBeDefined();
    expect(has(created, 'connector', 'Create', 'executed')?.targetId).toBe(account.id);

    expect((await sendJson('DELETE', `${p.watcher.url}/directory/assignments/users/${id}`)).status).toBe(204);
    await waitFor(() => goto.users.getByUserName('lovelace@example.com')?.active === false, { what: 'the account disabled' });
    const disabled = await waitFor(async () => has(await logsOf(id), 'connector', 'Disable', 'executed'), { what: 'the Disable in the log' });
    expect(disabled.status).toBe('success');
    expect(has(await logsOf(id), 'mapper', 'Disable', 'computed')).toBeDefined();
  });

  it('retries a transient GoTo failure with backoff and then succeeds', async () => {
    goto.faults.failNext(2, { kind: 'status', status: 503 }, { method: 'POST', pathPrefix: '/identity/v1/Users' });
    const id = await assignNewUser('babbage');
    await waitFor(() => goto.users.getByUserName('babbage@example.com'), { what: 'the account after retries' });
    const logs = await waitFor(async () => {
      const l = await logsOf(id);
      return has(l, 'connector', 'Create', 'executed') && l;
    });
    const retried = logs.filter((e) => e.service === 'connector' && e.step === 'retried');
    expect(retried.length).toBeGreaterThanOrEqual(1);
    expect(retried[0].status).toBe('warning');
    expect(retried[0].reason).toMatch(/503/);
  });

  it('records a permanent GoTo failure with its reason and goes on with other users', async () => {
    const bad = await assignNewUser('mallory', {}, 'not-verified.org');
    const good = await assignNewUser('hopper');
    const failed = await waitFor(async () => has(await logsOf(bad), 'connector', 'Create', 'failed'), { what: 'the failure in the log' });
    expect(failed.status).toBe('failure');
    expect(failed.reason).toMatch(/400|domain/i);
    expect(failed.error?.status).toBe(400);
    expect(failed.error?.body).toMatchObject({ scimType: 'invalidValue', detail: expect.stringContaining('not-verified.org') });
    expect(goto.users.getByUserName('mallory@not-verified.org')).toBeUndefined();
    // The user behind the bad one is provisioned and logged as such: the failure blocked nobody else.
    const account = await waitFor(() => goto.users.getByUserName('hopper@example.com'), { what: 'the other user provisioned' });
    const created = await waitFor(async () => has(await logsOf(good), 'connector', 'Create', 'executed'), { what: "the other user's Create in the log" });
    expect(created).toMatchObject({ status: 'success', targetId: account.id });
  });

  it('rejects a malformed message on each queue with a specific reason and keeps running', async () => {
    const queues = Object.values(QueueName).map((name) => p.queue(name));
    try {
      const jobs = await Promise.all(queues.map((q) => q.add('bogus', { version: 2, type: 'user.exploded' }, { attempts: 3 })));
      for (const job of jobs) {
        await waitFor(async () => job.isFailed(), { what: `${job.queueName} job to be rejected` });
        const failedJob = await queues.find((q) => q.name === job.queueName)!.getJob(job.id!);
        expect(failedJob?.failedReason).toContain(`${job.queueName} message:`);
        expect(failedJob?.attemptsMade).toBe(1);
      }
      const rejections = await waitFor(async () => {
        const r = await p.logs('step=rejected');
        return r.length >= 3 && r;
      });
      // The mapper consumes assignment changes and the connector's feedback; the connector, commands.
      expect(rejections.map((r) => r.service).sort()).toEqual(['connector', 'mapper', 'mapper']);
      expect(rejections.every((r) => /version|type/.test(r.reason ?? ''))).toBe(true);
    } finally {
      await Promise.all(queues.map((q) => q.close()));
    }
    // Still working after the rejections.
    await assignNewUser('turing');
    await waitFor(() => goto.users.getByUserName('turing@example.com'), { what: 'provisioning after rejections' });
  });

  it('answers a ping over the Redis request/response transport', async () => {
    const client = new ReconnectingClientRedis(TEST_REDIS_URL);
    try {
      const reply = await firstValueFrom(client.send<ConnectorPingReply>(connectorRpcPattern(p.env.queuePrefix, 'ping'), {}));
      expect(reply).toMatchObject({ service: 'connector', target: 'gotomeeting' });
    } finally {
      await client.close();
    }
  });

  it('serves health and metrics on every service', async () => {
    for (const s of p.all) {
      expect((await getJson(`${s.url}/health/ready`)).status).toBe(200);
      const metrics = await fetch(`${s.url}/metrics`);
      expect(await metrics.text()).toContain('roster_queue_jobs_total');
    }
  });
});

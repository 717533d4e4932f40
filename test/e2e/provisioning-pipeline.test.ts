import { ClientRedis } from '@nestjs/microservices';
import { Queue } from 'bullmq';
import { firstValueFrom } from 'rxjs';
import { QueueName, connectorRpcPattern, type ConnectorPingReply } from '@roster/contracts';
import { GotoEmulator, DEMO_PRINCIPALS } from '@roster/goto-emulator';
import { redisOptionsFromUrl } from '@roster/platform';
import {
  TEST_REDIS_URL,
  TestEnvironment,
  getJson,
  sendJson,
  startService,
  waitFor,
  type RunningService,
} from '@roster/testing';
import { AuditAppModule } from '../../services/audit/src/app.module';
import { ConnectorAppModule } from '../../services/connector/src/app.module';
import { MapperAppModule } from '../../services/mapper/src/app.module';
import { WatcherAppModule } from '../../services/directory-watcher/src/app.module';

interface LogEntry {
  service: string;
  action: string;
  step: string;
  status: string;
  reason: string | null;
  targetId: string | null;
  error: { status?: number; body?: unknown } | null;
}

const ROLE = 'a1b2c3d4-0000-4000-8000-000000000001';

describe('provisioning pipeline, end to end on real Redis and PostgreSQL', () => {
  const env = new TestEnvironment();
  const goto = new GotoEmulator({ clients: [DEMO_PRINCIPALS.client], rateLimit: 'unthrottled' });
  const services: RunningService[] = [];
  let watcher: RunningService;
  let audit: RunningService;
  let userSeq = 0;

  beforeAll(async () => {
    await goto.start();
    const common = { RETRY_BASE_DELAY_MS: '50', RETRY_MAX_DELAY_MS: '200', WATCH_POLL_INTERVAL_MS: '500' };
    const endpoints = goto.endpoints;
    audit = await startService(AuditAppModule.forRoot(env.env()));
    watcher = await startService(WatcherAppModule.forRoot(env.env(common)));
    const mapper = await startService(MapperAppModule.forRoot(env.env(common)));
    const connector = await startService(
      ConnectorAppModule.forRoot(
        env.env({
          ...common,
          GOTO_AUTH_URL: endpoints.authUrl,
          GOTO_SCIM_URL: endpoints.scimUrl,
          GOTO_ADMIN_URL: endpoints.adminUrl,
          GOTO_CLIENT_ID: DEMO_PRINCIPALS.client.clientId,
          GOTO_CLIENT_SECRET: DEMO_PRINCIPALS.client.clientSecret,
        }),
      ),
    );
    services.push(audit, watcher, mapper, connector);
  });

  afterAll(async () => {
    for (const s of services.reverse()) await s.app.close();
    await goto.stop();
    await env.dispose();
  });

  async function assignNewUser(local: string, extra: Record<string, string> = {}, domain = 'example.com') {
    const id = `u${++userSeq}-${env.id}`;
    const created = await sendJson('POST', `${watcher.url}/directory/users`, {
      id,
      userPrincipalName: `${local}@${domain}`,
      attributes: { givenName: 'Ada', surname: local, displayName: `Ada ${local}`, mail: `${local}@${domain}`, ...extra },
    });
    expect(created.status).toBe(201);
    expect((await sendJson('POST', `${watcher.url}/directory/assignments`, { principalType: 'User', principalId: id, appRoleId: ROLE })).status).toBe(204);
    return id;
  }

  async function logsOf(userId: string): Promise<LogEntry[]> {
    return (await getJson<{ items: LogEntry[] }>(`${audit.url}/provisioning-logs?userId=${userId}&limit=200`)).body.items;
  }

  const has = (entries: LogEntry[], service: string, action: string, step: string) =>
    entries.find((e) => e.service === service && e.action === action && e.step === step);

  it('provisions an assigned user with the mapped attributes, logs every step, and disables on unassignment', async () => {
    const id = await assignNewUser('lovelace');
    const account = await waitFor(() => goto.users.getByUserName('lovelace@example.com'), { what: 'the GoTo account' });
    expect(account.active).toBe(true);
    expect(account.externalId).toBe(id);
    expect(account.attributes).toMatchObject({
      userName: 'lovelace@example.com',
      name: { givenName: 'Ada', familyName: 'lovelace' },
      displayName: 'Ada lovelace',
      emails: [{ type: 'work', value: 'lovelace@example.com', primary: true }],
    });

    const created = await waitFor(async () => {
      const logs = await logsOf(id);
      return has(logs, 'connector', 'Create', 'executed') && logs;
    }, { what: 'the Create in the log' });
    expect(has(created, 'directory-watcher', 'Import', 'computed')).toBeDefined();
    expect(has(created, 'mapper', 'Create', 'computed')).toBeDefined();
    expect(has(created, 'connector', 'Create', 'executed')?.targetId).toBe(account.id);

    expect((await sendJson('DELETE', `${watcher.url}/directory/assignments/users/${id}`)).status).toBe(204);
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
    expect(failed.error?.body).toBeDefined();
    await waitFor(() => goto.users.getByUserName('hopper@example.com'), { what: 'the other user provisioned' });
    expect(good).toBeDefined();
  });

  it('rejects a malformed message on each queue with a specific reason and keeps running', async () => {
    const connection = redisOptionsFromUrl(TEST_REDIS_URL);
    const queues = Object.values(QueueName).map((name) => new Queue(name, { connection, prefix: env.queuePrefix }));
    try {
      const jobs = await Promise.all(queues.map((q) => q.add('bogus', { version: 2, type: 'user.exploded' }, { attempts: 3 })));
      for (const job of jobs) {
        await waitFor(async () => job.isFailed(), { what: `${job.queueName} job to be rejected` });
        const failedJob = await queues.find((q) => q.name === job.queueName)!.getJob(job.id!);
        expect(failedJob?.failedReason).toContain(`${job.queueName} message:`);
        expect(failedJob?.attemptsMade).toBe(1);
      }
      const rejections = await waitFor(async () => {
        const r = (await getJson<{ items: LogEntry[] }>(`${audit.url}/provisioning-logs?step=rejected`)).body.items;
        return r.length >= 2 && r;
      });
      expect(rejections.map((r) => r.service).sort()).toEqual(['connector', 'mapper']);
      expect(rejections.every((r) => /version|type/.test(r.reason ?? ''))).toBe(true);
    } finally {
      await Promise.all(queues.map((q) => q.close()));
    }
    // Still working after the rejections.
    await assignNewUser('turing');
    await waitFor(() => goto.users.getByUserName('turing@example.com'), { what: 'provisioning after rejections' });
  });

  it('answers a ping over the Redis request/response transport', async () => {
    const client = new ClientRedis({ ...redisOptionsFromUrl(TEST_REDIS_URL), maxRetriesPerRequest: undefined });
    try {
      const reply = await firstValueFrom(client.send<ConnectorPingReply>(connectorRpcPattern(env.queuePrefix, 'ping'), {}));
      expect(reply).toMatchObject({ service: 'connector', target: 'gotomeeting' });
    } finally {
      await client.close();
    }
  });

  it('serves health and metrics on every service', async () => {
    for (const s of services) {
      expect((await getJson(`${s.url}/health/ready`)).status).toBe(200);
      const metrics = await fetch(`${s.url}/metrics`);
      expect(await metrics.text()).toContain('roster_queue_jobs_total');
    }
  });
});

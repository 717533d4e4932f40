import { Queue } from 'bullmq';
import { QueueName, type AuditRecord } from '@roster/contracts';
import { redisOptionsFromUrl } from '@roster/platform';
import { TestEnvironment, TEST_REDIS_URL, getJson, startService, waitFor, type RunningService } from '@roster/testing';
import { AuditAppModule } from '../../services/audit/src/app.module';

/** Yesterday, 00:00 UTC: records older than the log's 30-day retention would not be stored. */
const DAY = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000 - 86_400_000);
const at = (second: number) => new Date(DAY.getTime() + second * 1000).toISOString();

function record(i: number, overrides: Partial<AuditRecord> = {}): AuditRecord {
  return {
    version: 1,
    id: `test/executed/Create/msg-${i}/1`,
    occurredAt: at(i),
    service: 'connector',
    provisioningJobId: 'gotomeeting',
    correlationId: `corr-${i}`,
    messageId: `msg-${i}`,
    action: i % 2 ? 'Create' : 'Update',
    step: 'executed',
    status: i % 3 ? 'success' : 'failure',
    source: { id: `user-${i % 4}` },
    target: { id: `goto-${i}`, userName: `u${i}@example.com` },
    ...overrides,
  };
}

describe('audit service', () => {
  const env = new TestEnvironment();
  let audit: RunningService;
  let queue: Queue;

  beforeAll(async () => {
    audit = await startService(AuditAppModule.forRoot(env.env()));
    queue = new Queue(QueueName.AuditRecords, { connection: redisOptionsFromUrl(TEST_REDIS_URL), prefix: env.queuePrefix });
  });
  afterAll(async () => {
    await queue.close();
    await audit.app.close();
    await env.dispose();
  });

  it('stores each record once and serves it newest first with filters and keyset pages', async () => {
    const records = Array.from({ length: 30 }, (_, i) => record(i));
    await queue.add('audit', { version: 1, id: 'batch-1', records: records.slice(0, 20) });
    await queue.add('audit', { version: 1, id: 'batch-2', records: records.slice(20) });
    // The same record delivered again in another batch must not be logged twice.
    await queue.add('audit', { version: 1, id: 'redelivered', records: [records[0]] });
    await waitFor(async () => (await env.query('SELECT count(*)::int AS n FROM provisioning_log'))[0].n === 30, {
      what: '30 rows',
    });

    const page1 = await getJson<{ items: { id: string; occurredAt: string }[]; nextCursor: string }>(
      `${audit.url}/provisioning-logs?limit=10`,
    );
    expect(page1.status).toBe(200);
    expect(page1.body.items.map((i) => i.id)[0]).toBe(records[29].id);
    const page2 = await getJson<{ items: { id: string }[] }>(`${audit.url}/provisioning-logs?limit=10&cursor=${page1.body.nextCursor}`);
    expect(page2.body.items[0].id).toBe(records[19].id);

    const byUser = await getJson<{ items: { sourceId: string; action: string; status: string }[] }>(
      `${audit.url}/provisioning-logs?userId=user-1&action=Create&status=success`,
    );
    expect(byUser.body.items.length).toBeGreaterThan(0);
    expect(byUser.body.items.every((i) => i.sourceId === 'user-1' && i.action === 'Create' && i.status === 'success')).toBe(true);

    const range = await getJson<{ items: unknown[] }>(
      `${audit.url}/provisioning-logs?from=${at(5)}&to=${at(9)}`,
    );
    expect(range.body.items).toHaveLength(5);
  });

  it('answers a bad query with a 400 that names the field', async () => {
    const bad = await getJson<{ issues: { path: string }[] }>(`${audit.url}/provisioning-logs?action=Explode&limit=0&evil=1`);
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i) => i.path).sort()).toEqual(['(root)', 'action', 'limit']);
    expect((await getJson(`${audit.url}/provisioning-logs?cursor=abc`)).status).toBe(400);
  });

  it('rejects a malformed audit record with a specific reason and still stores the rest of its batch', async () => {
    const job = await queue.add('audit', { version: 1, id: 'batch-98', records: [{ ...record(98), action: 'Nope' }, record(99)] });
    await waitFor(async () => (await env.query(`SELECT 1 FROM provisioning_log WHERE id = $1`, [record(99).id])).length === 1);
    const [rejected] = await waitFor(async () => {
      const rows = await env.query<{ reason: string; service: string; status: string }>(
        `SELECT reason, service, status FROM provisioning_log WHERE step = 'rejected' AND message_id = 'batch-98#0'`,
      );
      return rows.length === 1 && rows;
    });
    expect(rejected).toMatchObject({ service: 'audit', status: 'failure' });
    expect(rejected.reason).toMatch(/malformed audit record rejected: audit record \[0\]: action/);
    expect(await env.query(`SELECT 1 FROM provisioning_log WHERE id = $1`, [record(98).id])).toEqual([]);
    expect(await job.isCompleted()).toBe(true);

    // A batch that breaks the envelope is rejected whole, with the reason.
    const broken = await queue.add('audit', { version: 1, id: 'x', records: [] });
    await waitFor(async () => (await broken.isFailed()) && broken);
    expect((await queue.getJob(broken.id!))?.failedReason).toMatch(/audit-records message: records/);
  });

  it('reports readiness of Redis and PostgreSQL', async () => {
    const ready = await getJson<{ checks: Record<string, string> }>(`${audit.url}/health/ready`);
    expect(ready).toEqual({ status: 200, body: { status: 'ok', checks: { redis: 'up', postgres: 'up' } } });
    expect((await getJson(`${audit.url}/health/live`)).status).toBe(200);
  });
});

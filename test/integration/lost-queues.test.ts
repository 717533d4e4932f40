import { Logger } from '@nestjs/common';
import { firstValueFrom, timeout } from 'rxjs';
import { QueueName, connectorRpcPattern, type ConnectorPingReply } from '@roster/contracts';
import { ReconnectingClientRedis } from '@roster/platform';
import { PrivateRedis, TEST_APP_ROLE, TestEnvironment, getJson, sendJson, startService, waitFor, type RunningService } from '@roster/testing';
import { AuditAppModule } from '../../services/audit/src/app.module';
import { Pipeline } from '../support/pipeline';

// Each case chains several waits on a whole pipeline (provisioned, loss noticed, restored); on a
// loaded CI machine together they exceed Jest's 60 s default while each wait stays within its own bound.
jest.setTimeout(300_000);

/** Error-level lines of the services in this process, as (fields, message) pairs. */
function errorLines(spy: jest.SpyInstance): { fields: Record<string, unknown>; message: string }[] {
  return spy.mock.calls
    .filter(([fields, message]) => typeof fields === 'object' && fields !== null && typeof message === 'string')
    .map(([fields, message]) => ({ fields: fields as Record<string, unknown>, message: message as string }));
}

/** What a service's metrics count of Redis data losses it noticed. */
async function incidentsCounted(service: RunningService): Promise<number> {
  const metrics = await fetch(`${service.url}/metrics`).then((r) => r.text());
  return Number(/^roster_queue_incidents_total\{incident="redis-data-lost"[^}]*\} (\d+)$/m.exec(metrics)?.[1] ?? 0);
}

const accountOf = (p: Pipeline, local: string) => p.goto.users.getByUserName(`${local}@example.com`);

/**
 * For the describe it is called in: a redis-server of its own started with `args` (so the test may
 * kill it) and the pipeline on it, checking the queue epoch every 200 ms; both stopped after.
 */
function pipelineOnPrivateRedis(args: string[] = []): { redis: PrivateRedis; p: Pipeline } {
  const rig = {} as { redis: PrivateRedis; p: Pipeline };
  beforeAll(async () => {
    rig.redis = await PrivateRedis.start(args);
    rig.p = new Pipeline({}, new TestEnvironment(rig.redis.url));
    await rig.p.start({ QUEUE_EPOCH_CHECK_MS: '200' });
  });
  afterAll(async () => {
    try {
      await rig.p?.stop();
    } finally {
      await rig.redis?.stop();
    }
  });
  return rig;
}

describe('queued work lost with Redis (a Redis of this suite, without AOF)', () => {
  let errors: jest.SpyInstance;
  beforeAll(() => void (errors = jest.spyOn(Logger.prototype, 'error')));
  afterAll(() => errors.mockRestore());
  const rig = pipelineOnPrivateRedis();

  it("answers over the connector's Redis RPC transport again after Redis restarts", async () => {
    const { redis, p } = rig;
    const client = new ReconnectingClientRedis(redis.url);
    // A bound, not a measure: the transports wait for Redis and the connector to be back.
    const ping = () => firstValueFrom(client.send<ConnectorPingReply>(connectorRpcPattern(p.env.queuePrefix, 'ping'), {}).pipe(timeout(30_000)));
    try {
      expect(await ping()).toMatchObject({ service: 'connector' });
      await redis.restart();
      // The first call, made before the connector's transport (or this one) has reconnected, is answered.
      expect(await ping()).toMatchObject({ service: 'connector' });
    } finally {
      await client.close();
    }
  });

  it('notices the loss in every service at error level and provisions every user whose queued work was lost', async () => {
    const { redis, p } = rig;
    // The connector takes nothing, so every command of the sync waits in Redis when its data goes.
    const commands = p.queue(QueueName.ProvisioningCommands);
    await commands.pause();
    await commands.close();
    const names = Array.from({ length: 12 }, (_, i) => `lost-${i}`);
    const ids: string[] = [];
    for (const name of names) ids.push(await p.assignNewUser(name));
    await waitFor(
      async () => {
        const [row] = await p.env.query<{ n: number }>(`SELECT count(*)::int AS n FROM mapper_user_state WHERE provisioned AND user_id = ANY($1)`, [ids]);
        return row.n === ids.length;
      },
      { what: 'the mapper to have sent every create' },
    );
    expect(names.map((n) => accountOf(p, n))).toEqual(names.map(() => undefined));
    const generation = (await p.env.query<{ generation: number }>(`SELECT generation FROM queue_epoch`))[0].generation;
    const incidentsBefore = await Promise.all(p.all.map((s) => incidentsCounted(s)));
    errors.mockClear();

    await redis.restart();

    const accounts = await waitFor(
      () => {
        const found = names.map((n) => accountOf(p, n));
        return found.every(Boolean) && found;
      },
      { timeoutMs: 60_000, what: 'an account for every user of the sync' },
    );
    expect(accounts.map((a) => a!.externalId)).toEqual(ids);
    expect(accounts.every((a) => a!.active)).toBe(true);

    const noticed = errorLines(errors).filter((l) => l.fields.incident === 'redis-data-lost');
    expect(noticed.map((l) => l.fields.generation)).toEqual([generation + 1, generation + 1, generation + 1, generation + 1]);
    expect(noticed.filter((l) => l.fields.detectedHere)).toHaveLength(1);
    expect(noticed[0].message).toMatch(/^Redis lost its data/);
    expect(await Promise.all(p.all.map((s) => incidentsCounted(s)))).toEqual(incidentsBefore.map((n) => n + 1));
    for (const id of ids) {
      const logs = await waitFor(async () => {
        const entries = await p.logsOf(id);
        return entries.some((e) => e.service === 'connector' && e.step === 'executed') && entries;
      }, { what: `the executed write of ${id} in the log` });
      expect(logs.some((e) => e.service === 'directory-watcher')).toBe(true);
    }
  });

  it('takes a user out of a GoTo group again when its removal was lost with the queues', async () => {
    const { redis, p } = rig;
    const directory = (path: string, method: string, body?: unknown) => sendJson(method, `${p.watcher.url}/directory${path}`, body);
    const members = () => [...(p.goto.groups.getByDisplayName('Leavers')?.members ?? [])];
    await directory('/groups', 'POST', { id: 'leavers', displayName: 'Leavers' });
    await directory('/assignments', 'POST', { principalType: 'Group', principalId: 'leavers', appRoleId: TEST_APP_ROLE });
    // Assigned directly too: leaving the group keeps the account, in scope, out of the group.
    const [leaver, stayer] = [await p.assignNewUser('leaver'), await p.assignNewUser('stayer')];
    for (const id of [leaver, stayer]) await directory('/groups/leavers/members', 'POST', { userId: id });
    await waitFor(() => members().length === 2, { what: 'both in the GoTo group', timeoutMs: 60_000 });
    // The connector takes nothing more: the removal waits in Redis when its data goes.
    const commands = p.queue(QueueName.ProvisioningCommands);
    await commands.pause();
    await commands.close();
    await directory(`/groups/leavers/members/${leaver}`, 'DELETE');
    await waitFor(async () => (await p.env.query(`SELECT 1 FROM mapper_user_state WHERE user_id = $1 AND left_groups <> '[]'`, [leaver])).length === 1, {
      what: 'the mapper to have sent the removal',
    });

    await redis.restart();

    await waitFor(() => members().length === 1, { what: 'the leaver out of the GoTo group again', timeoutMs: 120_000 });
    expect(members()).toEqual([accountOf(p, 'stayer')!.id]);
    expect(accountOf(p, 'leaver')!.active).toBe(true);
  });

  it('keeps the provisioning-log records the connector and the mapper committed before the loss, though they were queued in the lost Redis', async () => {
    const { redis, p } = rig;
    // The audit service takes nothing: the connector's records wait on the queue when Redis loses them.
    const audit = p.queue(QueueName.AuditRecords);
    await audit.pause();
    await audit.close();
    const id = await p.assignNewUser('logged-before-loss');
    await waitFor(() => accountOf(p, 'logged-before-loss'), { what: 'the account' });
    const sent = (service: string, step: string) =>
      waitFor(async () => {
        const rows = await p.env.query<{ id: string }>(
          `SELECT r->>'id' AS id FROM audit_outbox_relayed, jsonb_array_elements(records) AS r
            WHERE r->>'service' = $2 AND r->>'step' = $3 AND r->'source'->>'id' = $1`,
          [id, service, step],
        );
        return rows.length > 0 && rows[0];
      }, { what: `the ${service}'s ${step} record put on the audit queue` });
    // The connector's record of the write, and the mapper's of the decision that made the command.
    const records = [await sent('connector', 'executed'), await sent('mapper', 'computed')];
    expect(await p.env.query(`SELECT 1 FROM provisioning_log WHERE id = ANY($1)`, [records.map((r) => r.id)])).toEqual([]);

    await redis.restart();

    // The very records of the write and the decision, not those of a restatement.
    for (const { id: recordId } of records) {
      await waitFor(async () => (await p.env.query(`SELECT 1 FROM provisioning_log WHERE id = $1`, [recordId])).length === 1, {
        what: `record ${recordId} sent again and stored`,
        timeoutMs: 60_000,
      });
    }
    // Stored, they leave the outbox: the log holds them now.
    const kept = `SELECT 1 FROM audit_outbox_pending, jsonb_array_elements(records) AS r WHERE r->>'id' = ANY($1)
                  UNION ALL SELECT 1 FROM audit_outbox_relayed, jsonb_array_elements(records) AS r WHERE r->>'id' = ANY($1)`;
    await waitFor(async () => (await p.env.query(kept, [records.map((r) => r.id)])).length === 0, {
      what: 'the stored records out of the outbox',
    });
  });
});

describe('Redis restarted with its append-only file, which lacks the last writes', () => {
  // Synced at every write, so the test decides exactly what the file lacks.
  const rig = pipelineOnPrivateRedis(['--appendonly', 'yes', '--appendfsync', 'always']);

  it('queues the messages of the last seconds again, so a create the file lost still reaches GoTo', async () => {
    const { redis, p } = rig;
    const commands = p.queue(QueueName.ProvisioningCommands);
    try {
      await commands.pause();
      const id = await p.assignNewUser('tail');
      await waitFor(async () => (await p.env.query(`SELECT 1 FROM mapper_user_state WHERE provisioned AND user_id = $1`, [id])).length === 1, {
        what: 'the mapper to have sent the create',
      });
      // What a Redis killed with `appendfsync everysec` comes back without: the newest job.
      await commands.drain();
      await commands.resume();
      await redis.restart();
      const account = await waitFor(() => accountOf(p, 'tail'), { timeoutMs: 30_000, what: 'the account' });
      expect(account.externalId).toBe(id);
      // Its epoch survived: no incident, no restatement of every user.
      expect((await p.env.query<{ generation: number }>(`SELECT generation FROM queue_epoch`))[0].generation).toBe(1);
    } finally {
      await commands.close();
    }
  });
});

describe('PostgreSQL restored from a backup while Redis keeps its completed job ids', () => {
  const p = new Pipeline();
  beforeAll(() => p.start({ QUEUE_EPOCH_CHECK_MS: '200' }));
  afterAll(() => p.stop());

  const executed = (id: string) =>
    waitFor(async () => (await p.logsOf(id)).some((e) => e.service === 'connector' && e.step === 'executed'), { what: `${id} provisioned` });

  it('runs new work whose ids PostgreSQL derives again from its restored counters', async () => {
    await executed(await p.assignNewUser('before-backup'));
    // The "backup": the epoch PostgreSQL remembers and the watcher's change-order counter.
    const [epoch] = await p.env.query<{ queue_prefix: string; epoch: string; tick: string; generation: number }>(
      `SELECT queue_prefix, epoch, tick::text, generation FROM queue_epoch`,
    );
    const services = await p.env.query<{ service: string; generation: number }>(`SELECT service, generation FROM queue_epoch_service`);
    const [order] = await p.env.query<{ last_value: string }>(`SELECT last_value::text FROM watch_event_order`);

    // Much work happens after the backup: a thousand changes, then after-backup's.
    await p.env.query(`SELECT setval('watch_event_order', (SELECT last_value FROM watch_event_order) + 1000)`);
    const afterBackup = await p.assignNewUser('after-backup');
    await executed(afterBackup);
    await waitFor(async () => Number((await p.env.query<{ tick: string }>(`SELECT tick::text FROM queue_epoch`))[0].tick) > Number(epoch.tick), {
      what: 'Redis to see a later tick than the backup holds',
    });

    // The "restore": counters back to the backup, while Redis still holds the completed jobs made since.
    // It takes the epoch checks' lock, as a restore stops the services: a check that read the row just
    // before would otherwise write its tick back over the restored one, and nothing would be noticed.
    await p.env.query(
      `WITH lock AS (SELECT pg_advisory_xact_lock(hashtext('queue-epoch:' || $6::text))),
            epoch AS (UPDATE queue_epoch SET epoch = $1, tick = $2, generation = $3 WHERE EXISTS (SELECT FROM lock)),
            services AS (UPDATE queue_epoch_service s SET generation = b.generation
                           FROM jsonb_to_recordset($4::jsonb) AS b(service text, generation int) WHERE s.service = b.service)
       SELECT setval('watch_event_order', $5)`,
      [epoch.epoch, epoch.tick, epoch.generation, JSON.stringify(services), order.last_value, epoch.queue_prefix],
    );
    await waitFor(async () => (await p.env.query<{ generation: number }>(`SELECT generation FROM queue_epoch`))[0].generation > epoch.generation, {
      what: 'the restore to be noticed',
      // Epoch checks run every few seconds; on a loaded machine the first after the restore may take longer than 15 s.
      timeoutMs: 60_000,
    });

    // Its events would get the orders, and so the idempotency keys, of after-backup's; they must still run.
    const id = await p.assignNewUser('after-restore');
    await executed(id);
    expect(accountOf(p, 'after-restore')?.externalId).toBe(id);

    // after-backup's work, done after the backup, carries orders the restored counter would hand out
    // again: a change to it must not be taken for an older one.
    const patched = await sendJson('PATCH', `${p.watcher.url}/directory/users/${afterBackup}`, { attributes: { surname: 'Restored' } });
    expect(patched.status).toBe(200);
    await waitFor(() => (accountOf(p, 'after-backup')?.attributes as { name?: { familyName?: string } }).name?.familyName === 'Restored', {
      what: "after-backup's change in GoTo",
    });
  });
});

describe('Redis settings checked at start', () => {
  let redis: PrivateRedis;
  let env: TestEnvironment;
  let audit: RunningService | null = null;
  let errors: jest.SpyInstance;

  beforeAll(async () => {
    errors = jest.spyOn(Logger.prototype, 'error');
    redis = await PrivateRedis.start(['--maxmemory-policy', 'allkeys-lru']);
    env = new TestEnvironment(redis.url);
  });
  afterAll(async () => {
    await audit?.app.close();
    await env.dispose();
    await redis.stop();
    errors.mockRestore();
  });

  it('says at error level which setting is wrong and how to fix it, for eviction and for a Redis without AOF', async () => {
    audit = await startService(AuditAppModule.forRoot(env.env()));
    const line = await waitFor(() => errorLines(errors).find((l) => Array.isArray(l.fields.redisSettings)), { what: 'the settings line' });
    expect(line.message).toContain('maxmemory-policy is allkeys-lru, needs noeviction');
    expect(line.message).toContain('appendonly is no, needs yes');
    expect(line.message).toContain('--maxmemory-policy noeviction --appendonly yes');
    expect((await getJson(`${audit.url}/health/ready`)).status).toBe(200);
  });
});

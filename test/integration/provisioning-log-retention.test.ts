import type { AuditRecord, ProvisioningObjectSummary, ProvisioningObjectSummaryPage } from '@roster/contracts';
import { dataSourceOptions, migrate } from '@roster/platform';
import { logRecordsOfChange } from '@roster/testing';
import { DataSource } from 'typeorm';
import { auditConfigSchema } from '../../services/audit/src/config/audit.config';
import { CreateProvisioningLog1764300000000 } from '../../services/audit/src/migrations/1764300000000-create-provisioning-log';
import { LogPartitions } from '../../services/audit/src/partitions/log-partitions.service';
import { LogRetention } from '../../services/audit/src/retention/log-retention.service';
import { LogStack } from '../support/log-stack';

const DAY = 86_400_000;

describe('provisioning log: retention', () => {
  // The audit service's clock, moved by the test: 2026-12-20 12:00 UTC to begin with.
  let now = Date.parse('2026-12-20T12:00:00.000Z');
  const stack = new LogStack();
  beforeAll(() => stack.start({ clock: () => now }), 60_000);
  afterAll(() => stack.stop());

  const storedIds = async () => (await stack.env.query<{ id: string }>('SELECT id FROM provisioning_log ORDER BY id')).map((r) => r.id);
  const days = async () => (await stack.audit.app.get(LogPartitions).list()).map((p) => p.day);

  it('drops the days past retention whole and leaves every row of the others', async () => {
    // Four records a day for the last 30 days (first and last instant of the day among them).
    const records: AuditRecord[] = [];
    for (let d = 0; d < 30; d++) {
      const start = Math.floor(now / DAY) * DAY - d * DAY;
      for (const [i, at] of [start, start + 1, start + DAY / 2, start + DAY - 1].entries()) {
        const [record] = logRecordsOfChange({ n: d * 10 + i, kind: 'create', at: new Date(Math.min(at, now)) });
        records.push(record!);
      }
    }
    await stack.store(records);
    expect((await storedIds()).length).toBe(records.length);

    // Ten days later, with the default retention of 30 days: the rows of days ending before
    // 2026-11-30 12:00 are due, i.e. the days 2026-11-21 … 2026-11-29.
    now += 10 * DAY;
    const dropped = await stack.audit.app.get(LogRetention).apply();
    expect(dropped).toEqual(['2026-11-21', '2026-11-22', '2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29']);
    const live = records.filter((r) => r.occurredAt >= '2026-11-30').map((r) => r.id).sort();
    expect(await storedIds()).toEqual(live);
    expect((await days())[0]).toBe('2026-11-30');
    // The coming days' partitions are ready before their first record.
    expect(await days()).toEqual(expect.arrayContaining(['2026-12-30', '2026-12-31', '2027-01-01']));

    // A record of a day already past retention is not stored; one of a live day still is.
    const [late] = logRecordsOfChange({ n: 900, kind: 'create', at: new Date('2026-11-25T10:00:00Z') });
    const [fresh] = logRecordsOfChange({ n: 901, kind: 'create', at: new Date('2026-11-30T10:00:00Z') });
    await stack.store([late!, fresh!]);
    expect(await storedIds()).toEqual([...live, fresh!.id].sort());

    // Running again drops nothing more.
    expect(await stack.audit.app.get(LogRetention).apply()).toEqual([]);
  });
});

describe('provisioning log: migration of the former table', () => {
  const stack = new LogStack();
  afterAll(() => stack.stop());

  it('keeps every row, with lean modified properties, the cycle and the steps', async () => {
    // The former table, as the first migration made it, holding rows as services wrote them then.
    const config = auditConfigSchema.parse(stack.env.env());
    const former = await new DataSource(dataSourceOptions(config, 'audit', { entities: [], migrations: [CreateProvisioningLog1764300000000] })).initialize();
    await migrate(former, config.DATABASE_SCHEMA, 'audit');
    const at = new Date(Date.now() - 3 * DAY);
    const [imported, decided, , executed] = logRecordsOfChange({ n: 7, kind: 'update', at });
    for (const r of [imported!, decided!, executed!]) {
      await former.query(
        `INSERT INTO provisioning_log (id, occurred_at, service, provisioning_job_id, correlation_id, message_id, action, step, status, reason,
           source_id, source_display_name, target_id, target_user_name, attempt, before, after, details, error)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`,
        [
          r.id, r.occurredAt, r.service, r.provisioningJobId, r.correlationId, r.messageId, r.action, r.step, r.status, r.reason ?? null,
          r.source?.id ?? null, r.source?.displayName ?? null, r.target?.id ?? null, r.target?.userName ?? null, r.attempt ?? null,
          r.before ?? null, r.after ?? null,
          // The watcher used to write the cycle into its details.
          r.service === 'directory-watcher' ? { ...r.details, cycle: 4 } : (r.details ?? null),
          null,
        ],
      );
    }
    await former.destroy();

    await stack.start();
    const { body } = await stack.read<ProvisioningObjectSummaryPage>('/auditLogs/provisioning');
    const byService = new Map(body.value.map((s): [string, ProvisioningObjectSummary] => [s.roster.service, s]));
    expect(body.value.map((s) => s.id).sort()).toEqual([imported!.id, decided!.id, executed!.id].sort());
    expect(byService.get('directory-watcher')!.cycleId).toBe('4');
    expect(byService.get('mapper')!.modifiedProperties.map((p) => [p.displayName, p.oldValue, p.newValue])).toEqual([
      ['name.familyName', 'Lovelace7', 'Byron7'],
      ['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department', 'R&D', 'Computing'],
    ]);
    expect(byService.get('mapper')!.provisioningSteps.map((s) => s.provisioningStepType)).toEqual(['import', 'scoping', 'matching', 'processing']);
    expect(byService.get('connector')!.modifiedProperties).toHaveLength(2);
    expect(await stack.env.query(`SELECT to_regclass('provisioning_log_v1') AS v1`)).toEqual([{ v1: null }]);
  });
});

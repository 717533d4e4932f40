import { AuditOutboxBatches1766300000100, CreateAuditOutbox1765100000100 } from '@roster/platform';
import { TestEnvironment, logRecordsOfChange, startService, waitFor } from '@roster/testing';
import type { QueryRunner } from 'typeorm';
import { MapperAppModule } from '../../services/mapper/src/app.module';

describe('upgrading an audit outbox of a row per record', () => {
  const env = new TestEnvironment();
  afterAll(() => env.dispose());
  const runner = { query: (sql: string, params?: unknown[]) => env.query(sql, params) } as unknown as QueryRunner;
  // The mapper's decision of change n.
  const record = (n: number) => logRecordsOfChange({ n, kind: 'create', at: new Date() })[1]!;

  it('relays every record the former table kept, sent or not, and a second service converting it changes nothing', async () => {
    // As an installation from before the change: two records waiting for the relay, one relayed and not yet stored.
    await env.query(`CREATE SCHEMA IF NOT EXISTS "${env.schema}"`);
    await new CreateAuditOutbox1765100000100().up(runner);
    for (const [n, sent] of [[1, false], [2, true], [3, false]] as const) {
      await env.query(`INSERT INTO audit_outbox (id, record, created_at, sent_at) VALUES ($1, $2, now() + $3 * interval '1 second', $4)`, [
        record(n).id,
        JSON.stringify(record(n)),
        n,
        sent ? new Date() : null,
      ]);
    }

    const mapper = await startService(MapperAppModule.forRoot(env.env()));
    try {
      const relayed = () => env.query<{ id: string }>(`SELECT r->>'id' AS id FROM audit_outbox_relayed, jsonb_array_elements(records) AS r`);
      await waitFor(async () => (await relayed()).length === 3, { what: 'the three records relayed' });
      expect((await relayed()).map((r) => r.id)).toEqual([1, 2, 3].map((n) => record(n).id));
      expect(await env.query(`SELECT 1 FROM audit_outbox_pending`)).toEqual([]);

      // Another service listing the outbox migrates after: the former table it creates again is converted, empty.
      await new CreateAuditOutbox1765100000100().up(runner);
      await new AuditOutboxBatches1766300000100().up(runner);
      expect(await env.query(`SELECT to_regclass('audit_outbox') AS former`)).toEqual([{ former: null }]);
      expect((await relayed()).map((r) => r.id)).toEqual([1, 2, 3].map((n) => record(n).id));
    } finally {
      await mapper.app.close();
    }
  });
});

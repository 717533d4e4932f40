/**
 * The provisioning log at a million rows: seeds N rows (default 1,000,000: 250,000 changes of four
 * records each, as the pipeline writes them, over the last 29 days, 2% of them failures) into the
 * audit service's partitioned table, then times the common reads against the audit service as its
 * own process (the admin API only forwards them) and streams the whole log out as CSV and as JSON.
 *
 *   npm run build && node -r ./dist/tools/register-aliases.js dist/bench/provisioning-logs.js [--rows=1000000] [--samples=200] [--plans=FILE]
 *
 * Prints p50/p95 of each read (over HTTP, the statement alone, and EXPLAIN ANALYZE's execution time), the export's rows/s, MB/s and the audit process's RSS through it (flat
 * means the export streams), bytes per row (heap, indexes) next to the former table's for the same
 * records, the store rate through the audit queue at that size, and the time to drop one expired day.
 * Figures depend on the machine and its load; the load average is printed with them.
 */
import { Queue } from 'bullmq';
import { appendFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Client, Pool } from 'pg';
import { QueueName, auditLogQuerySchema, type AuditRecord } from '@roster/contracts';
import { redisOptionsFromUrl } from '@roster/platform';
import { toLogRow } from '@roster/provisioning-log';
import { INTERNAL_CALLER, ServiceProcess, TEST_DATABASE_URL, TestEnvironment, ensureServicesBuilt, logRecordsOfChange, waitFor } from '@roster/testing';
import { createPartition, dayOf, nextDay } from '../services/audit/src/partitions/log-partition';
import { insertRowsSql, selectRows } from '../services/audit/src/provisioning-logs/log-statements';
import { decodeCursor, encodeCursor } from '../services/audit/src/provisioning-logs/log-cursor';
import { selectionOf } from '../services/audit/src/audit-logs/log-selection';
import { rssMiBOf } from './support/process-usage';

const option = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback);
const ROWS = option('rows', 1_000_000);
/** A file to append the p95 sample's EXPLAIN (ANALYZE, BUFFERS) of each read to, when given. */
const PLANS = process.argv.find((a) => a.startsWith('--plans='))?.slice('--plans='.length);
const SAMPLES = option('samples', 200);
const CHANGES = Math.ceil(ROWS / 4);
const DAY = 86_400_000;
const NOW = Date.now();
const SPAN = 29 * DAY;
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
const percentile = <T>(sorted: T[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/** The part of EXPLAIN (FORMAT JSON)'s answer the bench reads. */
interface ExplainedPlan {
  'Execution Time': number;
  'Planning Time': number;
  Plan: Record<string, unknown>;
}

/** The records of change `n`: a create or (one in three) an update of two attributes; one in fifty fails at GoTo. */
function recordsOf(n: number): AuditRecord[] {
  const at = new Date(NOW - SPAN + Math.floor((n / CHANGES) * SPAN));
  const records = logRecordsOfChange({ n, kind: n % 3 === 0 ? 'update' : 'create', at, cycle: String(1 + Math.floor(n / 10_000)), order: n + 1 });
  if (n % 50 !== 7) return records;
  const executed = records[3]!;
  records[3] = { ...executed, id: executed.id.replace('/executed/', '/failed/'), step: 'failed', status: 'failure', reason: 'GoTo refused the write (409)', error: { kind: 'permanent', status: 409, body: { detail: 'userName exists' } } };
  return records;
}

async function main(): Promise<void> {
  ensureServicesBuilt(['audit']);
  const env = new TestEnvironment();
  const pg = new Client({ connectionString: TEST_DATABASE_URL, options: `-c search_path=${env.schema},public` });
  await pg.connect();
  let audit: ServiceProcess | undefined;
  const queue = new Queue(QueueName.AuditRecords, { connection: redisOptionsFromUrl(env.redisUrl), prefix: env.queuePrefix });
  try {
    audit = await ServiceProcess.start('audit', env.env({ LOG_LEVEL: 'warn' }));
    console.log(`provisioning-log bench: ${ROWS.toLocaleString('en')} rows, load ${load()}`);

    // Seeding: the rows as the audit service stores them (toLogRow), written straight into the table
    // two statements at a time, without the audit queue (the store rate through it is measured below).
    const days: string[] = [];
    for (let day = dayOf(new Date(NOW - SPAN)); day <= dayOf(new Date(NOW)); day = nextDay(day)) days.push(day);
    for (const day of days) {
      await pg.query('BEGIN');
      await createPartition((sql, params) => pg.query(sql, params as unknown[]).then((r) => r.rows), day);
      await pg.query('COMMIT');
    }
    const writers = new Pool({ connectionString: TEST_DATABASE_URL, options: `-c search_path=${env.schema},public`, max: 2 });
    let started = performance.now();
    let pending: ReturnType<typeof toLogRow>[] = [];
    const inFlight = new Set<Promise<unknown>>();
    const write = (rows: ReturnType<typeof toLogRow>[]) => {
      const done: Promise<unknown> = writers.query(insertRowsSql(), [JSON.stringify(rows)]).finally(() => inFlight.delete(done));
      inFlight.add(done);
    };
    for (let n = 0; n < CHANGES; n++) {
      pending.push(...recordsOf(n).map(toLogRow));
      if (pending.length < 5000) continue;
      write(pending);
      pending = [];
      if (inFlight.size >= 2) await Promise.race(inFlight);
      if ((n + 1) % 50_000 === 0) console.log(`  seeded ${(n * 4).toLocaleString('en')} rows, ${Math.round((n * 4) / ((performance.now() - started) / 1000))} rows/s`);
    }
    if (pending.length) write(pending);
    await Promise.all(inFlight);
    await writers.end();
    // As autovacuum leaves a month of log: statistics, visibility map, GIN pending lists merged.
    await pg.query('VACUUM (ANALYZE) provisioning_log');
    const stored = Number((await pg.query('SELECT count(*) FROM provisioning_log')).rows[0].count);
    console.log(`seeded ${stored.toLocaleString('en')} rows in ${((performance.now() - started) / 1000).toFixed(0)} s over ${days.length} daily partitions`);

    // Bytes per row, and the same records in the former table's shape (whole states, steps in details).
    const size = (await pg.query(
      `SELECT sum(pg_table_size(c.oid))::bigint AS heap, sum(pg_indexes_size(c.oid))::bigint AS indexes
         FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'provisioning_log'::regclass`,
    )).rows[0] as { heap: string; indexes: string };
    const byIndex = (await pg.query(
      `SELECT regexp_replace(ic.relname, '^provisioning_log_p\\d+_', '') AS name, sum(pg_relation_size(ic.oid))::bigint AS bytes
         FROM pg_inherits i JOIN pg_index x ON x.indrelid = i.inhrelid JOIN pg_class ic ON ic.oid = x.indexrelid
        WHERE i.inhparent = 'provisioning_log'::regclass GROUP BY 1 ORDER BY 2 DESC`,
    )).rows as { name: string; bytes: string }[];
    console.log(`index bytes per row: ${byIndex.map((r) => `${r.name} ${(Number(r.bytes) / stored).toFixed(0)}`).join(', ')}`);
    const avgRow = Number((await pg.query('SELECT avg(pg_column_size(t.*)) AS b FROM provisioning_log t')).rows[0].b);
    const formerAvg = await formerRowSize(pg);
    console.log(
      `bytes per row: ${avgRow.toFixed(0)} (row), ${(Number(size.heap) / stored).toFixed(0)} (heap incl. TOAST and page overhead), ` +
        `${(Number(size.indexes) / stored).toFixed(0)} (indexes); the former table's row for the same records: ${formerAvg.toFixed(0)}`,
    );

    // Reads, each SAMPLES times with a different user, day or position: over HTTP as the admin API
    // calls them, and the same statement alone on a connection of the bench's own.
    const http = async (query: string) => {
      const t = performance.now();
      const res = await fetch(`${audit!.url}/auditLogs/provisioning?${query}`, { headers: INTERNAL_CALLER });
      const body = (await res.json()) as { value?: unknown[] };
      if (res.status !== 200) throw new Error(`${query}: ${res.status} ${JSON.stringify(body)}`);
      return { ms: performance.now() - t, rows: body.value!.length };
    };
    // EXPLAIN ANALYZE's execution time leaves out the wait for a core on a busy machine's client and
    // network side, so it moves less with the load than either wall time.
    const sqlOnly = async (query: string) => {
      const { $top, $skiptoken, ...filters } = auditLogQuerySchema.parse(Object.fromEntries(new URLSearchParams(query)));
      const { sql, params } = selectRows(selectionOf(filters), $skiptoken === undefined ? null : decodeCursor($skiptoken));
      const statement = `${sql} LIMIT ${params.add($top + 1)}`;
      const t = performance.now();
      await pg.query(statement, params.values);
      const wall = performance.now() - t;
      const [{ 'QUERY PLAN': [plan] }] = (await pg.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${statement}`, params.values)).rows as { 'QUERY PLAN': ExplainedPlan[] }[];
      return { wall, plan: plan! };
    };
    const half = (await pg.query(`SELECT occurred_at, id FROM provisioning_log ORDER BY occurred_at DESC, id DESC OFFSET $1 LIMIT 1`, [Math.floor(stored / 2)])).rows[0] as { occurred_at: Date; id: string };
    const deep = encodeCursor({ occurredAt: half.occurred_at.toISOString(), id: half.id });
    const randomUser = () => Math.floor(Math.random() * CHANGES);
    const randomDay = () => NOW - SPAN + Math.floor(Math.random() * 28) * DAY;
    const iso = (ms: number) => new Date(ms).toISOString();
    const q = (params: Record<string, string>) => new URLSearchParams(params).toString();
    const reads: [string, () => string][] = [
      ['by user (userId)', () => q({ userId: `dir-${randomUser()}` })],
      [
        'failures in one day ($filter status, activityDateTime)',
        () => {
          const from = randomDay();
          return q({ $filter: `provisioningStatusInfo/status eq 'failure' and activityDateTime gt ${iso(from)} and activityDateTime lt ${iso(from + DAY)}` });
        },
      ],
      ['newest page ($top=100)', () => q({ $top: '100' })],
      ['deep keyset page (half-way, $skiptoken)', () => q({ $top: '100', $skiptoken: deep })],
      ['free-text search, one user (search=u<n>)', () => q({ search: `u${randomUser()}` })],
      ['free-text search, one address (search=u<n>@example.com)', () => q({ search: `u${randomUser()}@example.com` })],
      ['free-text search, every user (search=example.com)', () => q({ search: 'example.com' })],
      ['$filter contains(sourceIdentity/displayName, …)', () => q({ $filter: `contains(sourceIdentity/displayName, 'u${randomUser()}@')` })],
    ];
    console.log(`reads (${SAMPLES} each; HTTP to the audit service, the statement alone, and its EXPLAIN (ANALYZE, BUFFERS); load ${load()}):`);
    for (const [name, query] of reads) {
      for (let i = 0; i < 10; i++) await http(query()); // warm-up
      const times: number[] = [];
      const statement: number[] = [];
      const explained: ExplainedPlan[] = [];
      let rows = 0;
      for (let i = 0; i < SAMPLES; i++) {
        const one = query();
        const { ms, rows: n } = await http(one);
        times.push(ms);
        const { wall, plan } = await sqlOnly(one);
        statement.push(wall);
        explained.push(plan);
        rows += n;
      }
      const byTime = explained.sort((x, y) => x['Execution Time'] - y['Execution Time']);
      const [a, b, c] = [times.sort((x, y) => x - y), statement.sort((x, y) => x - y), byTime.map((p) => p['Execution Time'])];
      const planning = explained.map((p) => p['Planning Time']).sort((x, y) => x - y);
      const ms = (v: number) => v.toFixed(1).padStart(6);
      const p50p95 = (sorted: number[]) => `p50 ${ms(percentile(sorted, 50))} p95 ${ms(percentile(sorted, 95))}`;
      console.log(`  ${name.padEnd(58)} HTTP ${p50p95(a)} · SQL ${p50p95(b)} · EXPLAIN execution ${p50p95(c)}, planning ${p50p95(planning)} ms  (${(rows / SAMPLES).toFixed(0)} rows)`);
      if (PLANS) appendFileSync(PLANS, `# ${name}: the p95 sample's plan\n${JSON.stringify(percentile(byTime, 95), null, 1)}\n`);
    }

    // Export: the whole log, as a client that reads as fast as it can; the audit process's RSS sampled.
    for (const format of ['csv', 'json'] as const) {
      const pid = audit.pid!;
      const rss: number[] = [rssMiBOf(pid)!];
      const sampler = setInterval(() => rss.push(rssMiBOf(pid) ?? 0), 200);
      started = performance.now();
      const res = await fetch(`${audit.url}/auditLogs/provisioning/export?format=${format}`, { headers: INTERNAL_CALLER });
      let bytes = 0;
      let lines = 0;
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        bytes += chunk.length;
        for (const b of chunk) if (b === 10) lines++;
      }
      clearInterval(sampler);
      const seconds = (performance.now() - started) / 1000;
      const quarter = (q: number) => rss[Math.min(rss.length - 1, Math.floor((q / 4) * (rss.length - 1)))]!.toFixed(0);
      console.log(
        `export ${format}: ${lines.toLocaleString('en')} lines, ${(bytes / 1e6).toFixed(0)} MB in ${seconds.toFixed(1)} s = ${Math.round(stored / seconds).toLocaleString('en')} rows/s, ` +
          `${(bytes / 1e6 / seconds).toFixed(1)} MB/s; audit RSS MiB before ${rss[0]!.toFixed(0)}, at 25/50/75/100% ${[1, 2, 3, 4].map(quarter).join('/')}, peak ${Math.max(...rss).toFixed(0)} (load ${load()})`,
      );
    }

    // The store rate through the real path (audit queue → one INSERT per micro-batch, each id once) at this size.
    const extra = 10_000;
    const before = stored;
    started = performance.now();
    for (let n = CHANGES; n < CHANGES + extra; n += 250) {
      const records = Array.from({ length: 250 }, (_, i) => recordsOf(n + i).map((r) => ({ ...r, occurredAt: new Date(NOW - 1000 + i).toISOString() }))).flat();
      await queue.add('audit', { version: 1, id: `bench-${n}`, records });
    }
    await waitFor(async () => Number((await pg.query('SELECT count(*) FROM provisioning_log')).rows[0].count) >= before + extra * 4, { timeoutMs: 600_000, intervalMs: 250, what: 'the queued records stored' });
    console.log(`store through the audit queue at ${before.toLocaleString('en')} rows: ${Math.round((extra * 4) / ((performance.now() - started) / 1000)).toLocaleString('en')} records/s`);

    // Retention: what dropping one expired day costs (the audit service's own DETACH … CONCURRENTLY, DROP).
    const oldest = days[0]!;
    const name = `provisioning_log_p${oldest.replaceAll('-', '')}`;
    const rowsOfDay = Number((await pg.query(`SELECT count(*) FROM ${name}`)).rows[0].count);
    started = performance.now();
    await pg.query(`ALTER TABLE provisioning_log DETACH PARTITION ${name} CONCURRENTLY`);
    await pg.query(`DROP TABLE ${name}`);
    console.log(`retention: dropping one day (${rowsOfDay.toLocaleString('en')} rows) took ${(performance.now() - started).toFixed(0)} ms`);
  } finally {
    await queue.close();
    await audit?.kill('SIGTERM');
    await pg.end();
    await env.dispose();
  }
}

/** Average row of the former table (before/after whole states, steps in details) for 40,000 of the same records. */
async function formerRowSize(pg: Client): Promise<number> {
  await pg.query(`CREATE TEMP TABLE former_log (
    id text, occurred_at timestamptz, recorded_at timestamptz DEFAULT now(), service text, provisioning_job_id text, correlation_id text,
    message_id text, action text, step text, status text, reason text, source_id text, source_display_name text, target_id text,
    target_user_name text, attempt int, before jsonb, after jsonb, details jsonb, error jsonb)`);
  // What the services sent then: the connector logged an update's whole desired state, the watcher its cycle in details.
  const records = Array.from({ length: 10_000 }, (_, n) => {
    const [imported, decided, ...written] = recordsOf(n);
    return [
      { ...imported!, details: { ...imported!.details, cycle: Number(imported!.cycleId) } },
      decided!,
      ...written.map((r) => (r.action === 'Update' ? { ...r, after: decided!.after } : r)),
    ];
  }).flat();
  await pg.query(
    `INSERT INTO former_log (id, occurred_at, service, provisioning_job_id, correlation_id, message_id, action, step, status, reason, source_id,
       source_display_name, target_id, target_user_name, attempt, before, after, details, error)
     SELECT r->>'id', (r->>'occurredAt')::timestamptz, r->>'service', r->>'provisioningJobId', r->>'correlationId', r->>'messageId', r->>'action',
       r->>'step', r->>'status', r->>'reason', r->'source'->>'id', r->'source'->>'displayName', r->'target'->>'id', r->'target'->>'userName',
       (r->>'attempt')::int, r->'before', r->'after', r->'details', r->'error'
       FROM jsonb_array_elements($1::jsonb) AS r`,
    [JSON.stringify(records)],
  );
  return Number((await pg.query('SELECT avg(pg_column_size(t.*)) AS b FROM former_log t')).rows[0].b);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

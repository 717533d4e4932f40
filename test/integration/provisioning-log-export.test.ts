import type { AuditRecord, ProvisioningObjectSummary } from '@roster/contracts';
import { CSV_COLUMNS } from '@roster/provisioning-log';
import { logRecordsOfChange } from '@roster/testing';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { LogExports } from '../../services/audit/src/audit-logs/log-exports.service';
import { EXPORT_BATCH_ROWS } from '../../services/audit/src/provisioning-logs/provisioning-log.repository';
import { LogStack } from '../support/log-stack';

const CHANGES = 25_000; // four records each: 100,000 rows
const NOW = Date.now();

/**
 * Reads an export through the admin API line by line, never holding it whole, and pauses now and
 * then as a slow client would, so the server meets backpressure. `onLine` sees each line in order.
 */
async function readLines(url: string, key: string, onLine: (line: string) => void): Promise<number> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
  if (res.status !== 200) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  const decoder = new TextDecoder();
  let pending = '';
  let bytes = 0;
  let pausedAt = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    pending += decoder.decode(chunk, { stream: true });
    const lines = pending.split('\n');
    pending = lines.pop()!;
    lines.forEach(onLine);
    if (bytes - pausedAt > 16 * 1024 * 1024) {
      pausedAt = bytes;
      await sleep(300);
    }
  }
  if (pending) onLine(pending);
  return bytes;
}

/** The cells of one RFC 4180 line, unquoted. */
function csvCells(line: string): string[] {
  const cells: string[] = [];
  const quoted = /"((?:[^"]|"")*)"(?:,|$)|([^,]*)(?:,|$)/y;
  while (quoted.lastIndex < line.length) {
    const match = quoted.exec(line)!;
    cells.push(match[1] === undefined ? match[2]! : match[1].replace(/""/g, '"'));
  }
  if (line.endsWith(',')) cells.push('');
  return cells;
}

const digest = (value: unknown) => createHash('sha1').update(JSON.stringify(value)).digest('base64');

describe('provisioning log: export of 100,000 rows', () => {
  const stack = new LogStack();
  let newestFirst: string[];
  /** Each row as the paged API answers it, by id: as JSON, and as the CSV's cells (digests, to hold 100,000 cheaply). */
  const asRead = new Map<string, { json: string; csv: string }>();

  beforeAll(async () => {
    await stack.start();
    const records: AuditRecord[] = [];
    for (let n = 0; n < CHANGES; n++) {
      records.push(...logRecordsOfChange({ n, kind: n % 3 ? 'create' : 'update', at: new Date(NOW - 2 * 86_400_000 + n * 6000), cycle: String(1 + Math.floor(n / 5000)) }));
      if (records.length >= 5000) await stack.store(records.splice(0));
    }
    await stack.store(records);
    newestFirst = (await stack.env.query<{ id: string }>('SELECT id FROM provisioning_log ORDER BY occurred_at DESC, id DESC')).map((r) => r.id);
    expect(newestFirst).toHaveLength(4 * CHANGES);
    for await (const page of stack.pages(new URLSearchParams({ $top: '1000' }))) {
      for (const s of page) asRead.set(s.id, { json: digest(s), csv: digest(CSV_COLUMNS.map(([, value]) => String(value(s) ?? ''))) });
    }
    expect(asRead.size).toBe(newestFirst.length);
  }, 900_000);
  afterAll(() => stack.stop());

  const exports = () => stack.audit.app.get(LogExports);

  it('streams JSON row by row, each as the API answers it, holding a bounded number of rows whatever the size', async () => {
    const ids: string[] = [];
    const unlike: string[] = [];
    await readLines(`${stack.api.url}/auditLogs/provisioning/export?format=json`, stack.readerKey, (line) => {
      if (line === '[' || line === ']' || line === '') return;
      const summary = JSON.parse(line.replace(/,$/, '')) as ProvisioningObjectSummary;
      ids.push(summary.id);
      if (asRead.get(summary.id)?.json !== digest(summary)) unlike.push(summary.id);
    });
    expect(ids.length).toBe(newestFirst.length);
    expect(ids).toEqual(newestFirst);
    expect(unlike).toEqual([]);
    const stats = exports().lastStats!;
    expect(stats.rows).toBe(newestFirst.length);
    expect(stats.maxBufferedRows).toBeLessThanOrEqual(2 * EXPORT_BATCH_ROWS);
    expect(stats.maxBufferedBytes).toBeLessThanOrEqual(1024 * 1024);
  });

  it('streams CSV the same way, one line per row in the same order, each with the API’s values', async () => {
    const ids: string[] = [];
    const unlike: string[] = [];
    let header: string[] | undefined;
    await readLines(`${stack.api.url}/auditLogs/provisioning/export?format=csv`, stack.readerKey, (line) => {
      if (line === '') return;
      const cells = csvCells(line.replace(/\r$/, ''));
      if (!header) {
        header = cells;
        return;
      }
      ids.push(cells[0]!);
      if (asRead.get(cells[0]!)?.csv !== digest(cells)) unlike.push(cells[0]!);
    });
    expect(header).toEqual(CSV_COLUMNS.map(([name]) => name));
    expect(ids).toEqual(newestFirst);
    expect(unlike).toEqual([]);
    const stats = exports().lastStats!;
    expect(stats.rows).toBe(newestFirst.length);
    expect(stats.maxBufferedRows).toBeLessThanOrEqual(2 * EXPORT_BATCH_ROWS);
    expect(stats.maxBufferedBytes).toBeLessThanOrEqual(1024 * 1024);
  });

  it('exports only the filtered set', async () => {
    const ids: string[] = [];
    const filter = encodeURIComponent("provisioningAction eq 'update' and cycleId eq '2'");
    await readLines(`${stack.api.url}/auditLogs/provisioning/export?format=json&service=connector&$filter=${filter}`, stack.readerKey, (line) => {
      if (line.startsWith('{')) ids.push((JSON.parse(line.replace(/,$/, '')) as ProvisioningObjectSummary).id);
    });
    const expected = await stack.env.query<{ id: string }>(
      `SELECT id FROM provisioning_log WHERE service = 'connector' AND action = 'Update' AND cycle_id = '2' ORDER BY occurred_at DESC, id DESC`,
    );
    expect(ids.length).toBeGreaterThan(0);
    expect(ids).toEqual(expected.map((r) => r.id));
  });
});

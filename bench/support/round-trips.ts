import IORedis from 'ioredis';
import type { Client } from 'pg';

/** Calls per Redis command so far (INFO commandstats); EVALSHA counts each BullMQ script run. */
export async function redisCommandCounts(url: string): Promise<Map<string, number>> {
  const redis = new IORedis(url, { maxRetriesPerRequest: 1 });
  try {
    const info = await redis.info('commandstats');
    return new Map([...info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)].map(([, name, calls]) => [name!, Number(calls)]));
  } finally {
    redis.disconnect();
  }
}

/** What changed between two counts, most first. */
export function countsSince(before: Map<string, number>, after: Map<string, number>): [string, number][] {
  return [...after]
    .map(([name, n]): [string, number] => [name, n - (before.get(name) ?? 0)])
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);
}

/**
 * Rows inserted, updated and deleted and index scans per table of `schema` so far (the statistics
 * collector's figures, which trail commits by up to a second), summed over a partitioned table's parts.
 */
export async function tableOperations(pg: Client, schema: string): Promise<Map<string, number>> {
  const { rows } = await pg.query<{ name: string; ins: string; upd: string; del: string; scans: string }>(
    `SELECT coalesce(p.relname, s.relname) AS name, sum(s.n_tup_ins) AS ins, sum(s.n_tup_upd) AS upd, sum(s.n_tup_del) AS del,
            sum(coalesce(s.idx_scan, 0) + coalesce(s.seq_scan, 0)) AS scans
       FROM pg_stat_user_tables s
       LEFT JOIN pg_inherits i ON i.inhrelid = s.relid LEFT JOIN pg_class p ON p.oid = i.inhparent
      WHERE s.schemaname = $1 GROUP BY 1`,
    [schema],
  );
  const counts = new Map<string, number>();
  for (const row of rows) {
    for (const [op, n] of [['insert', row.ins], ['update', row.upd], ['delete', row.del], ['scan', row.scans]] as const) {
      if (Number(n) > 0) counts.set(`${row.name} ${op}`, Number(n));
    }
  }
  return counts;
}

/** Queue jobs the services completed so far, per queue (their `roster_queue_jobs_total` metric). */
export async function completedJobs(serviceUrls: string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const url of serviceUrls) {
    const text = await fetch(`${url}/metrics`).then((response) => response.text());
    for (const [, queue, n] of text.matchAll(/^roster_queue_jobs_total\{queue="([^"]+)",outcome="completed"[^}]*\} (\d+)/gm)) {
      counts.set(queue!, (counts.get(queue!) ?? 0) + Number(n));
    }
  }
  return counts;
}

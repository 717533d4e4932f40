/** The provisioning log is partitioned by UTC day of `occurred_at`: one table per day, dropped whole when it expires. */
const PREFIX = 'provisioning_log_p';
const DAY_MS = 86_400_000;

/** The UTC day (`YYYY-MM-DD`) an instant falls on. */
export function dayOf(instant: string | Date): string {
  return new Date(instant).toISOString().slice(0, 10);
}

export function partitionName(day: string): string {
  return PREFIX + day.replaceAll('-', '');
}

/** The day a partition holds, or null for a table that is not one of them. */
export function dayOfPartition(name: string): string | null {
  const m = /^provisioning_log_p(\d{4})(\d{2})(\d{2})$/.exec(name);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : null;
}

export function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}

/**
 * Every day whose rows have all passed the retention: a partition goes when its last instant is
 * older than `retentionDays`, so a row is kept at least that long and at most a day more.
 */
export function isExpired(day: string, now: Date, retentionDays: number): boolean {
  return Date.parse(`${nextDay(day)}T00:00:00Z`) <= now.getTime() - retentionDays * DAY_MS;
}

type Query = (sql: string, params?: unknown[]) => Promise<unknown>;

/**
 * Creates the day's partition unless it exists. Created apart and then attached: ATTACH takes a lock
 * that lets reads and inserts go on, where CREATE … PARTITION OF would wait for every running read
 * (a long export) and stall all queries queued behind it. Indexes come from the parent's at attach.
 */
export async function createPartition(query: Query, day: string): Promise<void> {
  const name = partitionName(day);
  await query(`SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.provisioning_log partitions'))`);
  const [exists] = (await query(`SELECT to_regclass($1) IS NOT NULL AS exists`, [name])) as { exists: boolean }[];
  if (exists!.exists) return;
  await query(`CREATE TABLE ${name} (LIKE provisioning_log INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
  await query(
    `ALTER TABLE provisioning_log ATTACH PARTITION ${name} FOR VALUES FROM ('${day}T00:00:00Z') TO ('${nextDay(day)}T00:00:00Z')`,
  );
}

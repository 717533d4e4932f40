import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { DeadLetterFilter, DeadLetterQuery, ProvisioningCommand } from '@roster/contracts';
import type { Statement } from '@roster/platform';

export interface DeadLetter {
  id: string;
  provisioningJobId: string;
  userId: string;
  type: string;
  idempotencyKey: string;
  correlationId: string;
  reason: string;
  error: { kind: string; status?: number; body?: unknown } | null;
  attempts: number;
  status: 'dead' | 'redriven' | 'resolved';
  failedAt: string;
  redrivenAt: string | null;
  /** Idempotency key of the request that asked the mapper to recompute the user. */
  redrivenAs: string | null;
  resolvedAt: string | null;
  /** Idempotency key of the later command whose success made this one moot. */
  resolvedBy: string | null;
  command: ProvisioningCommand;
}

interface Row {
  id: string;
  job_id: string;
  user_id: string;
  command_type: string;
  idempotency_key: string;
  correlation_id: string;
  reason: string;
  error: DeadLetter['error'];
  attempts: number;
  status: DeadLetter['status'];
  failed_at: Date;
  redriven_at: Date | null;
  redriven_as: string | null;
  resolved_at: Date | null;
  resolved_by: string | null;
  command: ProvisioningCommand;
}

const COLUMNS = `id::text, job_id, user_id, command_type, idempotency_key, correlation_id, reason, error, attempts, status,
  failed_at, redriven_at, redriven_as, resolved_at, resolved_by, command`;

/** SQL conditions for a filter, with their parameters appended to `params`. */
function conditionsOf(filter: DeadLetterFilter, params: unknown[]): string[] {
  const columns: [keyof DeadLetterFilter, string][] = [
    ['provisioningJobId', 'job_id ='],
    ['userId', 'user_id ='],
    ['type', 'command_type ='],
    ['errorKind', "error->>'kind' ="],
    ['from', 'failed_at >='],
    ['to', 'failed_at <='],
  ];
  return columns.filter(([field]) => filter[field] !== undefined).map(([field, test]) => `${test} $${params.push(filter[field])}`);
}

/** Commands that failed for good (last attempt, or a permanent error), with their last error. */
@Injectable()
export class DeadLetterRepository {
  constructor(private readonly db: DataSource) {}

  /** The same command failing again (a replay of its last attempt) updates its one entry; returns the entry's id. */
  async add(command: ProvisioningCommand, failure: { reason: string; error: DeadLetter['error']; attempts: number }): Promise<string> {
    const [row] = (await this.db.query(
      `INSERT INTO connector_dead_letter (idempotency_key, job_id, user_id, command_type, correlation_id, command, reason, error, attempts)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (idempotency_key) DO UPDATE
         SET reason = excluded.reason, error = excluded.error, attempts = excluded.attempts, failed_at = now(), status = 'dead'
       RETURNING id::text`,
      [
        command.idempotencyKey,
        command.provisioningJobId,
        command.userId,
        command.type,
        command.correlationId,
        JSON.stringify(command),
        failure.reason.slice(0, 4000),
        failure.error === null ? null : JSON.stringify(failure.error),
        failure.attempts,
      ],
    )) as { id: string }[];
    return row!.id;
  }

  /**
   * Marks resolved the user's dead letters that `succeeded` makes moot: it was decided no earlier
   * (change order), and it covers what they were about. A user command carries the user's desired
   * state (an update also re-sends whatever differs from what was last written), so it covers the
   * user's failed user commands; a membership command covers the failed ones of the same group.
   */
  async resolveSupersededBy(m: EntityManager, succeeded: ProvisioningCommand): Promise<void> {
    const { sql, params } = this.supersededBy(succeeded.provisioningJobId, [succeeded]);
    await m.query(sql, params);
  }

  /** What `resolveSupersededBy` runs for each of `succeeded`, to be run along with the statements storing their success (see `together`). */
  supersededBy(jobId: string, succeeded: readonly ProvisioningCommand[]): Statement {
    return {
      sql: `UPDATE connector_dead_letter d SET status = 'resolved', resolved_at = now(), resolved_by = w.resolved_by
              FROM unnest($2::text[], $3::numeric[], $4::text[], $5::text[]) AS w(user_id, command_order, resolved_by, group_id)
             WHERE d.job_id = $1 AND d.user_id = w.user_id AND d.status = 'dead' AND (d.command->>'order')::numeric <= w.command_order
               AND CASE WHEN w.group_id IS NULL THEN d.command_type NOT LIKE 'group.%' ELSE d.command->'group'->>'externalId' = w.group_id END`,
      params: [
        jobId,
        succeeded.map((c) => c.userId),
        succeeded.map((c) => c.order),
        succeeded.map((c) => c.idempotencyKey),
        succeeded.map((c) => ('group' in c ? c.group.externalId : null)),
      ],
    };
  }

  async get(id: string): Promise<DeadLetter | null> {
    const [row] = (await this.db.query(`SELECT ${COLUMNS} FROM connector_dead_letter WHERE id = $1`, [id])) as Row[];
    return row ? toDeadLetter(row) : null;
  }

  /** Newest first, keyset-paginated on the id. */
  async list(q: DeadLetterQuery): Promise<{ items: DeadLetter[]; nextCursor: string | null }> {
    const params: unknown[] = [];
    const where = conditionsOf(q, params);
    if (q.status !== 'any') where.push(`status = $${params.push(q.status)}`);
    if (q.cursor) where.push(`id < $${params.push(q.cursor)}`);
    const rows = (await this.db.query(
      `SELECT ${COLUMNS} FROM connector_dead_letter ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY id DESC LIMIT $${params.push(q.limit + 1)}`,
      params,
    )) as Row[];
    const items = rows.slice(0, q.limit).map(toDeadLetter);
    return { items, nextCursor: rows.length > q.limit ? items.at(-1)!.id : null };
  }

  /** Which of these commands (by idempotency key) failed for good. */
  async deadAmong(jobId: string, keys: readonly string[]): Promise<Set<string>> {
    const rows = (await this.db.query(`SELECT idempotency_key FROM connector_dead_letter WHERE job_id = $1 AND idempotency_key = ANY($2)`, [
      jobId,
      keys,
    ])) as { idempotency_key: string }[];
    return new Set(rows.map((r) => r.idempotency_key));
  }

  async countDead(jobId: string): Promise<number> {
    const [row] = (await this.db.query(`SELECT count(*)::int AS n FROM connector_dead_letter WHERE status = 'dead' AND job_id = $1`, [jobId])) as {
      n: number;
    }[];
    return row!.n;
  }

  async newestId(): Promise<string> {
    const [row] = (await this.db.query(`SELECT coalesce(max(id), 0)::text AS id FROM connector_dead_letter`)) as { id: string }[];
    return row!.id;
  }

  /**
   * Takes the next dead letters to re-drive (status dead, id at most `upToId`) and locks them until
   * the transaction ends, so two re-drives never send one dead letter twice.
   */
  async takeForRedrive(m: EntityManager, filter: DeadLetterFilter & { id?: string }, upToId: string, limit: number): Promise<DeadLetter[]> {
    const params: unknown[] = [upToId];
    const where = ["status = 'dead'", 'id <= $1', ...conditionsOf(filter, params)];
    if (filter.id !== undefined) where.push(`id = $${params.push(filter.id)}`);
    const rows = (await m.query(
      `SELECT ${COLUMNS} FROM connector_dead_letter WHERE ${where.join(' AND ')}
        ORDER BY id LIMIT $${params.push(limit)} FOR UPDATE SKIP LOCKED`,
      params,
    )) as Row[];
    return rows.map(toDeadLetter);
  }

  async markRedriven(m: EntityManager, redriven: { id: string; redrivenAs: string }[]): Promise<void> {
    await m.query(
      `UPDATE connector_dead_letter d SET status = 'redriven', redriven_at = now(), redriven_as = r.key
         FROM unnest($1::bigint[], $2::text[]) AS r(id, key) WHERE d.id = r.id`,
      [redriven.map((r) => r.id), redriven.map((r) => r.redrivenAs)],
    );
  }
}

function toDeadLetter(r: Row): DeadLetter {
  return {
    id: r.id,
    provisioningJobId: r.job_id,
    userId: r.user_id,
    type: r.command_type,
    idempotencyKey: r.idempotency_key,
    correlationId: r.correlation_id,
    reason: r.reason,
    error: r.error,
    attempts: r.attempts,
    status: r.status,
    failedAt: r.failed_at.toISOString(),
    redrivenAt: r.redriven_at?.toISOString() ?? null,
    redrivenAs: r.redriven_as,
    resolvedAt: r.resolved_at?.toISOString() ?? null,
    resolvedBy: r.resolved_by,
    command: r.command,
  };
}

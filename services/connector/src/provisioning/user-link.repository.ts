import { Injectable } from '@nestjs/common';
import type { Attributes } from '@roster/contracts';
import { groupedBy, runPrepared, type Statement } from '@roster/platform';
import type { EntityManager } from 'typeorm';
import { desiredAfter, type DesiredUser, type UserCommand } from '../accounts/desired-state';

type Sql = Pick<EntityManager, 'query'>;

export interface UserLink {
  targetId: string | null;
  /** The newest desired state seen for the user (null: no user command seen yet). */
  desired: DesiredUser | null;
  /** The attributes the account holds as GoTo answered Roster's writes (null: not known). */
  applied: Attributes | null;
  /** How long an unanswered write to this user may still land (0: none). */
  unsettledForMs: number;
  /** License keys last set on the account (null: none set by Roster, or not known). */
  licenses: string[] | null;
  /** What the last license refusal was about, so it is warned of once; null after a success. */
  licenseWarning: string | null;
  /** Per group key, the change order of the newest membership change accepted. */
  groupOrders: Record<string, string>;
}

export type LinkUpdate = Pick<UserLink, 'targetId' | 'applied' | 'licenses' | 'licenseWarning'>;

interface LinkRow {
  target_id: string | null;
  desired: DesiredUser | null;
  applied: Attributes | null;
  licenses: string[] | null;
  license_warning: string | null;
  group_orders: Record<string, string>;
  unsettled_ms: number;
}

const LINK_COLUMNS = `target_id, desired, applied, licenses, license_warning, group_orders,
  greatest(0, extract(epoch FROM unsettled_until - clock_timestamp()) * 1000)::float8 AS unsettled_ms`;

/** `last_order` is the newest order seen for the user, membership changes included: what a reconciliation's repairs carry. */
const SET_DESIRED = `UPDATE connector_user_link SET desired = $3, last_order = greatest(last_order, $4::bigint), updated_at = now()
  WHERE job_id = $1 AND user_id = $2`;

const LOCK = `SELECT ${LINK_COLUMNS} FROM connector_user_link WHERE job_id = $1 AND user_id = $2 FOR UPDATE`;

const linkOf = (row: LinkRow): UserLink => ({
  targetId: row.target_id,
  desired: row.desired,
  applied: row.applied,
  unsettledForMs: Math.ceil(row.unsettled_ms),
  licenses: row.licenses,
  licenseWarning: row.license_warning,
  groupOrders: row.group_orders,
});

/** The directory user ↔ GoTo account link; reading it takes the user's row lock. */
@Injectable()
export class UserLinkRepository {
  /** Whether the user already has an account, read without the lock: a hint, not a decision. */
  async isLinked(db: Sql, jobId: string, userId: string): Promise<boolean> {
    const rows = (await db.query(
      `SELECT 1 FROM connector_user_link WHERE job_id = $1 AND user_id = $2 AND target_id IS NOT NULL`,
      [jobId, userId],
    )) as unknown[];
    return rows.length > 0;
  }

  async lock(m: EntityManager, jobId: string, userId: string): Promise<UserLink> {
    // Locking a row that exists writes nothing; the first command of a user inserts it, and a
    // concurrent first insert of the same user waits for that (the no-op update takes the lock).
    const [row] = (await runPrepared(m, { sql: LOCK, params: [jobId, userId] })) as LinkRow[];
    if (row) return linkOf(row);
    const [inserted] = (await m.query(
      `INSERT INTO connector_user_link AS l (job_id, user_id) VALUES ($1, $2)
       ON CONFLICT (job_id, user_id) DO UPDATE SET job_id = l.job_id
       RETURNING ${LINK_COLUMNS}`,
      [jobId, userId],
    )) as LinkRow[];
    return linkOf(inserted!);
  }

  /**
   * Locks the rows of many users in one statement, in the order of their ids, so two batches sharing
   * users never wait on each other in a cycle. A user without a row is left out (see lock).
   */
  async lockEach(m: Sql, jobId: string, userIds: readonly string[]): Promise<Map<string, UserLink>> {
    const rows = (await runPrepared(m, {
      sql: `SELECT user_id, ${LINK_COLUMNS} FROM connector_user_link WHERE job_id = $1 AND user_id = ANY($2::text[]) ORDER BY user_id FOR UPDATE`,
      params: [jobId, userIds],
    })) as (LinkRow & { user_id: string })[];
    return new Map(rows.map((row) => [row.user_id, linkOf(row)]));
  }

  /**
   * Records the desired state `command` makes (if it is the newest) in a transaction of its own,
   * committed before anything is written to GoTo: a stale command that runs later converges to it
   * even when the newer command's own run is rolled back.
   */
  async recordDesired(db: Sql & { transaction<T>(run: (m: EntityManager) => Promise<T>): Promise<T> }, command: UserCommand): Promise<void> {
    const { provisioningJobId: jobId, userId } = command;
    if ((await this.recordDesiredOfMany(db, jobId, [command])).has(userId)) return;
    await db.transaction(async (m) => {
      const link = await this.lock(m, jobId, userId);
      const desired = desiredAfter(link.desired, command);
      if (desired === link.desired) return;
      await m.query(SET_DESIRED, [jobId, userId, JSON.stringify(desired), desired.order]);
    });
  }

  /**
   * Records the desired states of many users' commands (a user's taken in the order given) without
   * their locks, in two statements whatever their number: the first inserts the rows of users seen
   * for the first time and reads the others, the second replaces each state that changed unless its
   * row changed since it was read (xmin). Answers the users whose state is recorded; a user whose row
   * changed meanwhile is left to decide under its lock (see recordDesired).
   */
  async recordDesiredOfMany(db: Sql, jobId: string, commands: readonly UserCommand[]): Promise<Set<string>> {
    const byUser = groupedBy(commands, (c) => c.userId);
    // Sorted, so two replicas inserting some of the same users never wait on each other in a cycle.
    const users = [...byUser.keys()].sort();
    const after = (previous: DesiredUser | null, userId: string): DesiredUser => {
      const [first, ...rest] = byUser.get(userId)!;
      return rest.reduce(desiredAfter, desiredAfter(previous, first!));
    };
    const firsts = users.map((userId) => after(null, userId));
    const seen = (await runPrepared(db, {
      sql: `WITH w AS (SELECT * FROM unnest($2::text[], $3::jsonb[], $4::bigint[]) WITH ORDINALITY AS w(user_id, desired, last_order, n)),
                 s AS (INSERT INTO connector_user_link (job_id, user_id, desired, last_order)
                       SELECT $1, user_id, desired, last_order FROM w ORDER BY n
                       ON CONFLICT (job_id, user_id) DO NOTHING RETURNING user_id)
            SELECT w.user_id, s.user_id IS NOT NULL AS inserted, l.desired, l.xmin::text AS version
              FROM w LEFT JOIN s USING (user_id) LEFT JOIN connector_user_link l ON l.job_id = $1 AND l.user_id = w.user_id`,
      params: [jobId, users, firsts.map((d) => JSON.stringify(d)), firsts.map((d) => d.order)],
    })) as { user_id: string; inserted: boolean; desired: DesiredUser | null; version: string | null }[];
    const recorded = new Set(seen.filter((row) => row.inserted).map((row) => row.user_id));
    // Orders only grow: a command older than a state once seen stays older than the state now.
    const changed = seen.flatMap((row) => {
      if (row.inserted || row.version === null) return [];
      const desired = after(row.desired, row.user_id);
      if (desired !== row.desired) return [{ userId: row.user_id, desired, version: row.version }];
      recorded.add(row.user_id);
      return [];
    });
    if (changed.length === 0) return recorded;
    const replaced = (await runPrepared(db, {
      sql: `UPDATE connector_user_link l SET desired = w.desired, last_order = greatest(l.last_order, w.last_order), updated_at = now()
              FROM unnest($2::text[], $3::jsonb[], $4::bigint[], $5::xid[]) AS w(user_id, desired, last_order, version)
             WHERE l.job_id = $1 AND l.user_id = w.user_id AND l.xmin = w.version
            RETURNING l.user_id`,
      params: [jobId, changed.map((c) => c.userId), changed.map((c) => JSON.stringify(c.desired)), changed.map((c) => c.desired.order), changed.map((c) => c.version)],
    })) as { user_id: string }[];
    for (const row of replaced) recorded.add(row.user_id);
    return recorded;
  }

  /** What GoTo answered for each user: the account, what it holds, its licenses. A write that got its answer is settled. */
  savedEach(jobId: string, links: readonly (LinkUpdate & { userId: string })[]): Statement {
    const json = (value: unknown) => (value === null ? null : JSON.stringify(value));
    return {
      sql: `UPDATE connector_user_link l
               SET target_id = w.target_id, applied = w.applied, licenses = w.licenses, license_warning = w.license_warning,
                   unsettled_until = NULL, updated_at = now()
              FROM unnest($2::text[], $3::text[], $4::jsonb[], $5::jsonb[], $6::text[]) AS w(user_id, target_id, applied, licenses, license_warning)
             WHERE l.job_id = $1 AND l.user_id = w.user_id`,
      params: [
        jobId,
        links.map((link) => link.userId),
        links.map((link) => link.targetId),
        links.map((link) => json(link.applied)),
        links.map((link) => json(link.licenses)),
        links.map((link) => link.licenseWarning),
      ],
    };
  }

  /** A membership change to `groupKey` at `order` was accepted: older ones for that group are stale. */
  async acceptedMembership(m: EntityManager, jobId: string, userId: string, groupKey: string, order: string): Promise<void> {
    await m.query(
      `UPDATE connector_user_link
          SET group_orders = group_orders || jsonb_build_object($3::text, $4::text), last_order = greatest(last_order, $4::bigint), updated_at = now()
        WHERE job_id = $1 AND user_id = $2`,
      [jobId, userId, groupKey, order],
    );
  }

  /** How long ago `since` was, on PostgreSQL's clock (the one every replica shares). */
  async msSince(db: Sql, since: string): Promise<number> {
    const [row] = (await db.query(`SELECT extract(epoch FROM clock_timestamp() - $1::timestamptz) * 1000 AS ms`, [since])) as { ms: number }[];
    return Number(row!.ms);
  }

  /** The user's next write waits `ms`: a write that got no answer may still reach the target until then. */
  async markUnsettled(m: EntityManager, jobId: string, userId: string, ms: number): Promise<void> {
    await m.query(
      `UPDATE connector_user_link SET unsettled_until = clock_timestamp() + $3 * interval '1 millisecond', updated_at = now()
        WHERE job_id = $1 AND user_id = $2`,
      [jobId, userId, ms],
    );
  }
}

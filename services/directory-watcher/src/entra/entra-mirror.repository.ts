import type { Attributes } from '@roster/contracts';
import { DataSource, type EntityManager } from 'typeorm';
import type { EntraSettings } from './entra-settings';

export type DeltaResource = 'users' | 'groups';

export type UserChange =
  | { id: string; state: 'present'; attributes: Attributes; accountEnabled: boolean }
  | { id: string; state: 'soft-deleted' | 'hard-deleted' };

export interface GroupChange {
  id: string;
  removed: boolean;
  displayName: string | null;
  members: { id: string; type: 'user' | 'group'; added: boolean }[];
}

export interface AssignmentRow {
  id: string;
  principalId: string;
  principalType: 'User' | 'Group';
  appRoleId: string;
}

/**
 * How a write treats the mirror: `round` marks the rows a full read saw (null for a delta page,
 * which leaves the marks alone); `journal` records users whose snapshot the write may change, for
 * the watcher to read (a full read for the watcher's own full cycle does not need it).
 */
export interface WriteMode {
  round: number | null;
  journal: boolean;
}

export interface EntraSyncState {
  usersLink: string | null;
  groupsLink: string | null;
  assignmentsFingerprint: string | null;
}

const LINK_COLUMN: Record<DeltaResource, string> = { users: 'users_link', groups: 'groups_link' };
const TABLES: Record<DeltaResource | 'assignments', string> = {
  users: 'entra_user',
  groups: 'entra_group, entra_group_member',
  assignments: 'entra_assignment',
};

/**
 * Journals every user below the `touched(node_id, node_type)` CTE defined before it: touched users,
 * and the direct members of touched groups, or with nested groups ($2) everyone beneath them.
 * UNION makes the walk stop at cycles. $1 is the job.
 */
const JOURNAL_BELOW = `
  below(node_id, node_type) AS (
    SELECT node_id, node_type FROM touched
    UNION
    SELECT m.member_id, m.member_type FROM below b
      JOIN entra_group_member m ON m.job_id = $1 AND m.group_id = b.node_id
     WHERE $2::boolean AND b.node_type = 'group'
  )
  INSERT INTO entra_change (job_id, user_id) SELECT $1, node_id FROM below WHERE node_type = 'user'`;

/** A membership matters when its group is assigned (direct mode) or may lead to one (nested mode). */
const TOUCHED_BY_EDGES = `
  touched(node_id, node_type) AS (
    SELECT e.member_id, e.member_type FROM edges e
     WHERE $2::boolean OR EXISTS (
       SELECT 1 FROM entra_assignment a WHERE a.job_id = $1 AND a.principal_type = 'Group' AND a.principal_id = e.group_id)
  ),`;

/** An assignment that appears or goes affects its user, or the members of its group. */
const TOUCHED_BY_PRINCIPALS = `
  touched(node_id, node_type) AS (
    SELECT principal_id, 'user' FROM principals WHERE principal_type = 'User'
    UNION
    SELECT m.member_id, m.member_type FROM principals p
      JOIN entra_group_member m ON m.job_id = $1 AND m.group_id = p.principal_id
     WHERE p.principal_type = 'Group'
  ),`;

/**
 * The Entra source's copy of the tenant in PostgreSQL, written page by page from Graph. Every write
 * that follows a delta round saves the round's link in the same transaction, so a restart resumes
 * exactly after the last page whose effects (and journal entries) were saved.
 */
export class EntraMirrorRepository {
  private readonly jobId: string;
  private readonly nested: boolean;

  constructor(
    private readonly db: DataSource,
    settings: EntraSettings,
  ) {
    this.jobId = settings.jobId;
    this.nested = settings.nestedGroups;
  }

  async syncState(): Promise<EntraSyncState> {
    const [row] = (await this.db.query(
      `SELECT users_link, groups_link, assignments_fingerprint FROM entra_sync_state WHERE job_id = $1`,
      [this.jobId],
    )) as { users_link: string | null; groups_link: string | null; assignments_fingerprint: string | null }[];
    return {
      usersLink: row?.users_link ?? null,
      groupsLink: row?.groups_link ?? null,
      assignmentsFingerprint: row?.assignments_fingerprint ?? null,
    };
  }

  /** A new mark for a full read; rows it does not reach keep an older one and are swept after it. */
  async nextRound(): Promise<number> {
    const [row] = (await this.db.query(
      `INSERT INTO entra_sync_state (job_id, round) VALUES ($1, 1)
       ON CONFLICT (job_id) DO UPDATE SET round = entra_sync_state.round + 1, updated_at = now()
       RETURNING round::int`,
      [this.jobId],
    )) as { round: number }[];
    return row.round;
  }

  /**
   * Refreshes the planner's statistics on tables a full read filled. Without them (autovacuum may be
   * off or not have run yet) PostgreSQL scans a 100,000-row table for every page of snapshots.
   */
  async analyze(what: DeltaResource | 'assignments'): Promise<void> {
    await this.db.query(`ANALYZE ${TABLES[what]}`);
  }

  /** Applies one batch of user changes; `link` (a delta page's continuation) is saved with it. */
  async applyUsers(changes: UserChange[], mode: WriteMode, link?: string): Promise<void> {
    const rows = changes.map((c) =>
      c.state === 'present'
        ? { id: c.id, state: c.state, attributes: c.attributes, account_enabled: c.accountEnabled }
        : { id: c.id, state: c.state },
    );
    await this.db.transaction(async (m) => {
      await m.query(
        `WITH incoming AS (
           SELECT * FROM jsonb_to_recordset($2::jsonb) AS r(id text, state text, attributes jsonb, account_enabled boolean)
         ),
         changed AS (
           SELECT i.id FROM incoming i LEFT JOIN entra_user u ON u.job_id = $1 AND u.id = i.id
            WHERE CASE i.state
              WHEN 'hard-deleted' THEN u.id IS NOT NULL
              WHEN 'soft-deleted' THEN u.state = 'present'
              ELSE u.id IS NULL OR u.state <> 'present' OR u.attributes <> i.attributes OR u.account_enabled <> i.account_enabled
            END
         ),
         gone AS (
           DELETE FROM entra_user u USING incoming i WHERE u.job_id = $1 AND u.id = i.id AND i.state = 'hard-deleted'
         ),
         gone_memberships AS (
           DELETE FROM entra_group_member m USING incoming i WHERE m.job_id = $1 AND m.member_id = i.id AND i.state = 'hard-deleted'
         ),
         present AS (
           INSERT INTO entra_user (job_id, id, state, account_enabled, attributes, seen_round)
           SELECT $1, id, 'present', account_enabled, attributes, coalesce($3::bigint, 0) FROM incoming WHERE state = 'present'
           ON CONFLICT (job_id, id) DO UPDATE SET state = 'present', account_enabled = excluded.account_enabled,
             attributes = excluded.attributes, seen_round = coalesce($3::bigint, entra_user.seen_round)
         ),
         soft AS (
           UPDATE entra_user u SET state = 'soft-deleted', seen_round = coalesce($3::bigint, u.seen_round)
             FROM incoming i WHERE u.job_id = $1 AND u.id = i.id AND i.state = 'soft-deleted'
         )
         INSERT INTO entra_change (job_id, user_id) SELECT $1, id FROM changed WHERE $4::boolean`,
        [this.jobId, JSON.stringify(rows), mode.round, mode.journal],
      );
      if (link !== undefined) await this.saveLink(m, 'users', link);
    });
  }

  /** Ends a full read of users: whoever it did not see is gone for good. */
  async finishUsers(round: number, journal: boolean, deltaLink: string): Promise<void> {
    await this.db.transaction(async (m) => {
      await m.query(
        `WITH gone AS (DELETE FROM entra_user WHERE job_id = $1 AND seen_round < $2 RETURNING id),
         gone_memberships AS (DELETE FROM entra_group_member m USING gone g WHERE m.job_id = $1 AND m.member_id = g.id)
         INSERT INTO entra_change (job_id, user_id) SELECT $1, id FROM gone WHERE $3::boolean`,
        [this.jobId, round, journal],
      );
      await this.saveLink(m, 'users', deltaLink);
    });
    await this.analyze('users');
  }

  /**
   * Applies one batch of group changes. The affected users are journaled first, against the
   * memberships as they were, so that the members of a removed group are still known.
   */
  async applyGroups(changes: GroupChange[], mode: WriteMode, link?: string): Promise<void> {
    const groups = JSON.stringify(changes.map((g) => ({ id: g.id, removed: g.removed, display_name: g.displayName })));
    const members = JSON.stringify(
      changes.flatMap((g) => g.members.map((mb) => ({ group_id: g.id, member_id: mb.id, member_type: mb.type, added: mb.added }))),
    );
    const inputs = `
      groups_in AS (SELECT * FROM jsonb_to_recordset($3::jsonb) AS r(id text, removed boolean, display_name text)),
      members_in AS (SELECT * FROM jsonb_to_recordset($4::jsonb) AS r(group_id text, member_id text, member_type text, added boolean))`;
    await this.db.transaction(async (m) => {
      if (mode.journal) {
        await m.query(
          `WITH RECURSIVE ${inputs},
           edges AS (
             SELECT i.group_id, i.member_id, i.member_type FROM members_in i
               LEFT JOIN entra_group_member m ON m.job_id = $1 AND m.group_id = i.group_id AND m.member_id = i.member_id
              WHERE i.added = (m.member_id IS NULL)
             UNION
             SELECT m.group_id, m.member_id, m.member_type FROM entra_group_member m JOIN groups_in g ON g.removed AND m.group_id = g.id
              WHERE m.job_id = $1
             UNION
             SELECT m.group_id, m.member_id, m.member_type FROM entra_group_member m JOIN groups_in g ON g.removed AND m.member_id = g.id
              WHERE m.job_id = $1
           ),
           ${TOUCHED_BY_EDGES} ${JOURNAL_BELOW}`,
          [this.jobId, this.nested, groups, members],
        );
      }
      await m.query(
        `WITH ${inputs},
         gone AS (DELETE FROM entra_group g USING groups_in i WHERE g.job_id = $1 AND g.id = i.id AND i.removed),
         gone_memberships AS (
           DELETE FROM entra_group_member m USING groups_in i
            WHERE m.job_id = $1 AND i.removed AND (m.group_id = i.id OR m.member_id = i.id)
         ),
         kept AS (
           INSERT INTO entra_group (job_id, id, display_name, seen_round)
           SELECT $1, id, display_name, coalesce($2::bigint, 0) FROM groups_in WHERE NOT removed
           ON CONFLICT (job_id, id) DO UPDATE SET display_name = coalesce(excluded.display_name, entra_group.display_name),
             seen_round = coalesce($2::bigint, entra_group.seen_round)
         ),
         joined AS (
           INSERT INTO entra_group_member (job_id, group_id, member_id, member_type, seen_round)
           SELECT $1, group_id, member_id, member_type, coalesce($2::bigint, 0) FROM members_in WHERE added
           ON CONFLICT (job_id, group_id, member_id) DO UPDATE SET member_type = excluded.member_type,
             seen_round = coalesce($2::bigint, entra_group_member.seen_round)
         )
         DELETE FROM entra_group_member m USING members_in i
          WHERE m.job_id = $1 AND m.group_id = i.group_id AND m.member_id = i.member_id AND NOT i.added`,
        [this.jobId, mode.round, groups, members],
      );
      if (link !== undefined) await this.saveLink(m, 'groups', link);
    });
  }

  /** Ends a full read of groups: memberships and groups it did not see are gone. */
  async finishGroups(round: number, journal: boolean, deltaLink: string): Promise<void> {
    await this.db.transaction(async (m) => {
      if (journal) {
        await m.query(
          `WITH RECURSIVE edges AS (
             SELECT group_id, member_id, member_type FROM entra_group_member WHERE job_id = $1 AND seen_round < $3
           ),
           ${TOUCHED_BY_EDGES} ${JOURNAL_BELOW}`,
          [this.jobId, this.nested, round],
        );
      }
      await m.query(`DELETE FROM entra_group_member WHERE job_id = $1 AND seen_round < $2`, [this.jobId, round]);
      await m.query(`DELETE FROM entra_group WHERE job_id = $1 AND seen_round < $2`, [this.jobId, round]);
      await this.saveLink(m, 'groups', deltaLink);
    });
    await this.analyze('groups');
  }

  /** Upserts one page of the assignment list read in `round`, journaling the principals it adds or changes. */
  async applyAssignments(rows: AssignmentRow[], round: number, journal: boolean): Promise<void> {
    const incoming = JSON.stringify(
      rows.map((a) => ({ id: a.id, principal_id: a.principalId, principal_type: a.principalType, app_role_id: a.appRoleId })),
    );
    const input = `incoming AS (
      SELECT * FROM jsonb_to_recordset($3::jsonb) AS r(id text, principal_id text, principal_type text, app_role_id text)
    )`;
    await this.db.transaction(async (m) => {
      if (journal) {
        await m.query(
          `WITH RECURSIVE ${input},
           principals AS (
             SELECT i.principal_id, i.principal_type FROM incoming i
               LEFT JOIN entra_assignment a ON a.job_id = $1 AND a.id = i.id
              WHERE a.id IS NULL
                 OR (a.principal_id, a.principal_type, a.app_role_id) IS DISTINCT FROM (i.principal_id, i.principal_type, i.app_role_id)
           ),
           ${TOUCHED_BY_PRINCIPALS} ${JOURNAL_BELOW}`,
          [this.jobId, this.nested, incoming],
        );
      }
      await m.query(
        `WITH ${input}
         INSERT INTO entra_assignment (job_id, id, principal_id, principal_type, app_role_id, seen_round)
         SELECT $1, id, principal_id, principal_type, app_role_id, $2 FROM incoming
         ON CONFLICT (job_id, id) DO UPDATE SET principal_id = excluded.principal_id, principal_type = excluded.principal_type,
           app_role_id = excluded.app_role_id, seen_round = excluded.seen_round`,
        [this.jobId, round, incoming],
      );
    });
  }

  /** Ends a read of the assignment list: assignments it did not see were removed. */
  async finishAssignments(round: number, journal: boolean, fingerprint: string): Promise<void> {
    await this.db.transaction(async (m) => {
      if (journal) {
        await m.query(
          `WITH RECURSIVE principals AS (
             SELECT principal_id, principal_type FROM entra_assignment WHERE job_id = $1 AND seen_round < $3
           ),
           ${TOUCHED_BY_PRINCIPALS} ${JOURNAL_BELOW}`,
          [this.jobId, this.nested, round],
        );
      }
      await m.query(`DELETE FROM entra_assignment WHERE job_id = $1 AND seen_round < $2`, [this.jobId, round]);
      await m.query(
        `INSERT INTO entra_sync_state (job_id, assignments_fingerprint) VALUES ($1, $2)
         ON CONFLICT (job_id) DO UPDATE SET assignments_fingerprint = excluded.assignments_fingerprint, updated_at = now()`,
        [this.jobId, fingerprint],
      );
    });
    await this.analyze('assignments');
  }

  private async saveLink(m: EntityManager, resource: DeltaResource, link: string): Promise<void> {
    const column = LINK_COLUMN[resource];
    await m.query(
      `INSERT INTO entra_sync_state (job_id, ${column}) VALUES ($1, $2)
       ON CONFLICT (job_id) DO UPDATE SET ${column} = excluded.${column}, updated_at = now()`,
      [this.jobId, link],
    );
  }
}

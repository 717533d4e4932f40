import type { Attributes } from '@roster/contracts';
import type { DirectoryUserSnapshot, EffectiveAssignment } from '@roster/directory';
import { DataSource } from 'typeorm';
import type { EntraSettings } from './entra-settings';

/** A user the mirror no longer has comes back with every mirror column null. */
type SnapshotRow = { id: string; assignments: EffectiveAssignment[] | null; groups: { id: string; displayName: string }[] | null } & (
  | { state: null }
  | { state: 'present' | 'soft-deleted'; account_enabled: boolean; attributes: Attributes }
);

/**
 * The journal of users whose snapshot may have changed (the watcher's cursor is a position in it),
 * and the snapshots themselves, built from the mirror for a page of users in one query.
 */
export class EntraJournalRepository {
  private readonly jobId: string;
  private readonly nested: boolean;
  private readonly allUsers: boolean;

  constructor(
    private readonly db: DataSource,
    settings: EntraSettings,
  ) {
    this.jobId = settings.jobId;
    this.nested = settings.nestedGroups;
    this.allUsers = settings.scope === 'all-users';
  }

  async head(): Promise<string> {
    const [row] = (await this.db.query(`SELECT coalesce(max(seq), 0)::text AS seq FROM entra_change WHERE job_id = $1`, [
      this.jobId,
    ])) as { seq: string }[];
    return row.seq;
  }

  /** Entries up to the watcher's saved cursor have been acted on for good. */
  async prune(upTo: string): Promise<void> {
    await this.db.query(`DELETE FROM entra_change WHERE job_id = $1 AND seq <= $2`, [this.jobId, upTo]);
  }

  /** The distinct users of the next `limit` entries after `after`, and the position after them. */
  async next(after: string, limit: number): Promise<{ userIds: string[]; last: string } | null> {
    const [row] = (await this.db.query(
      `SELECT array_agg(DISTINCT user_id) AS ids, max(seq)::text AS last
         FROM (SELECT seq, user_id FROM entra_change WHERE job_id = $1 AND seq > $2 ORDER BY seq LIMIT $3) page`,
      [this.jobId, after, limit],
    )) as { ids: string[] | null; last: string | null }[];
    return row.ids && row.last ? { userIds: row.ids, last: row.last } : null;
  }

  /** Ids of the mirrored users after `afterId`, in id order. */
  async userIdsAfter(afterId: string | null, limit: number): Promise<string[]> {
    const rows = (await this.db.query(`SELECT id FROM entra_user WHERE job_id = $1 AND ($2::text IS NULL OR id > $2) ORDER BY id LIMIT $3`, [this.jobId, afterId, limit])) as {
      id: string;
    }[];
    return rows.map((r) => r.id);
  }

  /** Current snapshots of `ids`; an id the mirror no longer has is reported hard-deleted. */
  async snapshots(ids: string[]): Promise<DirectoryUserSnapshot[]> {
    const rows = (await this.db.query(
      // Every lookup starts from the ids on an index, so the plan does not hinge on table statistics.
      `WITH RECURSIVE
       -- the groups each user is in: directly, or with nested groups also through groups inside groups
       member_of(user_id, group_id) AS (
         SELECT member_id, group_id FROM entra_group_member
          WHERE job_id = $1 AND member_id = ANY($2::text[]) AND member_type = 'user'
         UNION
         SELECT u.user_id, m.group_id FROM member_of u
           JOIN entra_group_member m ON m.job_id = $1 AND m.member_id = u.group_id AND m.member_type = 'group'
          WHERE $3::boolean
       ),
       via AS (
         SELECT principal_id AS user_id, jsonb_build_object('kind', 'direct', 'appRoleId', app_role_id) AS assignment, NULL::jsonb AS grp
           FROM entra_assignment WHERE job_id = $1 AND principal_type = 'User' AND principal_id = ANY($2::text[])
         UNION ALL
         SELECT u.user_id, jsonb_build_object('kind', 'group', 'groupId', a.principal_id, 'appRoleId', a.app_role_id),
                jsonb_build_object('id', a.principal_id, 'displayName', coalesce(g.display_name, a.principal_id))
           FROM member_of u
           JOIN entra_assignment a ON a.job_id = $1 AND a.principal_type = 'Group' AND a.principal_id = u.group_id
           LEFT JOIN entra_group g ON g.job_id = $1 AND g.id = a.principal_id
       ),
       per_user AS (
         SELECT user_id, jsonb_agg(assignment ORDER BY assignment->>'groupId' NULLS FIRST, assignment->>'appRoleId') AS assignments,
                jsonb_agg(DISTINCT grp ORDER BY grp) FILTER (WHERE grp IS NOT NULL) AS groups
           FROM via GROUP BY user_id
       )
       SELECT ids.id, u.state, u.account_enabled, u.attributes, p.assignments, p.groups
         FROM (SELECT DISTINCT unnest($2::text[]) AS id) ids
         LEFT JOIN entra_user u ON u.job_id = $1 AND u.id = ids.id
         LEFT JOIN per_user p ON p.user_id = ids.id`,
      [this.jobId, ids, this.nested],
    )) as SnapshotRow[];
    return rows.map((row) => this.toSnapshot(row));
  }

  private toSnapshot(row: SnapshotRow): DirectoryUserSnapshot {
    if (row.state === null) {
      return { id: row.id, state: 'hard-deleted', accountEnabled: false, attributes: {}, assignments: [], groups: [] };
    }
    const assignments = row.assignments ?? [];
    return {
      id: row.id,
      state: row.state,
      accountEnabled: row.account_enabled,
      attributes: { ...row.attributes, objectId: row.id },
      assignments: this.allUsers ? [...assignments, { kind: 'all-users' }] : assignments,
      groups: row.groups ?? [],
    };
  }
}

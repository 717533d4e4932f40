import { Injectable } from '@nestjs/common';
import type { ProvisionedState } from '@roster/mapping';
import { DataSource, type EntityManager } from 'typeorm';

export interface LockedUserState extends ProvisionedState {
  lastOrder: string;
}

type Row = {
  last_order: string;
  provisioned: boolean;
  active: boolean;
  target: ProvisionedState['target'];
  matching: ProvisionedState['matching'];
  assigned: boolean;
  source: ProvisionedState['source'];
  groups: ProvisionedState['groups'];
  left_groups: NonNullable<ProvisionedState['leftGroups']>;
  failed_command: ProvisionedState['failedCommand'] | null;
  roles: ProvisionedState['roles'];
  licenses: ProvisionedState['licenses'];
};

const COLUMNS = 'user_id, last_order::text, provisioned, active, target, matching, assigned, source, groups, left_groups, failed_command, roles, licenses';

function stateOf(r: Row): LockedUserState {
  return {
    lastOrder: r.last_order,
    provisioned: r.provisioned,
    active: r.active,
    target: r.target,
    matching: r.matching,
    assigned: r.assigned,
    source: r.source,
    groups: r.groups,
    leftGroups: r.left_groups,
    ...(r.failed_command ? { failedCommand: r.failed_command } : {}),
    roles: r.roles,
    licenses: r.licenses,
  };
}

export interface SavedUserState {
  userId: string;
  order: string;
  state: ProvisionedState;
}

/**
 * Per-user state; reading it takes the users' row locks, which is what orders work per user. Rows
 * are created and locked in user-id order, so two transactions locking overlapping sets of users
 * wait for each other instead of deadlocking.
 */
@Injectable()
export class MapperUserStateRepository {
  constructor(private readonly db: DataSource) {}

  async lockMany(m: EntityManager, jobId: string, userIds: string[]): Promise<Map<string, LockedUserState>> {
    const ids = [...new Set(userIds)].sort();
    await m.query(
      `INSERT INTO mapper_user_state (job_id, user_id) SELECT $1, id FROM unnest($2::text[]) AS id ORDER BY id ON CONFLICT DO NOTHING`,
      [jobId, ids],
    );
    const rows = (await m.query(`SELECT ${COLUMNS} FROM mapper_user_state WHERE job_id = $1 AND user_id = ANY($2::text[]) ORDER BY user_id FOR UPDATE`, [
      jobId,
      ids,
    ])) as (Row & { user_id: string })[];
    return new Map(rows.map((r) => [r.user_id, stateOf(r)]));
  }

  /** The users' states without a lock, for what only looks (a dry run); a user never seen is absent. */
  async read(jobId: string, userIds: string[]): Promise<Map<string, LockedUserState>> {
    const rows = (await this.db.query(`SELECT ${COLUMNS} FROM mapper_user_state WHERE job_id = $1 AND user_id = ANY($2::text[])`, [jobId, userIds])) as (Row & {
      user_id: string;
    })[];
    return new Map(rows.map((r) => [r.user_id, stateOf(r)]));
  }

  /** Users with an account or an assignment as the mapper last decided, in id order after `afterId`. */
  async knownAfter(jobId: string, afterId: string | null, limit: number): Promise<string[]> {
    const rows = (await this.db.query(
      `SELECT user_id FROM mapper_user_state WHERE job_id = $1 AND (provisioned OR assigned) AND ($2::text IS NULL OR user_id > $2) ORDER BY user_id LIMIT $3`,
      [jobId, afterId, limit],
    )) as { user_id: string }[];
    return rows.map((r) => r.user_id);
  }

  /** Whether the user has an account as far as the mapper decided (a failed create does not count), read without a lock. */
  async hasAccount(jobId: string, userId: string): Promise<boolean> {
    const rows = (await this.db.query(
      `SELECT provisioned AND failed_command IS DISTINCT FROM 'user.create' AS has FROM mapper_user_state WHERE job_id = $1 AND user_id = $2`,
      [jobId, userId],
    )) as { has: boolean }[];
    return rows[0]?.has ?? false;
  }

  /**
   * Notes that a command of the user was dead-lettered. Taking the row lock orders this with the
   * user's decisions. A failed create is kept over later failures: the account may still not exist.
   */
  async markFailed(db: Pick<EntityManager, 'query'>, jobId: string, userId: string, commandType: string): Promise<void> {
    await db.query(
      `UPDATE mapper_user_state SET failed_command = CASE WHEN failed_command = 'user.create' THEN failed_command ELSE $3 END, updated_at = now()
        WHERE job_id = $1 AND user_id = $2`,
      [jobId, userId, commandType],
    );
  }

  async saveMany(m: EntityManager, jobId: string, saved: SavedUserState[]): Promise<void> {
    if (saved.length === 0) return;
    await m.query(
      `UPDATE mapper_user_state u SET last_order = greatest(u.last_order, r.last_order::bigint), provisioned = r.provisioned,
         active = r.active, target = r.target, matching = r.matching, assigned = r.assigned, source = r.source, groups = r.groups, left_groups = r.left_groups,
         failed_command = r.failed_command, roles = r.roles, licenses = r.licenses, updated_at = now()
         FROM jsonb_to_recordset($2::jsonb) AS r(user_id text, last_order text, provisioned boolean, active boolean, target jsonb,
              matching jsonb, assigned boolean, source jsonb, groups jsonb, left_groups jsonb, failed_command text, roles jsonb, licenses jsonb)
        WHERE u.job_id = $1 AND u.user_id = r.user_id`,
      [
        jobId,
        JSON.stringify(
          saved.map(({ userId, order, state: s }) => ({
            user_id: userId,
            last_order: order,
            provisioned: s.provisioned,
            active: s.active,
            target: s.target,
            matching: s.matching,
            assigned: s.assigned,
            source: s.source,
            groups: s.groups,
            left_groups: s.leftGroups ?? [],
            failed_command: s.failedCommand ?? null,
            roles: s.roles,
            licenses: s.licenses,
          })),
        ),
      ],
    );
  }
}

import { Injectable } from '@nestjs/common';
import type { Attributes } from '@roster/contracts';
import { DataSource } from 'typeorm';
import type { DesiredUser } from '../accounts/desired-state';
import type { TargetGroupRef } from '../goto/target-connector';
import type { DesiredAccount, DesiredMembership } from './drift';

/**
 * Where reconciliation reads what GoTo should hold. Read after GoTo's listing: a change applied to
 * GoTo after its page was read is in the desired state already, so it is never undone, at worst
 * repeated (SCIM writes of a value already held are harmless).
 */
export interface DesiredStateSource {
  accounts(jobId: string): Promise<DesiredAccount[]>;
  memberships(jobId: string): Promise<DesiredMembership[]>;
  /** Creates that got no answer, of users with no account linked: GoTo may list the account they made. */
  lateCreates(jobId: string): Promise<LateCreate[]>;
}

/** A create kept as a note (see WriteMarks): its user has no account linked. */
export interface LateCreate {
  noteId: string;
  userId: string;
  userName: string;
  /** Past its watch: no command waits for it any more. */
  expired: boolean;
  /** The user's newest order: the repair's. */
  order: string;
  desired: DesiredUser | null;
}
export const DESIRED_STATE_SOURCE = Symbol('DESIRED_STATE_SOURCE');

/**
 * The desired state from the connector's link rows: the account Roster linked each user to, the
 * newest desired state recorded for the user (`desired`: attributes, whether active, which values
 * are computed through Redact() and so never compared or sent again from here), and each user's
 * newest wanted membership per group. Repairs carry `last_order`, the newest order seen for the user.
 * A row from before desired states were kept falls back to what Roster last wrote (`applied`); a
 * user with no known attributes, or whose account is to be deleted, is left to its commands.
 */
@Injectable()
export class UserLinkDesiredState implements DesiredStateSource {
  constructor(private readonly db: DataSource) {}

  async accounts(jobId: string): Promise<DesiredAccount[]> {
    const rows = (await this.db.query(
      `SELECT user_id, target_id, desired, applied, last_order::text FROM connector_user_link
        WHERE job_id = $1 AND target_id IS NOT NULL ORDER BY user_id`,
      [jobId],
    )) as { user_id: string; target_id: string; desired: DesiredUser | null; applied: Attributes | null; last_order: string }[];
    return rows.flatMap((r) => {
      const attributes = r.desired ? (r.desired.present ? withoutRedacted(r.desired) : null) : r.applied;
      if (!attributes) return [];
      return [{ userId: r.user_id, accountId: r.target_id, attributes, active: attributes['active'] !== false, order: r.last_order }];
    });
  }

  async lateCreates(jobId: string): Promise<LateCreate[]> {
    const rows = (await this.db.query(
      `SELECT a.id::text AS note_id, a.user_id, a.intent->'values'->>'userName' AS user_name, a.late_until < clock_timestamp() AS expired, l.last_order::text, l.desired
         FROM connector_write_attempt a JOIN connector_user_link l ON l.job_id = a.job_id AND l.user_id = a.user_id
        WHERE a.job_id = $1 AND a.late_until IS NOT NULL AND l.target_id IS NULL ORDER BY a.id`,
      [jobId],
    )) as { note_id: string; user_id: string; user_name: string | null; expired: boolean; last_order: string; desired: DesiredUser | null }[];
    return rows.flatMap((r) =>
      r.user_name ? [{ noteId: r.note_id, userId: r.user_id, userName: r.user_name, expired: r.expired, order: r.last_order, desired: r.desired }] : [],
    );
  }

  async memberships(jobId: string): Promise<DesiredMembership[]> {
    const rows = (await this.db.query(
      `SELECT user_id, group_ref, member FROM connector_desired_membership WHERE job_id = $1 ORDER BY group_key, user_id`,
      [jobId],
    )) as { user_id: string; group_ref: TargetGroupRef; member: boolean }[];
    return rows.map((r) => ({ userId: r.user_id, group: r.group_ref, member: r.member }));
  }
}

function withoutRedacted(desired: DesiredUser): Attributes | null {
  if (!desired.attributes) return null;
  return Object.fromEntries(Object.entries(desired.attributes).filter(([k]) => !desired.redacted.includes(k)));
}

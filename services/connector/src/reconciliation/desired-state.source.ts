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

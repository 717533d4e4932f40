import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TARGET_CONNECTOR, TargetError, type TargetConnector, type TargetGroupRef } from '../goto/target-connector';
import { groupKeyOf } from './group-membership.repository';

/**
 * GoTo's id of each group, per job, kept in PostgreSQL so every replica looks a group up once. A
 * group that is not there yet is created; a 409 on create means it was created meanwhile (by another
 * command, replica or admin) and is adopted, as accounts are.
 */
@Injectable()
export class TargetGroups {
  constructor(@Inject(TARGET_CONNECTOR) private readonly target: TargetConnector) {}

  /** The group's id; null when it does not exist and `create` is false. */
  async idOf(m: EntityManager, jobId: string, group: TargetGroupRef, create: boolean): Promise<string | null> {
    const [known] = (await m.query(`SELECT target_id FROM connector_target_group WHERE job_id = $1 AND group_key = $2`, [
      jobId,
      groupKeyOf(group),
    ])) as { target_id: string }[];
    if (known) return known.target_id;
    const found = (await this.target.findGroup(group.displayName)) ?? (create ? await this.createOrAdopt(group) : null);
    if (!found) return null;
    await m.query(
      `INSERT INTO connector_target_group (job_id, group_key, target_id) VALUES ($1, $2, $3)
       ON CONFLICT (job_id, group_key) DO UPDATE SET target_id = excluded.target_id`,
      [jobId, groupKeyOf(group), found.id],
    );
    return found.id;
  }

  /** GoTo no longer knows the id (the group was deleted there): the next use looks it up again. */
  async forget(m: EntityManager, jobId: string, group: TargetGroupRef): Promise<void> {
    await m.query(`DELETE FROM connector_target_group WHERE job_id = $1 AND group_key = $2`, [jobId, groupKeyOf(group)]);
  }

  private async createOrAdopt(group: TargetGroupRef): Promise<{ id: string }> {
    try {
      return await this.target.createGroup(group);
    } catch (error) {
      if (!(error instanceof TargetError && error.kind === 'conflict')) throw error;
      const existing = await this.target.findGroup(group.displayName);
      if (!existing) throw error;
      return existing;
    }
  }
}

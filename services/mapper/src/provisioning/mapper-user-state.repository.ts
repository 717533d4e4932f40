import { Injectable } from '@nestjs/common';
import type { ProvisionedState } from '@roster/mapping';
import type { EntityManager } from 'typeorm';

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
};

/** Per-user state; reading it takes the user's row lock, which is what orders work per user. */
@Injectable()
export class MapperUserStateRepository {
  async lock(m: EntityManager, jobId: string, userId: string): Promise<LockedUserState> {
    await m.query(`INSERT INTO mapper_user_state (job_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [jobId, userId]);
    const [r] = (await m.query(
      `SELECT last_order::text, provisioned, active, target, matching, assigned, source, groups FROM mapper_user_state
        WHERE job_id = $1 AND user_id = $2 FOR UPDATE`,
      [jobId, userId],
    )) as Row[];
    return {
      lastOrder: r.last_order,
      provisioned: r.provisioned,
      active: r.active,
      target: r.target,
      matching: r.matching,
      assigned: r.assigned,
      source: r.source,
      groups: r.groups,
    };
  }

  async save(m: EntityManager, jobId: string, userId: string, order: string, s: ProvisionedState): Promise<void> {
    await m.query(
      `UPDATE mapper_user_state SET last_order = greatest(last_order, $3::bigint), provisioned = $4, active = $5, target = $6,
         matching = $7, assigned = $8, source = $9, groups = $10, updated_at = now()
        WHERE job_id = $1 AND user_id = $2`,
      [
        jobId,
        userId,
        order,
        s.provisioned,
        s.active,
        JSON.stringify(s.target),
        JSON.stringify(s.matching),
        s.assigned,
        s.source === null ? null : JSON.stringify(s.source),
        JSON.stringify(s.groups),
      ],
    );
  }
}

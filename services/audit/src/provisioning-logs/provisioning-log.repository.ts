import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { AuditRecord, ProvisioningLogQuery } from '@roster/contracts';
import { Brackets, Repository } from 'typeorm';
import { decodeCursor, encodeCursor } from './log-cursor';
import { ProvisioningLogEntity } from './provisioning-log.entity';

export interface ProvisioningLogPage {
  items: ProvisioningLogEntity[];
  nextCursor: string | null;
}

@Injectable()
export class ProvisioningLogRepository {
  constructor(@InjectRepository(ProvisioningLogEntity) private readonly repo: Repository<ProvisioningLogEntity>) {}

  /**
   * One multi-row insert; a record already stored (redelivered job) is ignored, so each is logged
   * once. The rows travel as one JSON parameter: a query builder with 20 parameters per row spends
   * more time assembling a 500-row statement than PostgreSQL spends storing it.
   */
  async insertMany(records: AuditRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.repo.query(
      `INSERT INTO provisioning_log (id, occurred_at, service, provisioning_job_id, correlation_id, message_id, action, step, status,
         reason, source_id, source_display_name, target_id, target_user_name, attempt, before, after, details, error)
       SELECT id, occurred_at, service, provisioning_job_id, correlation_id, message_id, action, step, status,
         reason, source_id, source_display_name, target_id, target_user_name, attempt, before, after, details, error
         FROM jsonb_to_recordset($1::jsonb) AS r(id text, occurred_at timestamptz, service text, provisioning_job_id text,
           correlation_id text, message_id text, action text, step text, status text, reason text, source_id text,
           source_display_name text, target_id text, target_user_name text, attempt int, before jsonb, after jsonb,
           details jsonb, error jsonb)
       ON CONFLICT (id) DO NOTHING`,
      [JSON.stringify(records.map(toRow))],
    );
  }

  async findById(id: string): Promise<ProvisioningLogEntity | null> {
    return this.repo.findOneBy({ id });
  }

  /** Newest first, keyset-paginated so deep pages cost the same as the first. */
  async query(q: ProvisioningLogQuery): Promise<ProvisioningLogPage> {
    const qb = this.repo.createQueryBuilder('l');
    if (q.userId) {
      qb.andWhere(
        new Brackets((w) =>
          w
            .where('l.source_id = :user', { user: q.userId })
            .orWhere('l.target_id = :user')
            .orWhere('lower(l.target_user_name) = lower(:user)'),
        ),
      );
    }
    const equals: [keyof ProvisioningLogQuery, string][] = [
      ['action', 'action'],
      ['status', 'status'],
      ['step', 'step'],
      ['service', 'service'],
      ['provisioningJobId', 'provisioning_job_id'],
      ['correlationId', 'correlation_id'],
    ];
    for (const [field, column] of equals) {
      if (q[field] !== undefined) qb.andWhere(`l.${column} = :${field}`, { [field]: q[field] });
    }
    if (q.from) qb.andWhere('l.occurred_at >= :from', { from: q.from });
    if (q.to) qb.andWhere('l.occurred_at <= :to', { to: q.to });
    if (q.cursor) {
      const c = decodeCursor(q.cursor);
      qb.andWhere('(l.occurred_at, l.id) < (:cAt, :cId)', { cAt: c.occurredAt, cId: c.id });
    }
    const rows = await qb
      .orderBy('l.occurred_at', 'DESC')
      .addOrderBy('l.id', 'DESC')
      .take(q.limit + 1)
      .getMany();
    const items = rows.slice(0, q.limit);
    const last = items.at(-1);
    return {
      items,
      nextCursor: rows.length > q.limit && last ? encodeCursor({ occurredAt: last.occurredAt.toISOString(), id: last.id }) : null,
    };
  }
}

/** The record as a row of provisioning_log (snake_case columns, absent values as null). */
function toRow(r: AuditRecord): Record<string, unknown> {
  return {
    id: r.id,
    occurred_at: r.occurredAt,
    service: r.service,
    provisioning_job_id: r.provisioningJobId,
    correlation_id: r.correlationId,
    message_id: r.messageId ?? null,
    action: r.action,
    step: r.step,
    status: r.status,
    reason: r.reason ?? null,
    source_id: r.source?.id ?? null,
    source_display_name: r.source?.displayName ?? null,
    target_id: r.target?.id ?? null,
    target_user_name: r.target?.userName ?? null,
    attempt: r.attempt ?? null,
    before: r.before ?? null,
    after: r.after ?? null,
    details: r.details ?? null,
    error: r.error ?? null,
  };
}

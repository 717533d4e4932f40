import { Inject, Injectable, Logger } from '@nestjs/common';
import { AssignmentChangeType as T, QueueName, type AssignmentChangeEvent } from '@roster/contracts';
import { assignmentChangeBatches, producerToken, type MessageProducer } from '@roster/platform';
import { DataSource } from 'typeorm';
import { DeletionGuardService } from '../deletion-guard/deletion-guard.service';
import { MappingConfigRepository } from './mapping-config.repository';

const PAGE = 1000;

/**
 * A changed mapping or scoping filter re-decides every user of the job, as Entra's full resync does,
 * but from the state the mapper saved, without reading the directory again. It is queued as one
 * `user.reevaluate` event per user (ids derived from the version, so a resumed run adds nothing twice)
 * and counted as a cycle of its own against the deletion threshold. Users whose last command was
 * dead-lettered are re-decided with their whole state, so a fixed mapping reaches them even when
 * none of their mapped values changed.
 */
@Injectable()
export class RescopeService {
  private readonly logger = new Logger(RescopeService.name);

  constructor(
    private readonly db: DataSource,
    private readonly jobs: MappingConfigRepository,
    private readonly guard: DeletionGuardService,
    @Inject(producerToken(QueueName.AssignmentChanges))
    private readonly events: MessageProducer<typeof QueueName.AssignmentChanges>,
  ) {}

  async run(jobId: string, version: number, threshold: number | null): Promise<number> {
    let after = '';
    let count = 0;
    for (;;) {
      const rows = (await this.db.query(
        `SELECT user_id FROM mapper_user_state WHERE job_id = $1 AND user_id > $2 AND (assigned OR provisioned OR failed_command IS NOT NULL)
          ORDER BY user_id LIMIT $3`,
        [jobId, after, PAGE],
      )) as { user_id: string }[];
      if (rows.length === 0) break;
      await this.events.sendMany(assignmentChangeBatches(rows.map((r) => reevaluate(jobId, r.user_id, version))));
      count += rows.length;
      after = rows.at(-1)!.user_id;
    }
    await this.guard.expect(jobId, `rescope-${version}`, count, threshold);
    await this.jobs.markRescoped(jobId, version);
    this.logger.log({ jobId, version, users: count }, 're-evaluation of every user queued');
    return count;
  }
}

function reevaluate(jobId: string, userId: string, version: number): AssignmentChangeEvent {
  const key = `${jobId}/reevaluate/v${version}/${userId}`;
  return {
    version: 1,
    type: T.UserReevaluate,
    idempotencyKey: key,
    correlationId: key,
    provisioningJobId: jobId,
    occurredAt: new Date().toISOString(),
    source: { kind: 'roster', order: '0' },
    userId,
    configVersion: version,
  };
}

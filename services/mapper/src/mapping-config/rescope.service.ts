import { Inject, Injectable, Logger } from '@nestjs/common';
import { AssignmentChangeType as T, QueueName, type AssignmentChangeEvent } from '@roster/contracts';
import { BacklogGate, MetricsService, REDIS, SERVICE_CONFIG, assignmentChangeBatches, pipelineBacklog, producerToken, type MessageProducer } from '@roster/platform';
import type IORedis from 'ioredis';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import type { MapperConfig } from '../config/mapper.config';
import { DeletionGuardService } from '../deletion-guard/deletion-guard.service';
import { MappingConfigRepository } from './mapping-config.repository';

const PAGE = 1000;

/**
 * A changed mapping or scoping filter re-decides every user of the job, as Entra's full resync does,
 * but from the state the mapper saved, without reading the directory again. It is queued as one
 * `user.reevaluate` event per user (ids derived from the version, so a resumed run adds nothing twice)
 * and counted as a cycle of its own against the deletion threshold. Users whose last command was
 * dead-lettered are re-decided with their whole state, so a fixed mapping reaches them even when
 * none of their mapped values changed. A page waits while more than RESCOPE_BACKLOG_LIMIT batches wait
 * downstream, so re-deciding a large job does not put all its users' events and commands in Redis.
 */
@Injectable()
export class RescopeService {
  private readonly logger = new Logger(RescopeService.name);
  /** The backlog gate of each job being re-evaluated. */
  private readonly running = new Map<string, BacklogGate>();

  constructor(
    private readonly db: DataSource,
    private readonly jobs: MappingConfigRepository,
    private readonly guard: DeletionGuardService,
    @Inject(producerToken(QueueName.AssignmentChanges))
    private readonly events: MessageProducer<typeof QueueName.AssignmentChanges>,
    @Inject(REDIS) private readonly redis: IORedis,
    @Inject(SERVICE_CONFIG) private readonly config: MapperConfig,
    metrics: MetricsService,
  ) {
    const holding: Gauge<'provisioning_job'> = new Gauge({
      name: 'roster_rescope_backlog_holding',
      help: '1 while a re-evaluation of every user waits for the backlog downstream to drain below RESCOPE_BACKLOG_LIMIT',
      labelNames: ['provisioning_job'] as const,
      registers: [metrics.registry],
      collect: () => {
        holding.reset();
        for (const [jobId, gate] of this.running) holding.set({ provisioning_job: jobId }, gate.holding ? 1 : 0);
      },
    });
  }

  async run(jobId: string, version: number, threshold: number | null): Promise<number> {
    const gate = new BacklogGate(pipelineBacklog(this.redis, this.config.QUEUE_PREFIX, jobId), this.config.RESCOPE_BACKLOG_LIMIT);
    this.running.set(jobId, gate);
    try {
      return await this.queueAll(jobId, version, threshold, gate);
    } finally {
      if (this.running.get(jobId) === gate) this.running.delete(jobId);
    }
  }

  private async queueAll(jobId: string, version: number, threshold: number | null, gate: BacklogGate): Promise<number> {
    let after = '';
    let count = 0;
    for (;;) {
      await gate.admit();
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

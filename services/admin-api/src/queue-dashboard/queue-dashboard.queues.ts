import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { InjectBullBoard, type BullBoardInstance } from '@bull-board/nestjs';
import { QueueName, jobCommandQueueName } from '@roster/contracts';
import { ProvisioningJobRecords, SERVICE_CONFIG, redisOptionsOf, type BaseConfig } from '@roster/platform';
import { Queue } from 'bullmq';

/**
 * The queues the dashboard shows: every queue of the contracts and each provisioning job's command
 * queue, under the installation's prefix. The admin API produces to none of them, so it opens
 * handles of its own. Read-only: retrying or removing a job here would bypass the dead-letter
 * re-drive and the provisioning log; those actions go through the job actions.
 */
@Injectable()
export class QueueDashboardQueues implements OnApplicationShutdown {
  private readonly queues = new Map<string, Queue>();
  private syncing: Promise<void> | undefined;

  constructor(
    @InjectBullBoard() private readonly board: BullBoardInstance,
    private readonly jobs: ProvisioningJobRecords,
    @Inject(SERVICE_CONFIG) private readonly config: BaseConfig,
  ) {}

  /** Adds the queues of new jobs and drops those of deleted ones; concurrent calls share one pass. */
  sync(): Promise<void> {
    this.syncing ??= this.syncOnce().finally(() => (this.syncing = undefined));
    return this.syncing;
  }

  private async syncOnce(): Promise<void> {
    const jobIds = [...(await this.jobs.revisions()).keys()];
    const names = new Set<string>([...Object.values(QueueName), ...jobIds.map(jobCommandQueueName)]);
    for (const name of names) {
      if (this.queues.has(name)) continue;
      const queue = new Queue(name, { connection: redisOptionsOf(this.config), prefix: this.config.QUEUE_PREFIX });
      this.queues.set(name, queue);
      this.board.addQueue(new BullMQAdapter(queue, { readOnlyMode: true }));
    }
    for (const [name, queue] of this.queues) {
      if (names.has(name)) continue;
      this.board.removeQueue(name);
      this.queues.delete(name);
      await queue.close();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.syncing;
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}

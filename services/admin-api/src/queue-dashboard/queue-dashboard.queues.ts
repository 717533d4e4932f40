import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { InjectBullBoard, type BullBoardInstance } from '@bull-board/nestjs';
import { QueueName } from '@roster/contracts';
import { SERVICE_CONFIG, redisOptionsFromUrl, type BaseConfig } from '@roster/platform';
import { Queue } from 'bullmq';

/**
 * Shows every queue of the pipeline, under the installation's prefix. The admin API produces to none
 * of them, so it opens handles of its own. Read-only: retrying or removing a job here would bypass
 * the dead-letter re-drive and the provisioning log; those actions go through the job actions.
 */
@Injectable()
export class QueueDashboardQueues implements OnModuleInit, OnApplicationShutdown {
  private readonly queues: Queue[];

  constructor(@InjectBullBoard() private readonly board: BullBoardInstance, @Inject(SERVICE_CONFIG) config: BaseConfig) {
    const connection = redisOptionsFromUrl(config.REDIS_URL);
    this.queues = Object.values(QueueName).map((name) => new Queue(name, { connection, prefix: config.QUEUE_PREFIX }));
  }

  onModuleInit(): void {
    for (const queue of this.queues) this.board.addQueue(new BullMQAdapter(queue, { readOnlyMode: true }));
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.queues.map((q) => q.close()));
  }
}

import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { jobCommandQueueName } from '@roster/contracts';
import { SERVICE_CONFIG, Tracing, redisOptionsOf } from '@roster/platform';
import { Queue } from 'bullmq';
import type { ConnectorConfig } from '../config/connector.config';

/** Handles on the provisioning jobs' own command queues (see jobCommandQueueName), opened when first needed. */
@Injectable()
export class JobCommandQueues implements OnApplicationShutdown {
  private readonly queues = new Map<string, Queue>();

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ConnectorConfig,
    private readonly tracing: Tracing,
  ) {}

  of(provisioningJobId: string): Queue {
    let queue = this.queues.get(provisioningJobId);
    if (!queue) {
      // With tracing on, a command moved here from the intake carries its trace on.
      queue = new Queue(jobCommandQueueName(provisioningJobId), {
        connection: redisOptionsOf(this.config),
        prefix: this.config.QUEUE_PREFIX,
        telemetry: this.tracing.bullmq,
      });
      this.queues.set(provisioningJobId, queue);
    }
    return queue;
  }

  /** The queue of the job this connector runs (PROVISIONING_JOB_ID). */
  own(): Queue {
    return this.of(this.config.PROVISIONING_JOB_ID);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
  }
}

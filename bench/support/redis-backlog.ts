import IORedis from 'ioredis';
import { jobCommandQueueName, QueueName } from '@roster/contracts';
import { waitingJobs } from '@roster/platform';

/**
 * The most a sync made Redis hold, sampled with the services' other figures: its used_memory (the
 * data itself, where the process's RSS also keeps what an earlier phase of the bench freed) and
 * the batches waiting in each queue (the connector's intake and the job's own queue as one).
 */
export class RedisBacklog {
  private readonly redis: IORedis;
  private readonly queues: [string, string[]][];
  peakUsedBytes = 0;
  readonly peakWaiting = new Map<string, number>();

  constructor(url: string, private readonly prefix: string, provisioningJobId: string) {
    this.redis = new IORedis(url, { maxRetriesPerRequest: 1 });
    this.queues = [
      [QueueName.AssignmentChanges, [QueueName.AssignmentChanges]],
      [QueueName.ProvisioningCommands, [QueueName.ProvisioningCommands, jobCommandQueueName(provisioningJobId)]],
      [QueueName.AuditRecords, [QueueName.AuditRecords]],
    ];
  }

  async sample(): Promise<void> {
    const used = /^used_memory:(\d+)/m.exec(await this.redis.info('memory'))?.[1];
    this.peakUsedBytes = Math.max(this.peakUsedBytes, Number(used ?? 0));
    for (const [name, queues] of this.queues) {
      this.peakWaiting.set(name, Math.max(this.peakWaiting.get(name) ?? 0, await waitingJobs(this.redis, this.prefix, queues)));
    }
  }

  close(): void {
    this.redis.disconnect();
  }
}

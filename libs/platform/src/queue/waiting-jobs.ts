import type IORedis from 'ioredis';
import { QueueName, jobCommandQueueName } from '@roster/contracts';
import { bullmqKey } from './bullmq-keys';

/**
 * Jobs waiting to be taken in the given queues (the `wait` list and the `prioritized` set), read in
 * one round trip. Delayed jobs (retries, deferrals) and active ones are not counted: they are
 * already being dealt with, and a producer that waited for them would wait on GoTo's outages.
 */
export async function waitingJobs(redis: IORedis, prefix: string, queues: readonly string[]): Promise<number> {
  const pipeline = redis.pipeline();
  for (const queue of queues) pipeline.llen(bullmqKey(prefix, queue, 'wait')).zcard(bullmqKey(prefix, queue, 'prioritized'));
  const replies = (await pipeline.exec()) ?? [];
  const failed = replies.find(([error]) => error);
  if (failed) throw failed[0];
  return replies.reduce((sum, [, n]) => sum + Number(n), 0);
}

/**
 * What waits downstream of a provisioning job's changes: events for the mapper, and the job's
 * commands for the connector (its intake and the job's own queue, see jobCommandQueueName). A
 * producer of a job's changes holds back while this is over its limit (see BacklogGate).
 */
export function pipelineBacklog(redis: IORedis, prefix: string, provisioningJobId: string): () => Promise<number> {
  const queues = [QueueName.AssignmentChanges, QueueName.ProvisioningCommands, jobCommandQueueName(provisioningJobId)];
  return () => waitingJobs(redis, prefix, queues);
}

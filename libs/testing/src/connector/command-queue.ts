import { Queue } from 'bullmq';
import { QueueName, jobCommandQueueName, type ProvisioningCommand } from '@roster/contracts';
import { jobOptions, provisioningCommandBatches, redisOptionsFromUrl } from '@roster/platform';
import { TEST_JOB_ID } from '../factories/a-command';
import { TEST_REDIS_URL } from '../test-environment';

const COMMANDS = QueueName.ProvisioningCommands;

/** The provisioning-commands intake under a test's queue prefix: where the mapper puts commands. */
export function commandQueue(prefix: string): Queue {
  return new Queue(COMMANDS, { connection: redisOptionsFromUrl(TEST_REDIS_URL), prefix });
}

/** One provisioning job's own command queue, which its connector's worker consumes (see CommandDispatcher). */
export function jobCommandQueue(prefix: string, provisioningJobId = TEST_JOB_ID): Queue {
  return new Queue(jobCommandQueueName(provisioningJobId), { connection: redisOptionsFromUrl(TEST_REDIS_URL), prefix });
}

/** Puts commands on the queue exactly as the mapper's producer does (the same batches, job ids and options). */
export async function pushCommands(queue: Queue, commands: ProvisioningCommand[]): Promise<void> {
  await queue.addBulk(provisioningCommandBatches(commands).map((batch) => ({ name: COMMANDS, data: batch, opts: jobOptions(COMMANDS, batch.id) })));
}

/** True when no command is waiting, delayed or being executed in any of the queues (the intake and jobs' queues). */
export async function commandsSettled(...queues: Queue[]): Promise<boolean> {
  const counts = await Promise.all(queues.map((q) => q.getJobCounts('waiting', 'active', 'delayed', 'prioritized')));
  return counts.every((c) => Object.values(c).every((n) => n === 0));
}

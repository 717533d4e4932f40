import { Queue } from 'bullmq';
import { QueueName, type ProvisioningCommand } from '@roster/contracts';
import { jobOptions, redisOptionsFromUrl } from '@roster/platform';
import { TEST_REDIS_URL } from '../test-environment';

const COMMANDS = QueueName.ProvisioningCommands;

/** The provisioning-commands queue under a test's queue prefix. */
export function commandQueue(prefix: string): Queue {
  return new Queue(COMMANDS, { connection: redisOptionsFromUrl(TEST_REDIS_URL), prefix });
}

/** Puts commands on the queue exactly as the mapper's producer does (same job ids and options). */
export async function pushCommands(queue: Queue, commands: ProvisioningCommand[]): Promise<void> {
  for (let i = 0; i < commands.length; i += 1000) {
    await queue.addBulk(
      commands.slice(i, i + 1000).map((c) => ({ name: c.type, data: c, opts: jobOptions(COMMANDS, c.idempotencyKey) })),
    );
  }
}

/** True when no command is waiting, delayed or being executed. */
export async function commandsSettled(queue: Queue): Promise<boolean> {
  const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
  return Object.values(counts).every((n) => n === 0);
}

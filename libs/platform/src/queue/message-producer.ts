import type { Queue } from 'bullmq';
import { parseContract, queueContracts, type QueueMessage, type QueueName } from '@roster/contracts';
import { MicroBatcher } from '../batching/micro-batcher';
import { jobOptions } from './job-options';

const MAX_BULK = 500;

/**
 * The only way a service puts a message on a queue: the message is checked against the queue's
 * contract first, and messages produced close together go to Redis in one `addBulk`.
 */
export class MessageProducer<Q extends QueueName> {
  private readonly batcher: MicroBatcher<QueueMessage<Q>>;

  /** `generation` says which queue generation job ids belong to (see jobIdFor); it may wait for the first check. */
  constructor(
    readonly queueName: Q,
    private readonly queue: Queue,
    private readonly generation: () => Promise<number> = async () => 1,
  ) {
    this.batcher = new MicroBatcher((messages) => this.addBulk(messages), { maxItems: MAX_BULK, lingerMs: 2 });
  }

  send(message: QueueMessage<Q>): Promise<void> {
    return this.batcher.add(this.check(message));
  }

  sendMany(messages: QueueMessage<Q>[]): Promise<void> {
    return this.batcher.addMany(messages.map((m) => this.check(m)));
  }

  /** Puts one message on the queue to be taken no sooner than `delayMs` from now (a retry on its own). */
  async sendLater(message: QueueMessage<Q>, delayMs: number): Promise<void> {
    const { name, data, opts } = this.toJob(this.check(message), await this.generation());
    await this.queue.add(name, data, { ...opts, delay: delayMs });
  }

  drain(): Promise<void> {
    return this.batcher.drain();
  }

  private check(message: QueueMessage<Q>): QueueMessage<Q> {
    return parseContract(`${this.queueName} message`, queueContracts[this.queueName], message) as QueueMessage<Q>;
  }

  private async addBulk(messages: QueueMessage<Q>[]): Promise<void> {
    const generation = await this.generation();
    await this.queue.addBulk(messages.map((m) => this.toJob(m, generation)));
  }

  private toJob(message: QueueMessage<Q>, generation: number) {
    const { idempotencyKey, type } = message as { idempotencyKey?: string; id?: string; type?: string };
    const key = idempotencyKey ?? (message as { id: string }).id;
    return { name: type ?? this.queueName, data: message, opts: jobOptions(this.queueName, key, generation) };
  }
}

export function producerToken(queue: QueueName): string {
  return `roster:producer:${queue}`;
}

import type { Queue } from 'bullmq';
import { parseContract, queueContracts, type QueueMessage, type QueueName } from '@roster/contracts';
import { MicroBatcher } from '../batching/micro-batcher';
import type { Tracing } from '../observability/tracing';
import { jobOptions } from './job-options';
import { RecentJobs } from './recent-jobs';

const MAX_BULK = 500;
/** Longer than what a Redis with `appendfsync everysec` loses when killed (about a second, two at worst). */
const RESEND_WINDOW_MS = 5000;

type QueuedJob = { name: string; data: unknown; opts: ReturnType<typeof jobOptions> };
/** A message and the trace it was sent from (BullMQ's propagation metadata), absent when tracing is off. */
type Outgoing<Q extends QueueName> = { message: QueueMessage<Q>; trace: string | undefined };

/**
 * The only way a service puts a message on a queue: the message is checked against the queue's
 * contract first, and messages produced close together go to Redis in one `addBulk`.
 */
export class MessageProducer<Q extends QueueName> {
  private readonly batcher: MicroBatcher<Outgoing<Q>>;
  private readonly recent = new RecentJobs<QueuedJob>(RESEND_WINDOW_MS);

  /** `generation` says which queue generation job ids belong to (see jobIdFor); it may wait for the first check. */
  constructor(
    readonly queueName: Q,
    private readonly queue: Queue,
    private readonly generation: () => Promise<number> = async () => 1,
    private readonly tracing?: Tracing,
  ) {
    this.batcher = new MicroBatcher((messages) => this.addBulk(messages), { maxItems: MAX_BULK, lingerMs: 2 });
  }

  send(message: QueueMessage<Q>): Promise<void> {
    return this.sendMany([message]);
  }

  sendMany(messages: QueueMessage<Q>[]): Promise<void> {
    const trace = this.tracing?.propagationMetadata();
    return this.batcher.addMany(messages.map((m) => ({ message: this.check(m), trace })));
  }

  /** Puts one message on the queue to be taken no sooner than `delayMs` from now (a retry on its own); answers its job id. */
  async sendLater(message: QueueMessage<Q>, delayMs: number): Promise<string> {
    const job = this.toJob({ message: this.check(message), trace: this.tracing?.propagationMetadata() }, await this.generation());
    const later = { ...job, opts: { ...job.opts, delay: delayMs } };
    await this.queue.add(later.name, later.data, later.opts);
    this.recent.add([later]);
    return later.opts.jobId!;
  }

  /**
   * Puts the jobs of the last few seconds on the queue again, after Redis restarted and may have lost
   * them (see RecentJobs); a job Redis kept is not added twice.
   */
  async resendRecent(): Promise<number> {
    const jobs = this.recent.all();
    for (let i = 0; i < jobs.length; i += MAX_BULK) await this.queue.addBulk(jobs.slice(i, i + MAX_BULK));
    return jobs.length;
  }

  drain(): Promise<void> {
    return this.batcher.drain();
  }

  private check(message: QueueMessage<Q>): QueueMessage<Q> {
    return parseContract(`${this.queueName} message`, queueContracts[this.queueName], message) as QueueMessage<Q>;
  }

  private async addBulk(messages: Outgoing<Q>[]): Promise<void> {
    const generation = await this.generation();
    const jobs = messages.map((m) => this.toJob(m, generation));
    await this.queue.addBulk(jobs);
    this.recent.add(jobs);
  }

  private toJob({ message, trace }: Outgoing<Q>, generation: number): QueuedJob {
    const { idempotencyKey, type, priorAttempts } = message as { idempotencyKey?: string; id?: string; type?: string; priorAttempts?: number };
    const key = idempotencyKey ?? (message as { id: string }).id;
    const opts = jobOptions(this.queueName, key, generation, priorAttempts);
    return { name: type ?? this.queueName, data: message, opts: trace === undefined ? opts : { ...opts, telemetry: { metadata: trace } } };
  }
}

export function producerToken(queue: QueueName): string {
  return `roster:producer:${queue}`;
}

import type { INestApplication } from '@nestjs/common';
import { Queue } from 'bullmq';
import { QueueName, subjectIdOf, type AssignmentChangeBatch, type AssignmentChangeEvent } from '@roster/contracts';
import { createServiceApp, redisOptionsFromUrl } from '@roster/platform';
import { TEST_REDIS_URL, TestEnvironment, freePort, getJson, waitFor } from '@roster/testing';
import { WatcherAppModule } from '../../services/directory-watcher/src/app.module';

export type UserEvent = Extract<AssignmentChangeEvent, { user: unknown }>;

/**
 * One directory watcher alone, in its own schema and queue prefix, restartable with other
 * settings on the same port; the assignment-changes queue is where its events are checked.
 */
export class WatcherUnderTest {
  readonly env = new TestEnvironment();
  readonly port = freePort();
  app?: INestApplication;
  private queue?: Queue;

  constructor(protected readonly settings: Record<string, string> = {}) {}

  get url(): Promise<string> {
    return this.port.then((port) => `http://127.0.0.1:${port}`);
  }

  /** Variables of the directory source under test, applied over `settings`. */
  protected async sourceEnv(): Promise<Record<string, string>> {
    return {};
  }

  async start(overrides: Record<string, string> = {}): Promise<void> {
    this.queue ??= new Queue(QueueName.AssignmentChanges, {
      connection: redisOptionsFromUrl(TEST_REDIS_URL),
      prefix: this.env.queuePrefix,
    });
    // Nothing consumes its events, so they all wait: the watcher must not hold back for them (see WATCH_BACKLOG_LIMIT).
    const env = { WATCH_POLL_INTERVAL_MS: '100', WATCH_BACKLOG_LIMIT: '100000', ...this.settings, ...(await this.sourceEnv()), ...overrides };
    this.app = await createServiceApp(WatcherAppModule.forRoot(this.env.env(env)));
    await this.app.listen(await this.port, '127.0.0.1');
  }

  async stop(): Promise<void> {
    await this.app?.close();
    this.app = undefined;
  }

  async dispose(): Promise<void> {
    await this.stop();
    await this.queue?.close();
    await this.env.dispose();
  }

  async events(): Promise<AssignmentChangeEvent[]> {
    const jobs = await this.queue!.getJobs(['wait', 'prioritized', 'delayed', 'active', 'completed', 'failed'], 0, -1);
    return jobs
      .flatMap((job) => (job.data as AssignmentChangeBatch).events)
      .sort((a, b) => Number(BigInt(a.source.order) - BigInt(b.source.order)));
  }

  async eventsOf(userId: string): Promise<UserEvent[]> {
    return (await this.events()).filter((e): e is UserEvent => 'user' in e && subjectIdOf(e) === userId);
  }

  async typesOf(userId: string): Promise<string[]> {
    return (await this.eventsOf(userId)).map((e) => e.type);
  }

  /** Waits until `userId` has exactly the `expected` event types, in order, and returns the events. */
  async expectEvents(userId: string, expected: string[], timeoutMs = 10_000): Promise<UserEvent[]> {
    const matches = async () => JSON.stringify(await this.typesOf(userId)) === JSON.stringify(expected);
    await waitFor(matches, { what: `events ${expected.join(', ')} for ${userId}`, timeoutMs }).catch(async (error: Error) => {
      throw new Error(`${error.message}; have ${JSON.stringify(await this.typesOf(userId))}`);
    });
    return this.eventsOf(userId);
  }

  /**
   * The watcher has finished the cycle it was in: it leaves `idle` only for a cycle with work, so
   * after an event has come out this means the cycle that emitted it is complete.
   */
  async idle(): Promise<void> {
    const url = await this.url;
    await waitFor(async () => (await getJson<{ phase: string }>(`${url}/sync/status`)).body.phase === 'idle', { what: 'an idle watcher' });
  }
}

import { Injectable, Logger } from '@nestjs/common';
import type { Deferral, WorkerHolds } from '@roster/platform';
import { JobCommandQueues } from '../job-queues/job-command-queues';
import { CircuitBreaker } from './circuit-breaker';
import { QuarantineStore } from './quarantine-store';

/**
 * What the command worker sees of the quarantine: failures judged by the circuit breaker, commands
 * held while quarantined (paused worker, deferred commands remembered), and released as soon as the
 * quarantine ends. The gate itself is in front of every GoTo request (see GotoModule).
 */
@Injectable()
export class QuarantineGate {
  private readonly logger = new Logger(QuarantineGate.name);

  constructor(
    private readonly queues: JobCommandQueues,
    private readonly breaker: CircuitBreaker,
    private readonly store: QuarantineStore,
  ) {}

  judge(error: unknown): Promise<unknown> {
    return this.breaker.judge(error);
  }

  recordSuccess(): void {
    this.breaker.recordSuccess();
  }

  /** A command deferred by the quarantine is remembered, to run as soon as it ends. */
  async deferred(jobId: string, deferral: Deferral): Promise<void> {
    if (deferral.kind === 'quarantine') await this.store.hold(jobId);
  }

  /** While the job is quarantined the worker fetches nothing, rather than fetching commands only to defer them. */
  follow(holds: WorkerHolds): Promise<void> {
    const follow = async (quarantined: boolean) => {
      await holds.set('quarantine', quarantined);
      if (!quarantined) await this.releaseHeld().catch((error: unknown) => this.logger.warn({ err: (error as Error).message }, 'held commands wait out their delay instead'));
    };
    this.breaker.onChange((quarantined) => void follow(quarantined));
    return this.breaker.current ? follow(true) : Promise.resolve();
  }

  /**
   * A quarantine can end before the probe its commands were told to wait for (an admin's Test
   * Connection): they run now rather than when that probe would have been due.
   */
  private async releaseHeld(): Promise<void> {
    for (let ids = await this.store.takeHeld(500); ids.length > 0; ids = await this.store.takeHeld(500)) {
      // A command that ran meanwhile (its wait was over) is no longer delayed: nothing to promote.
      await Promise.all(ids.map(async (id) => (await this.queues.own().getJob(id))?.promote().catch(() => undefined)));
    }
  }
}

import type { Worker } from 'bullmq';

/**
 * Runs a worker only while nothing holds it (a job paused by its admin, a target in quarantine…):
 * each reason is held and released on its own, and the worker takes messages again only once every
 * reason is released. A held worker finishes the messages it has; the rest wait in the queue.
 */
export class WorkerHolds {
  private readonly reasons = new Set<string>();

  constructor(private readonly worker: Worker) {}

  get held(): boolean {
    return this.reasons.size > 0;
  }

  /** True when this call set the worker going again. */
  async set(reason: string, hold: boolean): Promise<boolean> {
    if (hold) this.reasons.add(reason);
    else this.reasons.delete(reason);
    if (this.worker.closing) return false;
    if (this.reasons.size > 0) {
      await this.worker.pause(true);
      return false;
    }
    if (!this.worker.isPaused()) return false;
    await this.worker.resume();
    return true;
  }
}

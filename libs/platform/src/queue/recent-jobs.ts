/**
 * The jobs a producer put on a queue during the last `windowMs` of its activity. Redis with AOF
 * synced every second loses up to a second or two of writes when it is killed, and the epoch stays:
 * nothing says which jobs went. Re-adding the recent ones after a restart brings them back; those
 * Redis kept have the same ids and are not added twice. The window is measured back from the newest
 * job, not from now, so a Redis that stays down for long still gets the jobs of its last seconds.
 */
export class RecentJobs<J> {
  private entries: { at: number; job: J }[] = [];

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  add(jobs: J[]): void {
    const at = this.now();
    for (const job of jobs) this.entries.push({ at, job });
    const oldest = this.entries.findIndex((e) => e.at >= at - this.windowMs);
    if (oldest > 0) this.entries = this.entries.slice(oldest);
  }

  all(): J[] {
    return this.entries.map((e) => e.job);
  }
}

import { CLOCK, type Clock } from '@roster/platform';
import { Inject, Injectable } from '@nestjs/common';
import type { SyncProgress } from '@roster/contracts';
import { changedNothing, syncProgressOf } from '@roster/provisioning-log';
import { CycleFactsRepository } from './cycle-facts.repository';

/** The window the processing rate is measured over. */
const RATE_WINDOW_MS = 60_000;
/** Enough cycles to find the last finished one behind a running one. */
const CYCLES = 3;
/** How far back the last cycle that changed anything is looked for: cycles that found nothing are cheap to skip. */
const CYCLES_SEARCHED_FOR_CHANGES = 50;

@Injectable()
export class SyncProgressService {
  constructor(
    private readonly facts: CycleFactsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async progress(jobId: string, rateLimitPerSecond: number): Promise<SyncProgress> {
    const now = new Date(this.clock());
    const [cycles, recentlyProcessed] = await Promise.all([
      this.facts.newest(jobId, CYCLES),
      this.facts.processedSince(jobId, new Date(now.getTime() - RATE_WINDOW_MS)),
    ]);
    const lastWithChanges = changedNothing(cycles) ? await this.facts.newestWithChanges(jobId, CYCLES_SEARCHED_FOR_CHANGES) : null;
    return syncProgressOf({ jobId, cycles, recentlyProcessed, windowMs: RATE_WINDOW_MS, rateLimitPerSecond, now, lastWithChanges });
  }
}

import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { CircuitBreaker } from '../quarantine/circuit-breaker';
import { QuarantineStore } from '../quarantine/quarantine-store';
import { TestConnectionService } from './test-connection.service';

/** How often each replica reads the shared quarantine state. */
const TICK_MS = 500;

/**
 * Keeps this replica's view of the quarantine current, and probes the target when a probe is due:
 * one replica at a time, so a probe is one Test Connection however many replicas run.
 */
@Injectable()
export class QuarantineProber implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(QuarantineProber.name);
  private timer: NodeJS.Timeout | undefined;
  private ticking = false;

  constructor(
    private readonly breaker: CircuitBreaker,
    private readonly store: QuarantineStore,
    private readonly testConnection: TestConnectionService,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), TICK_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  private async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      await this.breaker.refresh();
      const quarantine = this.breaker.current;
      if (quarantine && Date.now() >= quarantine.until) {
        await this.store.withProbeLock(() => this.testConnection.probe());
      }
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'quarantine check failed; trying again');
    } finally {
      this.ticking = false;
    }
  }
}

import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { Deferral, PermanentError, SERVICE_CONFIG, errorDetailsOf, errorMessage, retryAfterOf } from '@roster/platform';
import type { ConnectorConfig } from '../config/connector.config';
import { QuarantineAlerts, type QuarantineCause } from './quarantine-alerts';
import type { QuarantineKind, QuarantineState } from './quarantine-state';
import { QuarantineStore } from './quarantine-store';

type Listener = (quarantined: boolean) => void;

/** Successes are counted locally and added to the shared window this often: one Redis call, not one per command. */
const SUCCESS_FLUSH_MS = 250;

/**
 * The circuit breaker of the job's GoTo target. Commands report their outcomes; sustained transient
 * failures or one fatal error quarantine the job for every replica (state in Redis). While it is
 * quarantined no request goes to GoTo: the gate refuses from a local copy of the state, refreshed
 * by the prober, so checking costs nothing per request.
 */
@Injectable()
export class CircuitBreaker implements OnApplicationBootstrap {
  private state: QuarantineState | null = null;
  private readonly listeners: Listener[] = [];
  private successes = 0;
  private flushing: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: QuarantineStore,
    private readonly alerts: QuarantineAlerts,
    @Inject(SERVICE_CONFIG) private readonly config: ConnectorConfig,
  ) {}

  /** A replica starting while the job is quarantined must know before its worker takes a command. */
  async onApplicationBootstrap(): Promise<void> {
    await this.refresh();
  }

  get current(): QuarantineState | null {
    return this.state;
  }

  /** Called with true when the job enters quarantine and false when it leaves, as this replica learns it. */
  onChange(listener: Listener): void {
    this.listeners.push(listener);
  }

  /** While the job is quarantined: the wait for its next probe. */
  deferral(): Deferral | null {
    if (!this.state) return null;
    return new Deferral(`GoTo target quarantined (${this.state.reason})`, Math.max(0, this.state.until - Date.now()), 'quarantine');
  }

  /** The quarantine gate, passed by every request to GoTo: throws the deferral while the job is quarantined. */
  assertClosed(): void {
    const deferral = this.deferral();
    if (deferral) throw deferral;
  }

  /**
   * What a command's failure means beyond the command: a transient one counts towards quarantine
   * and a fatal one quarantines at once. The command waits rather than fails when GoTo asked for a
   * pause (429; the rate limiter has paused every replica) or the job is now quarantined.
   */
  async judge(error: unknown): Promise<unknown> {
    const details = errorDetailsOf(error);
    // Only the target's own errors tell about the target.
    if (details.kind === 'error' || error instanceof PermanentError) return error;
    const reason = errorMessage(error);
    if (details.status === 429) return new Deferral(`GoTo rate limit: ${reason}`, retryAfterOf(error) ?? 1000, 'rate-limit');
    if (details.kind === 'fatal') await this.tripFatal(reason, details);
    else if (details.kind === 'transient') await this.recordFailure(reason, details);
    return this.deferral() ?? error;
  }

  recordSuccess(): void {
    this.successes += 1;
    // A count lost to a Redis hiccup only makes the breaker a little quicker to trip; not worth failing for.
    this.flushing ??= setTimeout(() => void this.flushSuccesses().catch(() => undefined), SUCCESS_FLUSH_MS).unref();
  }

  /** A transient failure (5xx, timeout, connection refused; not 429, which the rate limiter handles). */
  async recordFailure(reason: string, cause: QuarantineCause): Promise<void> {
    await this.flushSuccesses();
    const { failures, successes } = await this.store.recordOutcome('fail');
    const { QUARANTINE_FAILURE_THRESHOLD: threshold, QUARANTINE_FAILURE_RATIO: ratio } = this.config;
    if (failures >= threshold && failures / (failures + successes) >= ratio) {
      await this.trip('failures', `${failures} of ${failures + successes} commands failed in ${this.config.QUARANTINE_WINDOW_MS} ms; last: ${reason}`, cause);
    }
  }

  /** GoTo refused the credentials or the admin rights: nothing can succeed until a human acts. */
  tripFatal(reason: string, cause?: QuarantineCause): Promise<void> {
    return this.trip('fatal', reason, cause);
  }

  async refresh(): Promise<void> {
    this.set(await this.store.read());
  }

  async probeFailed(state: QuarantineState, reason: string, fatal: boolean): Promise<void> {
    if (fatal) await this.trip('fatal', reason);
    await this.store.probeFailed(state, reason);
    await this.refresh();
  }

  async leave(state: QuarantineState, why: string): Promise<void> {
    const left = await this.store.leave(state);
    this.set(await this.store.read());
    if (left) await this.alerts.left(state, why);
  }

  private async flushSuccesses(): Promise<void> {
    clearTimeout(this.flushing);
    this.flushing = undefined;
    const count = this.successes;
    this.successes = 0;
    if (count > 0) await this.store.recordOutcome('ok', count);
  }

  private async trip(kind: QuarantineKind, reason: string, cause?: QuarantineCause): Promise<void> {
    const result = await this.store.enter(kind, reason);
    const state = await this.store.read();
    this.set(state);
    if (state && result !== 'already') await this.alerts.entered(state, cause);
  }

  private set(state: QuarantineState | null): void {
    const changed = (state === null) !== (this.state === null);
    this.state = state;
    if (changed) for (const listener of this.listeners) listener(state !== null);
  }
}

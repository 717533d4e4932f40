import { Logger } from '@nestjs/common';
import type { GraphClient, Subscription } from '@roster/graph-client';
import type { Server } from 'node:http';
import type { EntraChangeSignal } from './entra-change-signal';

const RESOURCES = ['users', 'groups'] as const;
/** Well inside Graph's 41,760-minute maximum for directory resources, and renewed a day ahead. */
const LIFETIME_MS = 3 * 24 * 3600_000;
const RENEW_AHEAD_MS = 24 * 3600_000;
const RETRY_MS = 30_000;
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Keeps one change-notification subscription each on users and groups while ENTRA_WEBHOOK_URL is
 * set: takes over the ones a previous run left (Graph caps subscriptions per app), creates what is
 * missing, renews before expiry, and reacts to lifecycle notifications. Notifications only wake
 * the watcher; delta queries stay the source of truth, and polling covers any gap.
 */
export class GraphSubscriptions {
  private readonly logger = new Logger(GraphSubscriptions.name);
  private readonly url: string;
  private readonly clientState: string;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  /** One subscription task at a time, so maintenance and lifecycle reactions never interleave. */
  private work: Promise<void> = Promise.resolve();

  constructor(
    private readonly graph: GraphClient,
    private readonly signal: EntraChangeSignal,
    webhook: { url: string; clientState: string },
  ) {
    this.url = webhook.url;
    this.clientState = webhook.clientState;
  }

  start(server: Server): void {
    // Graph validates the notification URL before creating a subscription: wait until it answers.
    if (server.listening) this.schedule(0);
    else server.once('listening', () => this.schedule(0));
  }

  /** Subscriptions outlive the process: the next run takes them over and polling covers the gap. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.work;
  }

  onLifecycleEvent(subscriptionId: string, event: string): void {
    this.logger.log({ subscriptionId, event }, 'Graph subscription lifecycle notification');
    if (event === 'missed') return this.signal.emit();
    if (event !== 'reauthorizationRequired' && event !== 'subscriptionRemoved') return;
    // Notifications were held or lost meanwhile, so catch up with delta once the subscription is back.
    this.run(async () => {
      await this.maintain(event === 'reauthorizationRequired' ? subscriptionId : undefined);
      this.signal.emit();
    });
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.run(() => this.maintain()), Math.min(Math.max(delayMs, 0), MAX_TIMER_MS));
  }

  private run(task: () => Promise<void>): void {
    this.work = this.work.then(async () => {
      if (this.stopped) return;
      try {
        await task();
      } catch (error) {
        this.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'Graph subscriptions not in place; retrying');
        this.schedule(RETRY_MS);
      }
    });
  }

  /** Ensures one live subscription per resource, renewing `renew` whatever its expiry; sleeps until the next renewal. */
  private async maintain(renew?: string): Promise<void> {
    const mine = (await this.graph.listSubscriptions()).filter((s) => s.notificationUrl === this.url);
    let nextRenewal = Infinity;
    for (const resource of RESOURCES) {
      const subscription = await this.ensure(resource, mine.filter((s) => s.resource === resource), renew);
      nextRenewal = Math.min(nextRenewal, Date.parse(subscription.expirationDateTime) - RENEW_AHEAD_MS);
    }
    this.schedule(nextRenewal - Date.now());
  }

  private async ensure(resource: (typeof RESOURCES)[number], existing: Subscription[], renew?: string): Promise<Subscription> {
    // One with another clientState was made before the secret rotated; its notifications would be ignored.
    const [current, ...surplus] = existing.filter((s) => s.clientState == null || s.clientState === this.clientState);
    for (const stale of [...surplus, ...existing.filter((s) => s.clientState != null && s.clientState !== this.clientState)]) {
      await this.graph.deleteSubscription(stale.id);
    }
    const expirationDateTime = new Date(Date.now() + LIFETIME_MS);
    if (!current) {
      const created = await this.graph.createSubscription({
        changeType: 'updated,deleted',
        notificationUrl: this.url,
        lifecycleNotificationUrl: this.url,
        resource,
        expirationDateTime,
        clientState: this.clientState,
      });
      this.logger.log({ resource, subscriptionId: created.id, expires: created.expirationDateTime }, 'Graph subscription created');
      return created;
    }
    if (current.id !== renew && Date.parse(current.expirationDateTime) - Date.now() > RENEW_AHEAD_MS) return current;
    const renewed = await this.graph.renewSubscription(current.id, expirationDateTime);
    this.logger.log({ resource, subscriptionId: renewed.id, expires: renewed.expirationDateTime }, 'Graph subscription renewed');
    return renewed;
  }
}

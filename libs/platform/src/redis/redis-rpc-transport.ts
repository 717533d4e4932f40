import { ClientRedis, ServerRedis } from '@nestjs/microservices';
import type IORedis from 'ioredis';
import { defer, first, mergeMap, repeat, timer, type Observable } from 'rxjs';
import { redisOptionsFromUrl, redisReconnectDelay, type RedisSentinel } from './redis-options';

/**
 * The Redis transport of @nestjs/microservices replaces any retryStrategy it is given with its own,
 * which gives up after `retryAttempts` (at once when unset: "No further reconnection attempts will be
 * made") or waits a fixed delay. Roster's RPC server and clients reconnect like every other Redis
 * connection instead: forever, with backoff, until they are closed on purpose.
 */
export class ReconnectingServerRedis extends ServerRedis {
  constructor(redisUrl: string, sentinel?: RedisSentinel) {
    super(rpcOptions(redisUrl, sentinel));
  }

  override createRetryStrategy(times: number): number | undefined {
    return this.isManuallyClosed ? undefined : redisReconnectDelay(times);
  }
}

/**
 * A call made while Redis is away is answered once it is back, as the server would answer it: not
 * with ClientRedis' "Connection lost. Trying to reconnect...", nor lost on a server that has not
 * subscribed again yet (the caller's own timeout bounds the wait).
 */
export class ReconnectingClientRedis extends ClientRedis {
  constructor(redisUrl: string, sentinel?: RedisSentinel) {
    super(rpcOptions(redisUrl, sentinel));
  }

  override createRetryStrategy(times: number): number | undefined {
    return this.isManuallyClosed ? undefined : redisReconnectDelay(times);
  }

  /** ClientRedis takes either connection's return for both, and fails while one is down: wait for both. */
  override async connect(): Promise<void> {
    if (!this.wasInitialConnectionSuccessful || !this.pubClient || !this.subClient) return super.connect();
    await Promise.all([this.pubClient, this.subClient].map(ready));
  }

  /**
   * A request published before the server has subscribed again after Redis came back reaches no one
   * and is never answered: the call waits, asking Redis with backoff, until the server listens.
   */
  override send<TResult = unknown, TInput = unknown>(pattern: unknown, data: TInput): Observable<TResult> {
    if (pattern === null || pattern === undefined) return super.send(pattern, data);
    const channel = this.getRequestPattern(this.normalizePattern(pattern as Parameters<ClientRedis['send']>[0]));
    return defer(async () => {
      await this.connect();
      const [, subscribers] = (await this.pubClient.pubsub('NUMSUB', channel)) as [string, number];
      return subscribers;
    }).pipe(
      repeat({ delay: (count) => timer(redisReconnectDelay(count)) }),
      first((subscribers) => subscribers > 0),
      mergeMap(() => super.send<TResult, TInput>(pattern, data)),
    );
  }
}

/** Resolves once `client` is ready; rejects if it is closed first. */
function ready(client: IORedis): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onReady = () => {
      client.off('end', onEnd);
      resolve();
    };
    const onEnd = () => {
      client.off('ready', onReady);
      reject(new Error('the RPC client was closed'));
    };
    client.once('ready', onReady).once('end', onEnd);
  });
}

/** ioredis' own per-request retries rather than BullMQ's unlimited ones: an RPC caller gets an error, not a wait without end. */
function rpcOptions(redisUrl: string, sentinel?: RedisSentinel) {
  return { ...redisOptionsFromUrl(redisUrl, sentinel), maxRetriesPerRequest: undefined };
}

import { ClientRedis, ServerRedis } from '@nestjs/microservices';
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

export class ReconnectingClientRedis extends ClientRedis {
  constructor(redisUrl: string, sentinel?: RedisSentinel) {
    super(rpcOptions(redisUrl, sentinel));
  }

  override createRetryStrategy(times: number): number | undefined {
    return this.isManuallyClosed ? undefined : redisReconnectDelay(times);
  }
}

/** ioredis' own per-request retries rather than BullMQ's unlimited ones: an RPC caller gets an error, not a wait without end. */
function rpcOptions(redisUrl: string, sentinel?: RedisSentinel) {
  return { ...redisOptionsFromUrl(redisUrl, sentinel), maxRetriesPerRequest: undefined };
}

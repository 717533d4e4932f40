import type { RedisOptions } from 'bullmq';

const FIRST_RECONNECT_MS = 100;
const LONGEST_RECONNECT_MS = 5000;

/**
 * Delay before reconnection attempt `times` (1, 2, …): doubling from 100 ms up to 5 s, with jitter so
 * that every service's clients do not knock on a restarted Redis at the same instant. Never gives up:
 * a Redis that comes back after an hour is used again without restarting anything.
 */
export function redisReconnectDelay(times: number, random: () => number = Math.random): number {
  const ceiling = Math.min(FIRST_RECONNECT_MS * 2 ** Math.max(0, times - 1), LONGEST_RECONNECT_MS);
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/** A Redis reached through Sentinel: the sentinels (`host:port,…`) and the name of the master they watch. */
export interface RedisSentinel {
  sentinels: string;
  master: string;
  password?: string;
}

/** The Sentinel settings of a service's configuration, when it names sentinels. */
export function redisSentinelOf(config: { REDIS_SENTINELS?: string; REDIS_SENTINEL_MASTER?: string; REDIS_SENTINEL_PASSWORD?: string }): RedisSentinel | undefined {
  if (!config.REDIS_SENTINELS || !config.REDIS_SENTINEL_MASTER) return undefined;
  return { sentinels: config.REDIS_SENTINELS, master: config.REDIS_SENTINEL_MASTER, password: config.REDIS_SENTINEL_PASSWORD };
}

/**
 * Options of every Redis connection Roster opens (BullMQ's, the plain client, the RPC transport).
 * BullMQ workers need `maxRetriesPerRequest: null` so a Redis blip pauses them instead of failing jobs.
 * With `sentinel`, the sentinels say which server is the master (and again after a failover); the
 * URL then gives only the master's credentials, database and TLS, not its host.
 */
export function redisOptionsFromUrl(redisUrl: string, sentinel?: RedisSentinel): RedisOptions {
  const url = new URL(redisUrl);
  const tls = url.protocol === 'rediss:' ? {} : undefined;
  const common: RedisOptions = {
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
    tls,
    maxRetriesPerRequest: null,
    retryStrategy: (times) => redisReconnectDelay(times),
  };
  if (!sentinel) return { ...common, host: url.hostname, port: url.port ? Number(url.port) : 6379 };
  return {
    ...common,
    name: sentinel.master,
    sentinels: sentinel.sentinels.split(',').map((address) => {
      const [host, port] = address.trim().split(':');
      return { host, port: Number(port) };
    }),
    sentinelPassword: sentinel.password,
    enableTLSForSentinelMode: tls !== undefined,
    sentinelRetryStrategy: (times: number) => redisReconnectDelay(times),
  };
}

/** The options of a service's Redis connections, from its configuration. */
export function redisOptionsOf(config: Parameters<typeof redisSentinelOf>[0] & { REDIS_URL: string }): RedisOptions {
  return redisOptionsFromUrl(config.REDIS_URL, redisSentinelOf(config));
}

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

/**
 * Options of every Redis connection Roster opens (BullMQ's, the plain client, the RPC transport).
 * BullMQ workers need `maxRetriesPerRequest: null` so a Redis blip pauses them instead of failing jobs.
 */
export function redisOptionsFromUrl(redisUrl: string): RedisOptions {
  const url = new URL(redisUrl);
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : 6379,
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
    tls: url.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
    retryStrategy: (times) => redisReconnectDelay(times),
  };
}

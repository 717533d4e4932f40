import { Inject, Injectable } from '@nestjs/common';
import { connectorTestConnectionReplySchema, type ConnectorTestConnectionReply } from '@roster/contracts';
import { REDIS, SERVICE_CONFIG } from '@roster/platform';
import type IORedis from 'ioredis';
import type { ConnectorConfig } from '../config/connector.config';
import { connectorKey } from '../redis/connector-keys';
import { RedisScript } from '../redis/redis-script';

/** Takes the job's Test Connection slot, or answers how long it is still taken and what the last run said. */
const CLAIM = new RedisScript<[number] | [number, number, string]>(`if redis.call('SET', KEYS[1], '', 'NX', 'PX', ARGV[1]) then return {1} end
return {0, redis.call('PTTL', KEYS[1]), redis.call('GET', KEYS[1]) or ''}`);

export type TestConnectionClaim = { claimed: true } | { claimed: false; retryAfterMs: number; last?: ConnectorTestConnectionReply };

/**
 * At most one admin Test Connection per job every TEST_CONNECTION_INTERVAL_MS, across replicas: each
 * one spends requests from the GoTo rate limit that provisioning shares. The slot's key holds the
 * reply of the run that took it, so a caller turned away learns what that run found.
 */
@Injectable()
export class TestConnectionThrottle {
  private readonly key: string;

  constructor(
    @Inject(REDIS) private readonly redis: IORedis,
    @Inject(SERVICE_CONFIG) private readonly config: ConnectorConfig,
  ) {
    this.key = connectorKey(config, 'test-connection');
  }

  async claim(): Promise<TestConnectionClaim> {
    const interval = this.config.TEST_CONNECTION_INTERVAL_MS;
    if (interval === 0) return { claimed: true };
    const answer = await CLAIM.run(this.redis, [this.key], [interval]);
    if (answer[0] === 1) return { claimed: true };
    const [, ttlMs, stored] = answer as [number, number, string];
    // A slot without expiry cannot exist (SET … PX), but a key that expired between the calls can.
    const retryAfterMs = ttlMs > 0 ? ttlMs : 1;
    const last = stored ? connectorTestConnectionReplySchema.safeParse(JSON.parse(stored)).data : undefined;
    return { claimed: false, retryAfterMs, ...(last ? { last } : {}) };
  }

  /** Keeps the reply with the slot until the slot expires. */
  async record(reply: ConnectorTestConnectionReply): Promise<void> {
    if (this.config.TEST_CONNECTION_INTERVAL_MS === 0) return;
    await this.redis.set(this.key, JSON.stringify(reply), 'KEEPTTL', 'XX');
  }
}

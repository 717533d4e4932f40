import { Controller, Get, HttpCode, Inject, ServiceUnavailableException } from '@nestjs/common';
import type IORedis from 'ioredis';
import { DataSource } from 'typeorm';
import { withTimeout } from '../async/with-timeout';
import { PublicRoute } from '../http/route-access';
import { REDIS } from '../redis/redis.module';

const PROBE_TIMEOUT_MS = 2000;

/** Kubernetes probes: live = the process answers; ready = it can reach Redis and PostgreSQL. */
@PublicRoute()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(REDIS) private readonly redis: IORedis,
    private readonly db: DataSource,
  ) {}

  @Get('live')
  @HttpCode(200)
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready() {
    const checks = await Promise.allSettled([
      withTimeout(this.redis.ping(), PROBE_TIMEOUT_MS, 'redis'),
      withTimeout(this.db.query('SELECT 1'), PROBE_TIMEOUT_MS, 'postgres'),
    ]);
    const [redis, postgres] = checks.map((c) => (c.status === 'fulfilled' ? 'up' : `down: ${String(c.reason?.message ?? c.reason)}`));
    const body = { status: redis === 'up' && postgres === 'up' ? 'ok' : 'unavailable', checks: { redis, postgres } };
    if (body.status !== 'ok') throw new ServiceUnavailableException(body);
    return body;
  }
}

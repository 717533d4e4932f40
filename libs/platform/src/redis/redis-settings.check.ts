import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type IORedis from 'ioredis';
import { errorMessage } from '../errors/error-message';
import { describeRedisSettingProblems, redisSettingProblems } from './redis-settings';
import { REDIS } from './redis.tokens';

const CHECKED = ['maxmemory-policy', 'appendonly', 'appendfsync'];

/**
 * Reads Redis's durability settings once at start and, when they put queued work at risk, says so
 * in one error-level line naming each setting and the fix. Once per process, not per connection:
 * a loud line at start is read, the same line every few seconds is filtered out.
 */
@Injectable()
export class RedisSettingsCheck implements OnApplicationBootstrap {
  private readonly logger = new Logger(RedisSettingsCheck.name);

  constructor(@Inject(REDIS) private readonly redis: IORedis) {}

  onApplicationBootstrap(): void {
    // Not awaited: a Redis that is still starting delays the check, never the service.
    void this.check();
  }

  async check(): Promise<void> {
    let settings: Record<string, string>;
    try {
      const pairs = (await this.redis.config('GET', ...CHECKED)) as string[];
      settings = Object.fromEntries(pairs.flatMap((v, i) => (i % 2 === 0 ? [[v, pairs[i + 1]]] : [])));
    } catch (error) {
      // Managed Redis services often refuse CONFIG; the operator has to check by hand.
      this.logger.warn(
        { reason: errorMessage(error), settings: CHECKED },
        'could not read Redis settings: make sure maxmemory-policy is noeviction and appendonly yes with appendfsync everysec',
      );
      return;
    }
    const problems = redisSettingProblems(settings);
    if (problems.length > 0) this.logger.error({ redisSettings: problems }, describeRedisSettingProblems(problems));
  }
}

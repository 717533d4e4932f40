import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import IORedis from 'ioredis';
import { SERVICE_CONFIG } from '../config/config.module';
import type { BaseConfig } from '../config/config.loader';
import { redisOptionsOf } from './redis-options';
import { RedisSettingsCheck } from './redis-settings.check';
import { REDIS } from './redis.tokens';

export { REDIS } from './redis.tokens';

@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [SERVICE_CONFIG],
      useFactory: (config: BaseConfig) =>
        new IORedis({ ...redisOptionsOf(config), lazyConnect: false, enableOfflineQueue: true }),
    },
    RedisSettingsCheck,
  ],
  exports: [REDIS],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: IORedis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

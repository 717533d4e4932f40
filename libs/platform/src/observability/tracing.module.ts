import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { SERVICE_CONFIG, SERVICE_NAME } from '../config/config.module';
import type { BaseConfig } from '../config/config.loader';
import { Tracing } from './tracing';

/**
 * The service's Tracing, started from its validated OTEL_* settings. Spans still buffered are sent
 * at shutdown, which Nest runs after the queue workers closed (their last jobs' spans included).
 */
@Global()
@Module({
  providers: [
    {
      provide: Tracing,
      inject: [SERVICE_NAME, SERVICE_CONFIG],
      useFactory: (service: string, config: BaseConfig) => Tracing.start(service, config),
    },
  ],
  exports: [Tracing],
})
export class TracingModule implements OnApplicationShutdown {
  constructor(@Inject(Tracing) private readonly tracing: Tracing) {}

  async onApplicationShutdown(): Promise<void> {
    await this.tracing.shutdown();
  }
}

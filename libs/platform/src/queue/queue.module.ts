import { BullModule, getQueueToken } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { QueueName } from '@roster/contracts';
import { SERVICE_CONFIG } from '../config/config.module';
import type { BaseConfig } from '../config/config.loader';
import { redisOptionsOf } from '../redis/redis-options';
import { Tracing } from '../observability/tracing';
import { QueueEpochMonitor } from '../queue-epoch/queue-epoch.monitor';
import { MessageProducer, producerToken } from './message-producer';
import { QueueGauges } from './queue-gauges';
import { QueueWorkers } from './queue-workers';

/**
 * Registers the queues a service produces to, a validating producer for each, the worker host, and
 * the queue epoch monitor whose generation every job id carries.
 */
@Module({})
export class QueueModule {
  static forRoot(produces: QueueName[]): DynamicModule {
    const all = [...new Set([...produces, QueueName.AuditRecords])];
    const producers = all.map((name) => ({
      provide: producerToken(name),
      inject: [getQueueToken(name), QueueWorkers, QueueEpochMonitor, Tracing],
      useFactory: (queue: Queue, workers: QueueWorkers, epoch: QueueEpochMonitor, tracing: Tracing) =>
        workers.trackProducer(new MessageProducer(name, queue, () => epoch.generation(), tracing)),
    }));
    return {
      module: QueueModule,
      global: true,
      imports: [
        BullModule.forRootAsync({
          inject: [SERVICE_CONFIG, Tracing],
          useFactory: (config: BaseConfig, tracing: Tracing) => ({
            connection: redisOptionsOf(config),
            prefix: config.QUEUE_PREFIX,
            telemetry: tracing.bullmq,
          }),
        }),
        BullModule.registerQueue(...all.map((name) => ({ name }))),
      ],
      providers: [QueueWorkers, QueueGauges, QueueEpochMonitor, ...producers],
      exports: [QueueWorkers, QueueEpochMonitor, BullModule, ...producers.map((p) => p.provide)],
    };
  }
}

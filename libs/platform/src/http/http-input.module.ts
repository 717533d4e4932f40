import { Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { RejectNulMiddleware } from './reject-nul.middleware';

/** Checks every request of the service, whatever its route, before handlers and their pipes see it. */
@Module({})
export class HttpInputModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RejectNulMiddleware).forRoutes('{*path}');
  }
}

import { Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { RejectNulMiddleware } from '@roster/platform';
import { JsonBodyMiddleware } from './json-body.middleware';

/**
 * Parses bodies, then checks them for NUL characters: the platform's NUL check also runs, but
 * module order does not promise it runs after this parser, so it is applied again here.
 */
@Module({})
export class JsonBodyModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(JsonBodyMiddleware, RejectNulMiddleware).forRoutes('{*path}');
  }
}

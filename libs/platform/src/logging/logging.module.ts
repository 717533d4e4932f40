import { Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { Options } from 'pino-http';
import { SERVICE_CONFIG, SERVICE_NAME } from '../config/config.module';
import type { BaseConfig } from '../config/config.loader';
import { currentLogContext } from '../observability/log-context';
import { Tracing } from '../observability/tracing';
import { RequestLogScopeMiddleware } from './request-log-scope.middleware';

/**
 * Optional provider of a writable stream the JSON log lines go to instead of standard output: tests
 * read a service's log this way (e.g. to check that a secret never reaches it).
 */
export const LOG_STREAM = Symbol('LOG_STREAM');

/** Paths whose values are secrets wherever they appear in a log object. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.password',
  '*.adminPassword',
  '*.clientSecret',
  '*.client_secret',
  '*.accessToken',
  '*.access_token',
  '*.refreshToken',
  '*.refresh_token',
  '*.token',
];

/**
 * A signed link carries its token as the path segment after `/s/` (the queue dashboard's links): a
 * logged address keeps everything else, so a log reader cannot open what the link opens.
 */
export function redactLinkTokens(url: string): string {
  return url.replace(/\/s\/[^/?#]+/g, '/s/[Redacted]');
}

/** A request as logged: through a link, its address with the token hidden and without the path's parameters (which hold the token too). */
function redactRequest<R extends { url?: string; params?: unknown }>(req: R): R {
  const url = req.url === undefined ? undefined : redactLinkTokens(req.url);
  return url === req.url ? req : { ...req, url, params: undefined };
}

/**
 * A line written while a message is handled carries its correlation id (and queue and job id), and
 * with tracing on the trace and span ids, so a log search and a trace lead to each other.
 */
function logContextFields(tracing: boolean): () => Record<string, string> {
  return () => ({ ...currentLogContext(), ...(tracing ? Tracing.activeIds() : undefined) });
}

/** Structured JSON logs through pino; HTTP requests are logged except the probes Kubernetes hammers. */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [SERVICE_CONFIG, SERVICE_NAME, Tracing, { token: LOG_STREAM, optional: true }],
      useFactory: (config: BaseConfig, service: string, tracing: Tracing, stream?: DestinationStream) => {
        const options: Options = {
          level: config.LOG_LEVEL,
          mixin: logContextFields(tracing.enabled),
          base: { service, pid: process.pid },
          redact: { paths: REDACTED_PATHS, censor: '[Redacted]' },
          serializers: { req: redactRequest },
          autoLogging: { ignore: (req) => /^\/(health|metrics)/.test(req.url ?? '') },
          customProps: (req) => ({ correlationId: req.headers['x-correlation-id'] }),
        };
        return { pinoHttp: stream ? [options, stream] : options };
      },
    }),
  ],
})
export class LoggingModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestLogScopeMiddleware).forRoutes('{*path}');
  }
}

import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { Options } from 'pino-http';
import { SERVICE_CONFIG, SERVICE_NAME } from '../config/config.module';
import type { BaseConfig } from '../config/config.loader';

/** Paths whose values are secrets wherever they appear in a log object. */
/**
 * Optional provider of a writable stream the JSON log lines go to instead of standard output: tests
 * read a service's log this way (e.g. to check that a secret never reaches it).
 */
export const LOG_STREAM = Symbol('LOG_STREAM');

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

/** Structured JSON logs through pino; HTTP requests are logged except the probes Kubernetes hammers. */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [SERVICE_CONFIG, SERVICE_NAME, { token: LOG_STREAM, optional: true }],
      useFactory: (config: BaseConfig, service: string, stream?: DestinationStream) => {
        const options: Options = {
          level: config.LOG_LEVEL,
          base: { service, pid: process.pid },
          redact: { paths: REDACTED_PATHS, censor: '[Redacted]' },
          autoLogging: { ignore: (req) => /^\/(health|metrics)/.test(req.url ?? '') },
          customProps: (req) => ({ correlationId: req.headers['x-correlation-id'] }),
        };
        return { pinoHttp: stream ? [options, stream] : options };
      },
    }),
  ],
})
export class LoggingModule {}

import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { SERVICE_CONFIG, SERVICE_NAME } from '../config/config.module';
import type { BaseConfig } from '../config/config.loader';

/** Paths whose values are secrets wherever they appear in a log object. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.password',
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
      inject: [SERVICE_CONFIG, SERVICE_NAME],
      useFactory: (config: BaseConfig, service: string) => ({
        pinoHttp: {
          level: config.LOG_LEVEL,
          base: { service, pid: process.pid },
          redact: { paths: REDACTED_PATHS, censor: '[Redacted]' },
          autoLogging: { ignore: (req) => /^\/(health|metrics)/.test(req.url ?? '') },
          customProps: (req) => ({ correlationId: req.headers['x-correlation-id'] }),
        },
      }),
    }),
  ],
})
export class LoggingModule {}

import { Writable } from 'node:stream';
import { Module, type DynamicModule } from '@nestjs/common';
import { LOG_STREAM } from '@roster/platform';

@Module({})
class CapturedLogModule {}

/**
 * The service `module` with its JSON log lines appended to `lines` instead of standard output, so a
 * test can search what a service logged (e.g. that no secret ever reaches a log line).
 */
export function captureLogs(module: DynamicModule, lines: string[]): DynamicModule {
  const stream = new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) });
  return {
    module: class LogCaptured {},
    imports: [{ module: CapturedLogModule, global: true, providers: [{ provide: LOG_STREAM, useValue: stream }], exports: [LOG_STREAM] }, module],
  };
}

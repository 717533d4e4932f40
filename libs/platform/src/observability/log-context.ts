import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line written while handling one message carries, whatever class writes it. */
export interface LogContext {
  correlationId: string;
  queue: string;
  jobId: string;
}

const storage = new AsyncLocalStorage<LogContext>();

/** Runs `fn` with `ctx` on every log line it (and whatever it awaits) writes. */
export function withLogContext<T>(ctx: LogContext, fn: () => T): T {
  return storage.run(ctx, fn);
}

export function currentLogContext(): LogContext | undefined {
  return storage.getStore();
}

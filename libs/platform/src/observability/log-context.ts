import { context, createContextKey } from '@opentelemetry/api';

/** What every log line written while handling one message carries, whatever class writes it. */
export interface LogContext {
  correlationId: string;
  queue: string;
  jobId: string;
}

const LOG_CONTEXT = createContextKey('roster.log-context');

/**
 * Runs `fn` with `ctx` on every log line it (and whatever it awaits) writes, when tracing is on.
 * The context rides OpenTelemetry's, whose AsyncLocalStorage tracing runs anyway; with tracing
 * off there is no context manager and `fn` runs bare: an AsyncLocalStorage of our own would put a
 * hook on every promise of every job (5% of the connector's CPU) for the few lines a job writes,
 * which name their message themselves where it matters (a failed job, a rejection).
 */
export function withLogContext<T>(ctx: LogContext, fn: () => T): T {
  return context.with(context.active().setValue(LOG_CONTEXT, ctx), fn);
}

export function currentLogContext(): LogContext | undefined {
  return context.active().getValue(LOG_CONTEXT) as LogContext | undefined;
}

import { INVALID_SPAN_CONTEXT, SpanKind, SpanStatusCode, context, propagation, trace, type Attributes, type Span, type Tracer } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { Telemetry } from 'bullmq';
import { BullMQOTelSpan, BullMQOtel } from 'bullmq-otel';
import type { TracingConfig } from './tracing.config';

/**
 * Spans BullMQ makes for its own upkeep, not for a job: a worker polling an empty queue, the
 * stalled-job check. Started without a parent they would each be a trace of their own every few
 * seconds per worker; with a job's context (a poll that fetched a job) they stay in its trace.
 */
const HOUSEKEEPING = /^(getNextJob|moveStalledJobsToWait|startStalledCheckTimer) /;

/** Whether the standard OTEL_* variables ask for traces: off unless an exporter or an endpoint is named. */
export function tracingRequested(config: TracingConfig): boolean {
  if (config.OTEL_SDK_DISABLED) return false;
  const exporters = config.OTEL_TRACES_EXPORTER?.split(',').map((e) => e.trim()) ?? [];
  if (exporters.includes('none')) return false;
  return exporters.length > 0 || config.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined || config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT !== undefined;
}

/**
 * A service's traces. When the OTEL_* variables ask for none (the default), nothing is started:
 * BullMQ gets no telemetry, `span` runs its function bare, and no context is carried in jobs.
 * When on, the OpenTelemetry Node SDK exports spans as the OTEL_* variables say (endpoint, protocol,
 * headers, sampler); Prometheus stays the source of metrics, so the SDK exports no metrics or logs.
 */
export class Tracing {
  /** BullMQ's telemetry for queues and workers: `process`/`add` spans and context carried in each job. */
  readonly bullmq: Telemetry | undefined;
  private readonly tracer: Tracer;

  private constructor(
    readonly enabled: boolean,
    tracerName: string,
    private readonly sdk: NodeSDK | null,
  ) {
    this.tracer = trace.getTracer(tracerName);
    this.bullmq = enabled ? withoutHousekeepingRoots(new BullMQOtel({ tracerName })) : undefined;
  }

  static off(): Tracing {
    return new Tracing(false, 'roster', null);
  }

  /** Starts the SDK when asked for; the service name is OTEL_SERVICE_NAME or `roster-<service>`. */
  static start(service: string, config: TracingConfig): Tracing {
    if (!tracingRequested(config)) return Tracing.off();
    const sdk = new NodeSDK({
      serviceName: config.OTEL_SERVICE_NAME ?? `roster-${service}`,
      metricReaders: [],
      logRecordProcessors: [],
    });
    sdk.start();
    return new Tracing(true, `roster-${service}`, sdk);
  }

  /** Runs `fn` in a new span (a child of the active one, or a new trace with `root`), ended when it settles. */
  async span<T>(name: string, attributes: Attributes, fn: () => Promise<T>, options: { root?: boolean; kind?: SpanKind } = {}): Promise<T> {
    if (!this.enabled) return fn();
    return this.tracer.startActiveSpan(name, { attributes, root: options.root, kind: options.kind ?? SpanKind.INTERNAL }, async (span) => {
      try {
        return await fn();
      } catch (error) {
        failed(span, error);
        throw error;
      } finally {
        span.end();
      }
    });
  }

  /** Adds attributes to the active span (BullMQ's `process` span while a job runs). */
  annotate(attributes: Attributes): void {
    if (this.enabled) trace.getSpan(context.active())?.setAttributes(attributes);
  }

  /** Records a span that already happened (an HTTP exchange reported once it ended), under the active span. */
  record(name: string, attributes: Attributes, startedAt: number, durationMs: number, kind: SpanKind, error?: string): void {
    if (!this.enabled) return;
    const span = this.tracer.startSpan(name, { attributes, kind, startTime: startedAt });
    if (error !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: error });
    span.end(startedAt + durationMs);
  }

  /**
   * The active trace context as BullMQ carries it in a job (`opts.telemetry.metadata`), taken when a
   * message is sent: producers batch messages, and each must continue the trace it was sent from,
   * not the one whose timer flushed the batch.
   */
  propagationMetadata(): string | undefined {
    if (!this.enabled || !trace.getSpan(context.active())?.isRecording()) return undefined;
    const carrier: Record<string, string> = {};
    propagation.inject(context.active(), carrier);
    return JSON.stringify(carrier);
  }

  /** The active span's ids, for log lines. */
  static activeIds(): { traceId: string; spanId: string } | undefined {
    const span = trace.getSpan(context.active());
    if (!span) return undefined;
    const { traceId, spanId } = span.spanContext();
    return { traceId, spanId };
  }

  /** Sends the spans still buffered; called once the service has closed its workers. */
  async shutdown(): Promise<void> {
    await this.sdk?.shutdown();
  }
}

function failed(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}

function withoutHousekeepingRoots(telemetry: BullMQOtel): Telemetry {
  const tracer = telemetry.tracer;
  return {
    contextManager: telemetry.contextManager,
    tracer: {
      startSpan: (name, options, parent) =>
        HOUSEKEEPING.test(name) && !trace.getSpan(parent ?? context.active())
          ? new BullMQOTelSpan(trace.wrapSpanContext(INVALID_SPAN_CONTEXT))
          : tracer.startSpan(name, options, parent),
    },
  };
}

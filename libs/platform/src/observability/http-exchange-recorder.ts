import { Injectable } from '@nestjs/common';
import { SpanKind } from '@opentelemetry/api';
import { MetricsService } from '../metrics/metrics.service';
import { Tracing } from './tracing';

/** One request to a service Roster calls, as the GoTo and Graph clients report it once it ended. */
export interface HttpExchange {
  api: string;
  operation: string;
  method: string;
  /** Null when no answer came (timeout, refused connection). */
  status: number | null;
  startedAt: number;
  durationMs: number;
}

export type HttpTarget = 'goto' | 'graph';

const TARGET_NAMES: Record<HttpTarget, string> = { goto: 'GoTo', graph: 'Graph' };

/**
 * Turns the clients' `onExchange` reports into metrics (requests by status, durations) and, with
 * tracing on, a client span under the span that made the request (a command's `process` span).
 */
@Injectable()
export class HttpExchangeRecorder {
  constructor(
    private readonly metrics: MetricsService,
    private readonly tracing: Tracing,
  ) {}

  /** The `onExchange` hook of a client of `target`. */
  hook(target: HttpTarget): (exchange: HttpExchange) => void {
    return (exchange) => {
      const status = exchange.status === null ? 'none' : String(exchange.status);
      this.metrics.httpClientRequests.inc({ target, api: exchange.api, status });
      this.metrics.httpClientDuration.observe({ target, api: exchange.api }, exchange.durationMs / 1000);
      const failure = exchange.status === null ? 'no answer' : exchange.status >= 400 ? `HTTP ${exchange.status}` : undefined;
      this.tracing.record(
        `${TARGET_NAMES[target]} ${exchange.operation}`,
        {
          'peer.service': target,
          'roster.api': exchange.api,
          'http.request.method': exchange.method,
          ...(exchange.status === null ? {} : { 'http.response.status_code': exchange.status }),
        },
        exchange.startedAt,
        exchange.durationMs,
        SpanKind.CLIENT,
        failure,
      );
    };
  }
}

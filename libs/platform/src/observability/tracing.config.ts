import { z } from 'zod';

/**
 * The standard OpenTelemetry variables that decide whether a service traces at all. The SDK reads
 * the others it knows itself (OTEL_EXPORTER_OTLP_PROTOCOL, _HEADERS, OTEL_TRACES_SAMPLER, …).
 */
export const tracingConfigShape = {
  OTEL_SDK_DISABLED: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  /** `otlp` (or `console`) to trace; `none` to keep traces off even with an endpoint set. */
  OTEL_TRACES_EXPORTER: z.string().regex(/^[a-z_,\s]+$/, 'exporter names separated by commas (otlp, console, none)').optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url().optional(),
  OTEL_SERVICE_NAME: z.string().min(1).max(256).optional(),
};

export type TracingConfig = {
  OTEL_SDK_DISABLED?: boolean;
  OTEL_TRACES_EXPORTER?: string;
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?: string;
  OTEL_SERVICE_NAME?: string;
};

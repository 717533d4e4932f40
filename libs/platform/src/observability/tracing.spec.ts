import { Tracing, tracingRequested } from './tracing';

describe('tracingRequested', () => {
  it('is off unless the OTEL_* variables name an exporter or an OTLP endpoint', () => {
    expect(tracingRequested({})).toBe(false);
    expect(tracingRequested({ OTEL_SERVICE_NAME: 'roster' })).toBe(false);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' })).toBe(true);
    expect(tracingRequested({ OTEL_TRACES_EXPORTER: 'console' })).toBe(true);
  });

  it('stays off when told so, endpoint or not', () => {
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_TRACES_EXPORTER: 'none' })).toBe(false);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: true })).toBe(false);
  });
});

describe('Tracing when off', () => {
  const tracing = Tracing.start('mapper', {});

  it('gives BullMQ no telemetry and carries no context in jobs', () => {
    expect(tracing.enabled).toBe(false);
    expect(tracing.bullmq).toBeUndefined();
    expect(tracing.propagationMetadata()).toBeUndefined();
  });

  it('runs a span body bare and passes its result and errors through', async () => {
    await expect(tracing.span('x', {}, async () => 42)).resolves.toBe(42);
    await expect(tracing.span('x', {}, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  });
});

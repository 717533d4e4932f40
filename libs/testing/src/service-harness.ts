import type { DynamicModule, INestApplication } from '@nestjs/common';
import { createServiceApp, internalAuthorization, listenOrClose, type ServiceAppOptions } from '@roster/platform';
import { TEST_INTERNAL_TOKEN } from './test-environment';

export interface RunningService {
  app: INestApplication;
  url: string;
}

/** Boots a service in-process on a free port, exactly as its main.ts would, for integration tests. */
export async function startService(module: DynamicModule, options: ServiceAppOptions = {}): Promise<RunningService> {
  const app = await createServiceApp(module, options);
  await listenOrClose(app, 0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${address.port}` };
}

/**
 * How a test calls a pipeline service's internal routes: as the admin API does, with the internal
 * credential TestEnvironment gives every service. Calls to the admin API pass their own headers.
 */
export const INTERNAL_CALLER: Record<string, string> = internalAuthorization(TEST_INTERNAL_TOKEN);

export async function getJson<T = unknown>(url: string, headers: Record<string, string> = INTERNAL_CALLER): Promise<{ status: number; body: T }> {
  const res = await fetch(url, { headers });
  return { status: res.status, body: (await res.json()) as T };
}

export async function sendJson<T = unknown>(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = INTERNAL_CALLER,
): Promise<{ status: number; body: T }> {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

interface ExpressLayer {
  route?: { path: string; methods: Record<string, boolean> };
}

/** Where Nest mounts middleware applied to every route (the NUL check, the admin API's body parser): no handler of its own. */
export const MIDDLEWARE_PATH = '/{*path}';

/** The routes as Express serves them, read from the application itself, so a route added later is seen too. */
export function servedRoutes(service: RunningService): { method: string; path: string }[] {
  const express = service.app.getHttpAdapter().getInstance() as { router: { stack: ExpressLayer[] } };
  return express.router.stack.flatMap((layer) =>
    layer.route && layer.route.path !== MIDDLEWARE_PATH
      ? Object.keys(layer.route.methods)
          .filter((m) => m !== '_all')
          .map((m) => ({ method: m.toUpperCase(), path: layer.route!.path }))
      : [],
  );
}

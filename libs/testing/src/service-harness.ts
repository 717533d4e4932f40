import type { DynamicModule, INestApplication } from '@nestjs/common';
import { createServiceApp, listenOrClose, type ServiceAppOptions } from '@roster/platform';

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

export async function getJson<T = unknown>(url: string): Promise<{ status: number; body: T }> {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as T };
}

export async function sendJson<T = unknown>(method: string, url: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

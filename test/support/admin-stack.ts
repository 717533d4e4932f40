import { SecretBox } from '@roster/platform';
import { captureLogs, startService, type RunningService } from '@roster/testing';
import type { GotoEmulatorOptions } from '@roster/goto-emulator';
import { ADMIN_API_APP_OPTIONS, AdminApiAppModule } from '../../services/admin-api/src/app.module';
import { ApiKeysService } from '../../services/admin-api/src/api-keys/api-keys.service';
import { Pipeline } from './pipeline';

export interface AdminAnswer<T> {
  status: number;
  body: T;
  headers: Headers;
}

/**
 * The four pipeline services and the admin API in front of them, as an admin meets Roster: the
 * admin API reaches the pipeline over its internal routes with the internal credential, and the
 * test holds an admin key and a reader key.
 */
export class AdminStack {
  readonly pipeline: Pipeline;
  readonly secretKey = SecretBox.generateKey();
  api!: RunningService;
  adminKey!: string;
  readerKey!: string;

  constructor(gotoOptions: GotoEmulatorOptions = {}) {
    this.pipeline = new Pipeline(gotoOptions);
  }

  /**
   * `adminEnv` may depend on the running pipeline (the GoTo emulator's address, for a default job from
   * the environment); `options.logs`: every service's JSON log lines, the admin API's included, go there.
   */
  async start(
    pipelineEnv: Record<string, string> = {},
    adminEnv: Record<string, string> | ((pipeline: Pipeline) => Record<string, string>) = {},
    options: { logs?: string[] } = {},
  ): Promise<this> {
    // The pipeline decrypts the credentials the admin API stores in the job records.
    await this.pipeline.start({ ROSTER_SECRET_KEY: this.secretKey, ...pipelineEnv }, { logs: options.logs });
    const p = this.pipeline;
    const module = AdminApiAppModule.forRoot(
      p.env.env({
        ROSTER_SECRET_KEY: this.secretKey,
        WATCHER_URL: p.watcher.url,
        MAPPER_URL: p.mapper.url,
        CONNECTOR_URL: p.connector.url,
        AUDIT_URL: p.audit.url,
        AUTH_FAILURE_LIMIT: '100000',
        ...(typeof adminEnv === 'function' ? adminEnv(p) : adminEnv),
      }),
    );
    this.api = await startService(options.logs ? captureLogs(module, options.logs) : module, ADMIN_API_APP_OPTIONS);
    const keys = this.api.app.get(ApiKeysService);
    this.adminKey = (await keys.create({ name: 'test admin', role: 'admin' })).key;
    this.readerKey = (await keys.create({ name: 'test reader', role: 'reader' })).key;
    return this;
  }

  async stop(): Promise<void> {
    await this.api?.app.close();
    await this.pipeline.stop();
  }

  /** A call to the admin API as the admin (or with `key`). */
  async call<T = Record<string, unknown>>(method: string, path: string, body?: unknown, key: string = this.adminKey): Promise<AdminAnswer<T>> {
    const res = await fetch(`${this.api.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, headers: res.headers };
  }

  /** The body of a call that must succeed (any 2xx), or an error naming what it answered. */
  async ok<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
    const answer = await this.call<T>(method, path, body);
    if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  }
}

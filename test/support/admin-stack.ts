import { SecretBox, type Clock } from '@roster/platform';
import type { GotoEmulatorOptions } from '@roster/goto-emulator';
import { startAdminApi, type RunningAdminApi } from './admin-api';
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
  api!: RunningAdminApi;
  adminKey!: string;
  readerKey!: string;

  constructor(gotoOptions: GotoEmulatorOptions = {}) {
    this.pipeline = new Pipeline(gotoOptions);
  }

  /**
   * `adminEnv` may depend on the running pipeline (the GoTo emulator's address, for a default job from
   * the environment); `options.logs`: every service's JSON log lines, the admin API's included, go there;
   * `options.clock`: the admin API's clock (its token expiry checks, limiters and digests).
   */
  async start(
    pipelineEnv: Record<string, string> = {},
    adminEnv: Record<string, string> | ((pipeline: Pipeline) => Record<string, string>) = {},
    options: { logs?: string[]; clock?: Clock } = {},
  ): Promise<this> {
    // The pipeline decrypts the credentials the admin API stores in the job records.
    await this.pipeline.start({ ROSTER_SECRET_KEY: this.secretKey, ...pipelineEnv }, { logs: options.logs });
    const p = this.pipeline;
    this.api = await startAdminApi(
      p.env.env({
        ROSTER_SECRET_KEY: this.secretKey,
        WATCHER_URL: p.watcher.url,
        MAPPER_URL: p.mapper.url,
        CONNECTOR_URL: p.connector.url,
        AUDIT_URL: p.audit.url,
        AUTH_FAILURE_LIMIT: '100000',
        ...(typeof adminEnv === 'function' ? adminEnv(p) : adminEnv),
      }),
      { logs: options.logs, clock: options.clock },
    );
    this.adminKey = this.api.adminKey;
    this.readerKey = this.api.readerKey;
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

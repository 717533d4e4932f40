import { randomBytes } from 'node:crypto';
import { removeQueueKeys } from '@roster/platform';
import { Client } from 'pg';

export const TEST_DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** The internal credential of every service a TestEnvironment configures (the admin API presents it to the pipeline). */
export const TEST_INTERNAL_TOKEN = randomBytes(32).toString('base64url');

/**
 * One isolated slice of the real Redis and PostgreSQL for a test suite: its own schema and its own
 * queue prefix, removed again by `dispose`. `redisUrl` is the shared Redis unless the suite runs
 * one of its own (see PrivateRedis).
 */
export class TestEnvironment {
  constructor(readonly redisUrl: string = TEST_REDIS_URL) {}

  readonly id = `t${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  readonly schema = `test_${this.id}`;
  readonly queuePrefix = `rt-${this.id}`;

  /** Environment for a service under test; `overrides` win. */
  env(overrides: Record<string, string> = {}): Record<string, string> {
    return {
      DATABASE_URL: TEST_DATABASE_URL,
      REDIS_URL: this.redisUrl,
      DATABASE_SCHEMA: this.schema,
      QUEUE_PREFIX: this.queuePrefix,
      HTTP_PORT: '0',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      SHUTDOWN_GRACE_MS: '5000',
      ROSTER_INTERNAL_TOKEN: TEST_INTERNAL_TOKEN,
      ...overrides,
    };
  }

  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    const client = new Client({ connectionString: TEST_DATABASE_URL, options: `-c search_path=${this.schema}` });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  async dispose(): Promise<void> {
    await this.query(`DROP SCHEMA IF EXISTS "${this.schema}" CASCADE`);
    await removeQueueKeys(this.redisUrl, this.queuePrefix);
  }
}

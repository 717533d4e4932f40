import type { DryRun } from '@roster/contracts';
import { SecretBox } from '@roster/platform';
import { TestEnvironment } from '@roster/testing';
import { randomUUID } from 'node:crypto';
import { startAdminApi, type RunningAdminApi } from '../support/admin-api';

const JOB = 'tenant-a';
const STALE_MS = 300_000;

/**
 * A dry run whose admin API died (a crash, not a shutdown) would stay `running` for good: a run
 * without progress for DRY_RUN_STALE_MS is marked failed, when an admin API starts and whenever a
 * run is read, by the admin API's clock (stepped here, never waited for).
 */
describe('admin API: a dry run whose admin API died', () => {
  const env = new TestEnvironment();
  let now = Date.parse('2026-12-04T12:00:00Z');
  const clock = () => now;
  let api: RunningAdminApi | undefined;
  const start = async () => {
    api = await startAdminApi(env.env({ ROSTER_SECRET_KEY: SecretBox.generateKey(), DRY_RUN_STALE_MS: String(STALE_MS) }), { clock });
    return api;
  };
  const get = async (runId: string) => {
    const res = await fetch(`${api!.url}/jobs/${JOB}/dryRun/${runId}`, { headers: { authorization: `Bearer ${api!.readerKey}` } });
    return (await res.json()) as DryRun;
  };
  /** What an admin API that died mid-run leaves behind: a run still `running`, last seen at `at`. */
  const leftRunning = async (at: number) => {
    const id = randomUUID();
    await env.query(`INSERT INTO dry_run (id, job_id, status, heartbeat_at) VALUES ($1, $2, 'running', $3)`, [id, JOB, new Date(at)]);
    return id;
  };

  beforeAll(async () => {
    await start();
    const res = await fetch(`${api!.url}/jobs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${api!.adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: JOB, source: { kind: 'demo' }, goto: { clientId: 'c' } }),
    });
    expect(res.status).toBe(201);
  });
  afterAll(async () => {
    await api?.app.close();
    await env.dispose();
  });

  it('reads a run as running while it may still be under way on another replica, and as failed once it is stale', async () => {
    const runId = await leftRunning(now);
    now += STALE_MS - 1;
    expect(await get(runId)).toMatchObject({ status: 'running', error: null });
    now += 2;
    const failed = await get(runId);
    expect(failed).toMatchObject({ status: 'failed', error: expect.stringMatching(/^interrupted: the admin API running it stopped \(no progress since 2026-12-04T12:00:00Z\)/) });
    expect(failed.finishedAt).not.toBeNull();
  });

  it('marks the stale runs failed when an admin API starts', async () => {
    const stale = await leftRunning(now - STALE_MS - 1);
    const fresh = await leftRunning(now);
    await api!.app.close();
    await start();
    const status = async (id: string) => (await env.query<{ status: string }>(`SELECT status FROM dry_run WHERE id = $1`, [id]))[0]!.status;
    expect([await status(stale), await status(fresh)]).toEqual(['failed', 'running']);
  });
});

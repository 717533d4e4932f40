import { randomInt } from 'node:crypto';
import { Client } from 'pg';
import IORedis from 'ioredis';
import { AssignmentChangeType as T, DEFAULT_ACCESS_ROLE_ID, provisioningJobSettingsSchema, type ProvisioningJobView } from '@roster/contracts';
import { ProvisioningJobRecords, publishJobChange, redisOptionsFromUrl } from '@roster/platform';
import { TEST_DATABASE_URL, TEST_JOB_ID, getJson, sendJson, waitFor } from '@roster/testing';
import { WatcherUnderTest } from '../support/watcher';

const ROLE = 'a1b2c3d4-0000-4000-8000-000000000001';

/** A watcher following the built-in demo directory, driven through its REST API. */
class DemoWatcher extends WatcherUnderTest {
  async call(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
    return sendJson(method, `${await this.url}/directory${path}`, body);
  }

  async addUser(id: string, attributes: Record<string, string> = {}): Promise<void> {
    const user = { id, userPrincipalName: `${id}@example.com`, attributes: { givenName: id, ...attributes } };
    const res = await this.call('POST', '/users', user);
    if (res.status !== 201) throw new Error(`create ${id}: ${res.status} ${JSON.stringify(res.body)}`);
  }

  async assign(id: string, appRoleId = ROLE): Promise<void> {
    const res = await this.call('POST', '/assignments', { principalType: 'User', principalId: id, appRoleId });
    if (res.status !== 204) throw new Error(`assign ${id}: ${res.status} ${JSON.stringify(res.body)}`);
  }

  async assignNewUser(id: string): Promise<void> {
    await this.addUser(id);
    await this.assign(id);
  }
}

describe('directory watcher with the demo directory', () => {
  describe('change feed', () => {
    const w = new DemoWatcher();
    beforeAll(() => w.start());
    afterAll(() => w.dispose());

    it('emits every change exactly once, also one whose transaction commits after later ones were read', async () => {
      await w.addUser('late');
      // The write that assigns `late` is held open after it appended its change, until the lock is let go.
      const lockKey = randomInt(1, 2 ** 31 - 1);
      await w.env.query(`
        CREATE FUNCTION hold_late_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM pg_advisory_xact_lock_shared(${lockKey}); RETURN NULL; END $$`);
      await w.env.query(`
        CREATE TRIGGER hold_late_change AFTER INSERT ON demo_change
        FOR EACH ROW WHEN (NEW.object_id = 'late') EXECUTE FUNCTION hold_late_change()`);
      const holder = new Client({ connectionString: TEST_DATABASE_URL });
      await holder.connect();
      try {
        await holder.query(`SELECT pg_advisory_lock($1)`, [lockKey]);
        const late = w.assign('late');
        const waiting = `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND classid = 0 AND objid = $1::bigint::oid`;
        await waitFor(async () => (await w.env.query(waiting, [lockKey])).length > 0, { what: 'the late write to be held open' });

        // Many writes at once, all committed and read while the late one is still open.
        const early = Array.from({ length: 60 }, (_, i) => `early-${i}`);
        await Promise.all(early.map((id) => w.assignNewUser(id)));
        for (const id of early) await w.expectEvents(id, [T.UserAssigned]);

        await holder.query(`SELECT pg_advisory_unlock($1)`, [lockKey]);
        await late;
        await w.expectEvents('late', [T.UserAssigned]);
      } finally {
        await holder.end();
      }

      // A later change has come through: nothing before it was emitted twice.
      await w.assignNewUser('last');
      await w.expectEvents('last', [T.UserAssigned]);
      const assigned = (await w.events()).filter((e) => e.type === T.UserAssigned);
      expect(assigned).toHaveLength(62);
      expect(new Set(assigned.map((e) => 'user' in e && e.user.id)).size).toBe(62);
    });
  });

  describe('settings changed at restart', () => {
    const w = new DemoWatcher();
    beforeAll(() => w.start());
    afterAll(() => w.dispose());

    const lastReconciledAt = async () =>
      (await w.env.query<{ at: string }>(`SELECT last_reconciled_at::text AS at FROM watch_cursor`))[0]?.at;

    it('re-evaluates users already seen when INCLUDE_DEFAULT_ACCESS changes, and not on a plain restart', async () => {
      await w.addUser('default-access');
      await w.assign('default-access', DEFAULT_ACCESS_ROLE_ID);
      await w.assignNewUser('assigned');
      await w.expectEvents('assigned', [T.UserAssigned]);
      expect(await w.typesOf('default-access')).toEqual([]);
      await w.idle();

      await w.stop();
      await w.start({ INCLUDE_DEFAULT_ACCESS: 'true' });
      await w.expectEvents('default-access', [T.UserAssigned]);
      await w.idle();

      await w.stop();
      await w.start({ INCLUDE_DEFAULT_ACCESS: 'false' });
      await w.expectEvents('default-access', [T.UserAssigned, T.UserUnassigned]);
      expect(await w.typesOf('assigned')).toEqual([T.UserAssigned]);
      await w.idle();

      // Same settings as the last run: the change feed goes on where it was, no full read.
      const reconciled = await lastReconciledAt();
      await w.stop();
      await w.start();
      await w.assignNewUser('after-restart');
      await w.expectEvents('after-restart', [T.UserAssigned]);
      await w.idle();
      expect(await lastReconciledAt()).toBe(reconciled);
    });
  });

  describe('read API', () => {
    const w = new DemoWatcher();
    beforeAll(() => w.start());
    afterAll(() => w.dispose());
    type Page<T> = { items: T[]; nextCursor: string | null };

    /** Follows nextCursor from the first page to the last, collecting every item. */
    const readAll = async <T>(path: string, limit: number): Promise<{ items: T[]; pages: number }> => {
      const items: T[] = [];
      let pages = 0;
      for (let cursor: string | null = null; pages === 0 || cursor !== null; pages++) {
        const query: string = `limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const res = await w.call('GET', `${path}?${query}`);
        expect(res.status).toBe(200);
        const page = res.body as Page<T>;
        items.push(...page.items);
        cursor = page.nextCursor;
      }
      return { items, pages };
    };

    beforeAll(async () => {
      for (const id of ['ann', 'bob', 'cy', 'dee', 'eve']) await w.addUser(id, { surname: id.toUpperCase() });
      await w.call('DELETE', '/users/eve');
      await w.assign('ann');
      await w.call('POST', '/groups', { id: 'sales', displayName: 'Sales' });
      await w.call('POST', '/groups', { id: 'idle-group', displayName: 'Nobody' });
      for (const userId of ['bob', 'cy']) await w.call('POST', '/groups/sales/members', { userId });
      await w.call('POST', '/assignments', { principalType: 'Group', principalId: 'sales', appRoleId: ROLE });
    });

    it('lists users page by page as the watcher sees them', async () => {
      type Listed = { id: string; state: string; attributes: Record<string, unknown>; assignments: unknown[]; groups: unknown[] };
      const { items, pages } = await readAll<Listed>('/users', 2);
      expect(pages).toBe(3);
      expect(items.map((u) => [u.id, u.state])).toEqual([
        ['ann', 'present'],
        ['bob', 'present'],
        ['cy', 'present'],
        ['dee', 'present'],
        ['eve', 'soft-deleted'],
      ]);
      expect(items[0]).toMatchObject({
        attributes: { surname: 'ANN', userPrincipalName: 'ann@example.com' },
        assignments: [{ kind: 'direct', appRoleId: ROLE }],
      });
      expect(items[1]).toMatchObject({
        assignments: [{ kind: 'group', groupId: 'sales', appRoleId: ROLE }],
        groups: [{ id: 'sales', displayName: 'Sales' }],
      });
      expect(items[3]).toMatchObject({ assignments: [], groups: [] });
    });

    it('shows one user, and 404 for one that does not exist', async () => {
      expect(await w.call('GET', '/users/cy')).toMatchObject({ status: 200, body: { id: 'cy', state: 'present' } });
      expect((await w.call('GET', '/users/nobody')).status).toBe(404);
    });

    it('lists groups with their app role and member count, and assignments by principal', async () => {
      expect((await readAll('/groups', 1)).items).toEqual([
        { id: 'idle-group', displayName: 'Nobody', appRoleId: null, memberCount: 0 },
        { id: 'sales', displayName: 'Sales', appRoleId: ROLE, memberCount: 2 },
      ]);
      const assignments = await readAll('/assignments', 1);
      expect(assignments).toEqual({
        pages: 2,
        items: [
          { principalType: 'Group', principalId: 'sales', appRoleId: ROLE },
          { principalType: 'User', principalId: 'ann', appRoleId: ROLE },
        ],
      });
    });

    it('refuses malformed paging, ids and unknown parameters with a 400 naming the field', async () => {
      for (const [path, field] of [
        ['/users?limit=0', 'limit'],
        ['/users?limit=1001', 'limit'],
        ['/groups?limit=ten', 'limit'],
        ['/users?cursor=a%00b', 'cursor'],
        ['/users?cursor=' + 'x'.repeat(129), 'cursor'],
        ['/assignments?cursor=Robot:ann', 'cursor'],
        ['/assignments?cursor=ann', 'cursor'],
        ['/users?page=2', '(root)'],
        ['/users/a%20b', '(root)'],
      ]) {
        const res = await w.call('GET', path);
        expect({ path, status: res.status }).toEqual({ path, status: 400 });
        expect((res.body as { issues: { path: string }[] }).issues.map((i) => i.path)).toContain(field);
      }
    });
  });

  describe('paused and turned on through its job record, without a restart', () => {
    const w = new DemoWatcher({ JOB_POLL_INTERVAL_MS: '60000' });
    let redis: IORedis;
    beforeAll(async () => {
      await w.start();
      redis = new IORedis(redisOptionsFromUrl(w.env.redisUrl));
    });
    afterAll(async () => {
      await redis.quit();
      await w.dispose();
    });
    const phase = async () => (await getJson<{ phase: string }>(`${await w.url}/sync/status`)).body.phase;
    /** Sets the job's state as the admin API's actions do: a new revision, announced. */
    const setState = async (state: ProvisioningJobView['state']) => {
      const records = w.app!.get(ProvisioningJobRecords);
      if (!(await records.find(TEST_JOB_ID))) {
        await records.insert(TEST_JOB_ID, provisioningJobSettingsSchema.parse({ source: { kind: 'demo' }, goto: { clientId: 'roster' } }), {}, state);
      }
      const [row] = await w.env.query<{ revision: number }>(`UPDATE provisioning_job SET state = $1, revision = revision + 1 WHERE id = $2 RETURNING revision`, [state, TEST_JOB_ID]);
      await publishJobChange(redis, w.env.queuePrefix, { jobId: TEST_JOB_ID, revision: row.revision, reason: 'state' });
    };

    it('reads nothing while its job is paused, and reads what changed meanwhile once it is on', async () => {
      await w.assignNewUser('before-pause');
      await w.expectEvents('before-pause', [T.UserAssigned]);
      await setState('paused');
      await waitFor(async () => (await phase()) === 'paused', { what: 'the watcher to pause' });

      await w.assignNewUser('while-paused');
      // Many of its polls go by (every 100 ms): none reads the directory.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(await w.typesOf('while-paused')).toEqual([]);
      expect(await phase()).toBe('paused');

      await setState('steady');
      await w.expectEvents('while-paused', [T.UserAssigned]);
      await w.expectEvents('before-pause', [T.UserAssigned]);
    });
  });
});

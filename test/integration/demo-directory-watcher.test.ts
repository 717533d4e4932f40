import { randomInt } from 'node:crypto';
import { Client } from 'pg';
import { AssignmentChangeType as T, DEFAULT_ACCESS_ROLE_ID } from '@roster/contracts';
import { TEST_DATABASE_URL, sendJson, waitFor } from '@roster/testing';
import { WatcherUnderTest } from '../support/watcher';

const ROLE = 'a1b2c3d4-0000-4000-8000-000000000001';

/** A watcher following the built-in demo directory, driven through its REST API. */
class DemoWatcher extends WatcherUnderTest {
  async call(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
    return sendJson(method, `${await this.url}/directory${path}`, body);
  }

  async addUser(id: string, attributes: Record<string, string> = {}): Promise<void> {
    const res = await this.call('POST', '/users', { id, userPrincipalName: `${id}@example.com`, attributes: { givenName: id, ...attributes } });
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
});

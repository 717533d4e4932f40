import { AssignmentChangeType as T, QueueName, provisioningJobSettingsSchema, subjectIdOf, type AssignmentChangeEvent } from '@roster/contracts';
import { MessageProducer, ProvisioningJobRecords, SecretBox, mergeSecrets, splitSecrets } from '@roster/platform';
import { DEMO_TENANT, GraphEmulator, demoTenantWatcherEnv, type LoggedRequest } from '@roster/graph-emulator';
import { getJson, sampleSum, waitFor } from '@roster/testing';
import { WatchStateRepository } from '../../services/directory-watcher/src/sync/watch-state.repository';
import { WatcherUnderTest } from '../support/watcher';

const ROLE = DEMO_TENANT.userRoleId;
const USER_SELECT = 'userPrincipalName,mail,givenName,surname,displayName,accountEnabled,jobTitle,department,employeeId';
const CLIENT_STATE = 'webhook-secret-for-tests';
type Assigned = Extract<AssignmentChangeEvent, { type: 'user.assigned' }>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A watcher with the Entra ID source reading a Graph emulator. */
class EntraWatcher extends WatcherUnderTest {
  private seq = 0;

  constructor(
    readonly graph: GraphEmulator,
    settings: Record<string, string> = {},
  ) {
    super(settings);
  }

  get webhookUrl(): Promise<string> {
    return this.url.then((url) => `${url}/graph/notifications`);
  }

  protected override async sourceEnv(): Promise<Record<string, string>> {
    const webhook: Record<string, string> =
      this.settings.ENTRA_WEBHOOK_URL === 'on'
        ? { ENTRA_WEBHOOK_URL: await this.webhookUrl, ENTRA_WEBHOOK_CLIENT_STATE: CLIENT_STATE }
        : {};
    return { ...demoTenantWatcherEnv(this.graph.baseUrl), ...webhook };
  }

  newUser(extra: Record<string, unknown> = {}): string {
    const n = `${this.env.id}-${++this.seq}`;
    return this.graph.addUser({
      userPrincipalName: `user${n}@contoso.com`,
      mail: `user${n}@contoso.com`,
      givenName: 'Ada',
      surname: `Number${n}`,
      displayName: `Ada ${n}`,
      department: 'Engineering',
      ...extra,
    }).id;
  }

  assignUser(extra: Record<string, unknown> = {}): { id: string; assignment: string } {
    const id = this.newUser(extra);
    return { id, assignment: this.graph.assignAppRole({ principalId: id, appRoleId: ROLE }).id };
  }

  /** A newly assigned user's event has come out: the watcher has caught up with everything before it. */
  async catchUp(): Promise<void> {
    const { id } = this.assignUser();
    await this.expectEvents(id, [T.UserAssigned]);
  }
}

describe('directory watcher with the Entra ID source', () => {
  // Small pages so that rounds span several pages and checkpoints.
  const graph = new GraphEmulator({ deltaPageSize: 5, deltaMemberSliceSize: 3, notificationBatchDelayMs: 10 });
  beforeAll(() => graph.start());
  afterAll(() => graph.stop());

  describe('following the directory', () => {
    const w = new EntraWatcher(graph, { GRAPH_PAGE_SIZE: '5' });
    beforeAll(() => w.start());
    afterAll(() => w.dispose());

    it('assigns a user assigned directly, with the selected attributes', async () => {
      const { id } = w.assignUser({ jobTitle: 'Engineer', employeeId: 'E1', officeLocation: 'not selected' });
      const [assigned] = await w.expectEvents(id, [T.UserAssigned]);
      expect(assigned.user.attributes).toEqual({
        objectId: id,
        userPrincipalName: expect.stringMatching(/@contoso\.com$/),
        mail: expect.stringMatching(/@contoso\.com$/),
        givenName: 'Ada',
        surname: expect.stringMatching(/^Number/),
        displayName: expect.stringMatching(/^Ada /),
        accountEnabled: true,
        jobTitle: 'Engineer',
        department: 'Engineering',
        employeeId: 'E1',
      });
      expect((assigned as Assigned).via).toEqual([{ kind: 'direct', appRoleId: ROLE }]);
    });

    it('ignores a Default Access assignment', async () => {
      const id = w.newUser();
      graph.assignAppRole({ principalId: id });
      await w.catchUp();
      expect(await w.typesOf(id)).toEqual([]);
    });

    it('follows an assigned group: members appear, join, leave, and go with the unassignment', async () => {
      const [a, b, c] = [w.newUser(), w.newUser(), w.newUser()];
      const group = graph.addGroup({ displayName: 'Sales' });
      graph.addGroupMember(group.id, a);
      graph.addGroupMember(group.id, b);
      const assignment = graph.assignAppRole({ principalId: group.id, appRoleId: ROLE });
      const [assignedA] = await w.expectEvents(a, [T.UserAssigned]);
      await w.expectEvents(b, [T.UserAssigned]);
      expect((assignedA as Assigned).via).toEqual([{ kind: 'group', groupId: group.id, appRoleId: ROLE }]);
      expect(assignedA).toMatchObject({ groups: [{ id: group.id, displayName: 'Sales' }] });

      graph.addGroupMember(group.id, c);
      await w.expectEvents(c, [T.UserAssigned]);
      graph.removeGroupMember(group.id, b);
      await w.expectEvents(b, [T.UserAssigned, T.UserUnassigned]);

      graph.unassignAppRole(assignment.id);
      await w.expectEvents(a, [T.UserAssigned, T.UserUnassigned]);
      await w.expectEvents(c, [T.UserAssigned, T.UserUnassigned]);
    });

    it('takes only direct members of an assigned group, as Entra does', async () => {
      const [direct, nested] = [w.newUser(), w.newUser()];
      const outer = graph.addGroup({ displayName: 'Outer' });
      const inner = graph.addGroup({ displayName: 'Inner' });
      graph.addGroupMember(outer.id, direct);
      graph.addGroupMember(outer.id, inner.id);
      graph.addGroupMember(inner.id, nested);
      graph.assignAppRole({ principalId: outer.id, appRoleId: ROLE });
      await w.expectEvents(direct, [T.UserAssigned]);
      await w.catchUp();
      expect(await w.typesOf(nested)).toEqual([]);
    });

    it('reports attribute changes, disabling, soft and hard deletion, and unassignment', async () => {
      const [changed, disabled, softDeleted, hardDeleted, unassigned] = Array.from({ length: 5 }, () => w.assignUser());
      for (const u of [changed, disabled, softDeleted, hardDeleted, unassigned]) await w.expectEvents(u.id, [T.UserAssigned]);

      graph.updateUser(changed.id, { displayName: 'Ada Byron', jobTitle: 'Countess' });
      graph.updateUser(disabled.id, { accountEnabled: false });
      graph.softDeleteUser(softDeleted.id);
      graph.hardDeleteUser(hardDeleted.id);
      graph.unassignAppRole(unassigned.assignment);

      const [, attributesChanged] = await w.expectEvents(changed.id, [T.UserAssigned, T.UserAttributesChanged]);
      expect(attributesChanged.user.attributes).toMatchObject({ displayName: 'Ada Byron', jobTitle: 'Countess' });
      await w.expectEvents(disabled.id, [T.UserAssigned, T.UserDisabled]);
      const [, soft] = await w.expectEvents(softDeleted.id, [T.UserAssigned, T.UserDeleted]);
      expect(soft).toMatchObject({ hardDelete: false });
      const [, hard] = await w.expectEvents(hardDeleted.id, [T.UserAssigned, T.UserDeleted]);
      expect(hard).toMatchObject({ hardDelete: true });
      await w.expectEvents(unassigned.id, [T.UserAssigned, T.UserUnassigned]);
    });

    it('recovers from an expired delta token with a full read that emits only the real differences', async () => {
      const renamed = w.assignUser();
      await w.expectEvents(renamed.id, [T.UserAssigned]);
      const before = (await w.events()).length;
      graph.expireDeltaTokens();
      graph.updateUser(renamed.id, { surname: 'Expired' });

      await w.expectEvents(renamed.id, [T.UserAssigned, T.UserAttributesChanged]);
      await w.catchUp();
      const since = (await w.events()).slice(before).filter((e) => e.type !== T.CycleCompleted);
      expect(since.map((e) => [e.type, subjectIdOf(e)])).toEqual([
        [T.UserAttributesChanged, renamed.id],
        [T.UserAssigned, expect.any(String)],
      ]);
      expect(graph.requestLog().some((r) => r.status === 410)).toBe(true);
    });

    it('waits out a 429 for as long as Retry-After says, and counts Graph\'s answers by status on /metrics', async () => {
      const graphRequests = async (status: string) =>
        sampleSum(await fetch(`${await w.url}/metrics`).then((r) => r.text()), 'roster_http_client_requests_total', { target: 'graph', api: 'graph', status });
      const [throttledBefore, answeredBefore] = [await graphRequests('429'), await graphRequests('200')];
      graph.setThrottling({ failNext: { count: 1, status: 429, retryAfterSeconds: 1 } });
      const { id } = w.assignUser();
      await w.expectEvents(id, [T.UserAssigned]);
      // The log records when each answer went out. Other reads of the watcher (the initial read asks
      // for assignments, groups and users at once; the assignment check runs beside a cycle) may have
      // been on their way when the 429 was answered and reach Graph after it, so only the throttled
      // request's own retry shows the wait; that the wait holds back every request is request-gate.spec's.
      const started = (r: LoggedRequest) => Date.parse(r.at) - r.durationMs;
      const throttled = graph.requestLog().find((r) => r.url.startsWith('/v1.0/') && r.status === 429);
      expect(throttled).toBeDefined();
      const retryOf = (log: LoggedRequest[]) => log.find((r) => r.url === throttled!.url && started(r) > Date.parse(throttled!.at));
      await waitFor(() => retryOf(graph.requestLog()) !== undefined, { what: 'the throttled request to be sent again' });
      expect(started(retryOf(graph.requestLog())!) - Date.parse(throttled!.at)).toBeGreaterThanOrEqual(990);
      expect(await graphRequests('429')).toBe(throttledBefore + 1);
      expect(await graphRequests('200')).toBeGreaterThan(answeredBefore);
    });

    it('resumes a delta round cut short by a restart from the saved link, without duplicate or missing events', async () => {
      const users = Array.from({ length: 12 }, () => w.assignUser());
      for (const u of users) await w.expectEvents(u.id, [T.UserAssigned]);
      // The second page of the users round keeps failing: the first was applied and its link saved.
      graph.setThrottling({ failNext: { count: 100_000, status: 503, retryAfterSeconds: 0, urlIncludes: '/users/delta?$skiptoken' } });
      for (const u of users) graph.updateUser(u.id, { department: 'Research' });
      await waitFor(() => graph.requestLog().some((r) => r.status === 503), { what: 'the users round to fail part-way' });
      await w.stop();
      const [{ users_link: saved }] = await w.env.query<{ users_link: string }>(`SELECT users_link FROM entra_sync_state`);
      expect(saved).toContain('$skiptoken=');
      expect((await Promise.all(users.map((u) => w.typesOf(u.id)))).flat()).toEqual(users.map(() => T.UserAssigned));

      graph.setThrottling({});
      graph.clearRequestLog();
      await w.start();
      for (const u of users) await w.expectEvents(u.id, [T.UserAssigned, T.UserAttributesChanged]);
      const firstUsersRead = graph.requestLog().find((r) => r.url.startsWith('/v1.0/users/delta'));
      expect(firstUsersRead?.url).toBe(new URL(saved).pathname + new URL(saved).search);
    });

    it('repairs drift with the periodic full reconciliation', async () => {
      const renamed = w.assignUser();
      const disabled = w.assignUser();
      await w.expectEvents(renamed.id, [T.UserAssigned]);
      await w.expectEvents(disabled.id, [T.UserAssigned]);
      await w.stop();

      // Changes the watcher never hears of: its saved delta link is moved past them.
      graph.updateUser(renamed.id, { givenName: 'Augusta' });
      graph.updateUser(disabled.id, { accountEnabled: false });
      const latest = await fetch(`${graph.baseUrl}/v1.0/users/delta?$select=${USER_SELECT}&$deltatoken=latest`, {
        headers: { authorization: `Bearer ${graph.issueAccessToken()}` },
      });
      const { '@odata.deltaLink': skipped } = (await latest.json()) as { '@odata.deltaLink': string };
      await w.env.query(`UPDATE entra_sync_state SET users_link = $1`, [skipped]);

      await w.start();
      await w.catchUp();
      expect(await w.typesOf(renamed.id)).toEqual([T.UserAssigned]);
      expect(await w.typesOf(disabled.id)).toEqual([T.UserAssigned]);

      const before = (await w.events()).length;
      await w.env.query(`UPDATE watch_cursor SET last_reconciled_at = now() - interval '2 days'`);
      const [, repaired] = await w.expectEvents(renamed.id, [T.UserAssigned, T.UserAttributesChanged]);
      expect(repaired.user.attributes).toMatchObject({ givenName: 'Augusta' });
      await w.expectEvents(disabled.id, [T.UserAssigned, T.UserDisabled]);
      const reconciled = async () => (await w.events()).slice(before).some((e) => e.type === T.CycleCompleted);
      await waitFor(reconciled, { what: 'the reconciliation to end' });
      const since = (await w.events()).slice(before).filter((e) => e.type !== T.CycleCompleted);
      expect(since.map(subjectIdOf).sort()).toEqual([renamed.id, disabled.id].sort());
    });

    it('re-reads and re-decides every user when ENTRA_SELECT or the scope options change', async () => {
      const typed = w.assignUser({ employeeType: 'Contractor' });
      const nestedMember = w.newUser();
      const outer = graph.addGroup({ displayName: 'Outer again' });
      const inner = graph.addGroup({ displayName: 'Inner again' });
      graph.addGroupMember(outer.id, inner.id);
      graph.addGroupMember(inner.id, nestedMember);
      graph.assignAppRole({ principalId: outer.id, appRoleId: ROLE });
      const [assigned] = await w.expectEvents(typed.id, [T.UserAssigned]);
      expect(assigned.user.attributes.employeeType).toBeUndefined();
      await w.catchUp();
      expect(await w.typesOf(nestedMember)).toEqual([]);

      await w.stop();
      await w.start({ ENTRA_SELECT: 'employeeType', ENTRA_NESTED_GROUPS: 'true' });
      const [, reread] = await w.expectEvents(typed.id, [T.UserAssigned, T.UserAttributesChanged]);
      expect(reread.user.attributes).toMatchObject({ employeeType: 'Contractor' });
      await w.expectEvents(nestedMember, [T.UserAssigned]);
    });
  });

  describe('scope options', () => {
    const nested = new EntraWatcher(graph, { ENTRA_NESTED_GROUPS: 'true' });
    const everyone = new EntraWatcher(graph, { ENTRA_SCOPE: 'all-users' });
    beforeAll(() => Promise.all([nested.start(), everyone.start()]));
    afterAll(() => Promise.all([nested.dispose(), everyone.dispose()]));

    it('with ENTRA_NESTED_GROUPS, takes members of groups nested in an assigned group', async () => {
      const deep = nested.newUser();
      const outer = graph.addGroup({ displayName: 'Outer' });
      const middle = graph.addGroup({ displayName: 'Middle' });
      const inner = graph.addGroup({ displayName: 'Inner' });
      graph.addGroupMember(outer.id, middle.id);
      graph.addGroupMember(middle.id, inner.id);
      graph.addGroupMember(inner.id, outer.id); // a cycle must not loop
      graph.addGroupMember(inner.id, deep);
      graph.assignAppRole({ principalId: outer.id, appRoleId: ROLE });
      const [assigned] = await nested.expectEvents(deep, [T.UserAssigned]);
      expect((assigned as Assigned).via).toEqual([{ kind: 'group', groupId: outer.id, appRoleId: ROLE }]);
      expect(assigned).toMatchObject({ groups: [{ id: outer.id, displayName: 'Outer' }] });

      graph.removeGroupMember(outer.id, middle.id);
      graph.removeGroupMember(inner.id, outer.id);
      await nested.expectEvents(deep, [T.UserAssigned, T.UserUnassigned]);
    });

    it('with ENTRA_SCOPE=all-users, takes every user whatever the assignments', async () => {
      const id = everyone.newUser();
      const [assigned] = await everyone.expectEvents(id, [T.UserAssigned]);
      expect((assigned as Assigned).via).toEqual([{ kind: 'all-users' }]);
      graph.updateUser(id, { accountEnabled: false });
      await everyone.expectEvents(id, [T.UserAssigned, T.UserDisabled]);
    });
  });

  describe('settings changed at restart', () => {
    const w = new EntraWatcher(graph);
    beforeAll(() => w.start());
    afterAll(() => w.dispose());

    it('re-decides users already read when INCLUDE_DEFAULT_ACCESS or ENTRA_SCOPE changes', async () => {
      const defaultAccess = w.newUser();
      graph.assignAppRole({ principalId: defaultAccess });
      const unassigned = w.newUser();
      await w.catchUp();
      expect(await w.typesOf(defaultAccess)).toEqual([]);
      await w.idle();

      await w.stop();
      await w.start({ INCLUDE_DEFAULT_ACCESS: 'true' });
      await w.expectEvents(defaultAccess, [T.UserAssigned]);
      expect(await w.typesOf(unassigned)).toEqual([]);
      await w.idle();

      await w.stop();
      await w.start({ ENTRA_SCOPE: 'all-users' });
      await w.expectEvents(unassigned, [T.UserAssigned]);
      // In scope still, but no longer through its (Default Access) role: its licenses may follow.
      await w.expectEvents(defaultAccess, [T.UserAssigned, T.UserRolesChanged]);
      await w.idle();

      await w.stop();
      await w.start();
      await w.expectEvents(defaultAccess, [T.UserAssigned, T.UserRolesChanged, T.UserUnassigned]);
      await w.expectEvents(unassigned, [T.UserAssigned, T.UserUnassigned]);
    });
  });

  /**
   * kill -9 of the watcher at the steps of a page where it can die with part of its work durable: the
   * mirror and journal written but nothing sent, or the events sent but the state and cursor not
   * saved. From then on the step fails (the process is as good as dead) until a new watcher takes
   * over the same database. Each change must come out at least once, the newest state last.
   */
  describe('a watcher killed part-way through a page', () => {
    let deaths = 0;
    const die = () => {
      deaths++;
      return Promise.reject(new Error('killed -9'));
    };
    const sendMessages = MessageProducer.prototype.sendMany;
    const steps = {
      'the mirror was written, nothing sent': () =>
        jest.spyOn(MessageProducer.prototype, 'sendMany').mockImplementation(function (this: MessageProducer<QueueName>, messages) {
          return this.queueName === QueueName.AssignmentChanges ? die() : sendMessages.call(this, messages);
        }),
      'the events were sent, the state and cursor not saved': () => jest.spyOn(WatchStateRepository.prototype, 'savePage').mockImplementation(die),
    };
    const lastAttributes = async (w: EntraWatcher, id: string) => (await w.eventsOf(id)).at(-1)?.user.attributes;
    const mirrored = async (w: EntraWatcher, id: string) =>
      (await w.env.query<{ attributes: Record<string, unknown> }>(`SELECT attributes FROM entra_user WHERE id = $1`, [id]))[0]?.attributes;

    /** Dies at `step` (resolves once a page has), stops, and starts a new watcher on the same state. */
    const dieThenRestart = async (w: EntraWatcher, step: keyof typeof steps, meanwhile: () => Promise<void>) => {
      const spy = steps[step]();
      deaths = 0;
      try {
        await meanwhile();
        await waitFor(() => deaths > 0, { what: `the watcher to die at: ${step}` });
        await w.stop();
      } finally {
        spy.mockRestore();
      }
      await w.start();
    };

    for (const step of Object.keys(steps) as (keyof typeof steps)[]) {
      it(`sends a change it had read into the mirror when it died (${step}), incremental cycle`, async () => {
        const w = new EntraWatcher(graph);
        try {
          await w.start();
          const { id } = w.assignUser({ department: 'Engineering' });
          await w.expectEvents(id, [T.UserAssigned]);
          await w.idle();
          await dieThenRestart(w, step, async () => {
            graph.updateUser(id, { department: null, jobTitle: 'Cleared' });
            await waitFor(async () => (await mirrored(w, id))?.jobTitle === 'Cleared', { what: 'the change in the mirror' });
          });

          await waitFor(async () => (await lastAttributes(w, id))?.jobTitle === 'Cleared', { what: `the change of ${id} sent after the restart` });
          expect(await lastAttributes(w, id)).not.toHaveProperty('department');
          expect((await w.typesOf(id)).slice(1).every((type) => type === T.UserAttributesChanged)).toBe(true);
        } finally {
          await w.dispose();
        }
      });

      it(`sends the newest state of a user its initial cycle died on (${step})`, async () => {
        const w = new EntraWatcher(graph);
        try {
          const { id } = w.assignUser({ department: 'Engineering' });
          await dieThenRestart(w, step, async () => {
            await w.start();
            await waitFor(async () => (await mirrored(w, id)) !== undefined, { what: 'the user in the mirror' });
            graph.updateUser(id, { department: null, jobTitle: 'Cleared' });
          });

          await waitFor(async () => (await lastAttributes(w, id))?.jobTitle === 'Cleared', { what: `the newest state of ${id} sent after the restart` });
          expect(await lastAttributes(w, id)).not.toHaveProperty('department');
        } finally {
          await w.dispose();
        }
      });
    }
  });

  describe('change notifications', () => {
    // Polling every ten minutes: only Graph's notifications can make the watcher read a change in time.
    const w = new EntraWatcher(graph, { ENTRA_WEBHOOK_URL: 'on', WATCH_POLL_INTERVAL_MS: '600000' });
    let webhookUrl: string;
    const ours = () => graph.listSubscriptions().filter((s) => s.notificationUrl === webhookUrl);
    const post = (body: unknown) =>
      fetch(webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const usersDeltaReads = () => graph.requestLog().filter((r) => r.url.startsWith('/v1.0/users/delta')).length;
    /**
     * Resolves once the watcher's cycles are over: notifications delivered, the watcher back to idle
     * (its own word, however slow the machine), and nothing read from Graph since.
     */
    const settled = async () => {
      await graph.waitForNotifications();
      for (let count = -1; count !== graph.requestLog().length; await sleep(200)) {
        await w.idle();
        count = graph.requestLog().length;
      }
    };

    beforeAll(async () => {
      webhookUrl = await w.webhookUrl;
      await w.start();
      await waitFor(() => ours().length === 2, { what: 'subscriptions on users and groups' });
    });
    afterAll(() => w.dispose());

    it('subscribes to users and groups with its clientState and lifecycle URL at start', () => {
      expect(ours().map((s) => s.resource).sort()).toEqual(['groups', 'users']);
      for (const s of ours()) {
        expect(s).toMatchObject({ changeType: 'updated,deleted', clientState: CLIENT_STATE, lifecycleNotificationUrl: webhookUrl });
      }
    });

    it('echoes the validation token as text/plain', async () => {
      const response = await fetch(`${webhookUrl}?validationToken=${encodeURIComponent('Validation: a b+c')}`, { method: 'POST' });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await response.text()).toBe('Validation: a b+c');
    });

    it('reads a change within moments of its notification, though the poll is ten minutes away', async () => {
      const { id } = w.assignUser();
      // Assignments are not notified; this group change is, and its cycle reads the assignment list too.
      graph.addGroup({ displayName: 'Wake-up' });
      await w.expectEvents(id, [T.UserAssigned]);
      graph.updateUser(id, { displayName: 'Renamed by webhook' });
      // Any wait far below the ten-minute poll proves the notification did it; a busy machine may need seconds.
      await w.expectEvents(id, [T.UserAssigned, T.UserAttributesChanged]);
    });

    it('answers 202 at once and ignores notifications with a wrong clientState', async () => {
      await settled();
      const reads = usersDeltaReads();
      const notification = { subscriptionId: ours()[0].id, changeType: 'updated', resource: 'Users/x' };
      const forged = await post({ value: [{ ...notification, clientState: 'guess' }] });
      expect(forged.status).toBe(202);
      await sleep(300);
      expect(usersDeltaReads()).toBe(reads);

      const genuine = await post({ value: [{ ...notification, clientState: CLIENT_STATE }] });
      expect(genuine.status).toBe(202);
      await waitFor(() => usersDeltaReads() > reads, { what: 'a cycle after a genuine notification' });
    });

    it('catches up after a "missed" lifecycle notification', async () => {
      const { id } = w.assignUser(); // not notified: only a cycle finds it
      graph.triggerLifecycleEvent(ours()[0].id, 'missed');
      await w.expectEvents(id, [T.UserAssigned]);
    });

    it('renews a subscription that needs reauthorization, so notifications flow again', async () => {
      const users = ours().find((s) => s.resource === 'users')!;
      graph.triggerLifecycleEvent(users.id, 'reauthorizationRequired');
      await waitFor(() => graph.requestLog().some((r) => r.method === 'PATCH' && r.url.endsWith(users.id)), { what: 'the renewal' });
      const { id } = w.assignUser();
      graph.triggerLifecycleEvent(users.id, 'missed');
      await w.expectEvents(id, [T.UserAssigned]);
      graph.updateUser(id, { jobTitle: 'Reauthorized' });
      // Any wait far below the ten-minute poll proves the notification did it; a busy machine may need seconds.
      await w.expectEvents(id, [T.UserAssigned, T.UserAttributesChanged]);
    });

    it('recreates a removed subscription', async () => {
      const removed = ours().find((s) => s.resource === 'groups')!;
      graph.triggerLifecycleEvent(removed.id, 'subscriptionRemoved');
      await waitFor(() => ours().some((s) => s.resource === 'groups' && s.id !== removed.id), { what: 'a new groups subscription' });
      expect(ours()).toHaveLength(2);
    });

    it('takes its subscriptions over after a restart instead of adding more', async () => {
      const before = ours().map((s) => s.id).sort();
      await w.stop();
      graph.clearRequestLog();
      await w.start();
      const listed = () => graph.requestLog().some((r) => r.method === 'GET' && r.url.startsWith('/v1.0/subscriptions'));
      await waitFor(listed, { what: 'the takeover' });
      await settled();
      expect(ours().map((s) => s.id).sort()).toEqual(before);
    });
  });

  /** Every Entra job has its subscriptions, at its own URL with its own clientState; polling alone could not read in time. */
  describe('change notifications of another job', () => {
    const SECOND = 'second-entra';
    const key = SecretBox.generateKey();
    const w = new EntraWatcher(graph, { ENTRA_WEBHOOK_URL: 'on', WATCH_POLL_INTERVAL_MS: '600000', ROSTER_SECRET_KEY: key });
    let secondUrl: string;
    const theirs = () => graph.listSubscriptions().filter((s) => s.notificationUrl === secondUrl);
    const secondTypes = async (userId: string) =>
      (await w.events()).filter((e) => e.provisioningJobId === SECOND && 'user' in e && subjectIdOf(e) === userId).map((e) => e.type);
    const expectSecond = (userId: string, expected: string[]) =>
      waitFor(async () => JSON.stringify(await secondTypes(userId)) === JSON.stringify(expected), { what: `job ${SECOND}'s events ${expected.join(', ')} for ${userId}` });

    beforeAll(async () => {
      secondUrl = `${await w.webhookUrl}/${SECOND}`;
      await w.start();
      // The job's record, as the admin API writes it: the Graph secret encrypted.
      const { settings, secrets } = splitSecrets(
        provisioningJobSettingsSchema.parse({
          source: { kind: 'entra', settings: { tenantId: DEMO_TENANT.tenantId, clientId: DEMO_TENANT.clientId, clientSecret: DEMO_TENANT.clientSecret, servicePrincipalId: DEMO_TENANT.servicePrincipalId } },
          goto: { clientId: 'not-read-by-the-watcher' },
        }),
      );
      await w.app!.get(ProvisioningJobRecords).insert(SECOND, settings, mergeSecrets({}, secrets, (v) => new SecretBox(key).encrypt(v)), 'steady');
      const url = await w.url;
      await waitFor(async () => (await getJson(`${url}/sync/status?jobId=${SECOND}`)).status === 200, { what: `the watcher to serve ${SECOND}` });
      await waitFor(() => theirs().length === 2, { what: `${SECOND}'s subscriptions on users and groups` });
    });
    afterAll(() => w.dispose());

    it('subscribes at the URL followed by the job id, with a clientState of its own', () => {
      expect(theirs().map((s) => s.resource).sort()).toEqual(['groups', 'users']);
      for (const s of theirs()) expect(s).toMatchObject({ lifecycleNotificationUrl: secondUrl, clientState: expect.not.stringMatching(`^${CLIENT_STATE}$`) });
    });

    // That one carrying another job's clientState wakes nothing is graph-notifications.controller.spec's:
    // here a cycle still finishing could read the next change on its own, however long one waits.
    it('reads a change within moments of its notification', async () => {
      const { id } = w.assignUser();
      // Assignments are not notified; this group change is, and its cycle reads the assignment list too.
      graph.addGroup({ displayName: 'Wake-up (second job)' });
      await expectSecond(id, [T.UserAssigned]);

      const post = (clientState: string) =>
        fetch(secondUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ value: [{ subscriptionId: theirs()[0].id, changeType: 'updated', resource: 'Users/x', clientState }] }),
        });
      const quiet = w.assignUser(); // not notified: only a cycle finds it
      expect((await post(theirs()[0].clientState!)).status).toBe(202);
      await expectSecond(quiet.id, [T.UserAssigned]);
    });
  });
});

import { TestEmulator, scimUserBody } from '../testing/test-emulator';

const USERS = '/identity/v1/Users';

describe('GoTo emulator: fault injection', () => {
  let goto: TestEmulator;
  beforeAll(async () => (goto = await TestEmulator.start()));
  afterAll(() => goto.stop());
  beforeEach(() => goto.reset());

  /** A request applied late lands a few ticks after its release, whenever the event loop gets to it. */
  async function waitForAccount(userName: string) {
    for (let waited = 0; waited < 10_000; waited += 10) {
      const account = goto.emulator.users.getByUserName(userName);
      if (account) return account;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`no account ${userName} after 10 s`);
  }

  it('fails the next N requests with a status and the family error body, then recovers', async () => {
    await goto.token();
    goto.emulator.faults.failNext(2, { kind: 'status', status: 503 });
    const first = await goto.request('GET', USERS);
    expect(first.status).toBe(503);
    expect(first.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '503' });
    expect((await goto.request('GET', USERS)).status).toBe(503);
    expect((await goto.request('GET', USERS)).status).toBe(200);
  });

  it('matches method and path prefix, and sends a given body and headers verbatim', async () => {
    await goto.token();
    goto.emulator.faults.failNext(1, { kind: 'status', status: 502, body: { gateway: 'down' }, headers: { 'retry-after': '7' } }, {
      method: 'POST',
      pathPrefix: USERS,
    });
    expect((await goto.request('GET', USERS)).status).toBe(200);
    const failed = await goto.request('POST', USERS, { body: scimUserBody('a@example.com') });
    expect([failed.status, failed.body, failed.headers.get('retry-after')]).toEqual([502, { gateway: 'down' }, '7']);
    expect(goto.emulator.users.size).toBe(0);
  });

  it('drops the connection without an answer', async () => {
    await goto.token();
    goto.emulator.faults.failNext(1, { kind: 'drop' });
    await expect(goto.request('GET', USERS)).rejects.toThrow(/fetch failed/);
    expect(goto.emulator.requestLog.entries({ family: 'scim' }).map((entry) => entry.status)).toEqual([0]);
  });

  it('applies a write and then drops the connection: committed, answer lost', async () => {
    await goto.token();
    goto.emulator.faults.failNext(1, { kind: 'lose-answer' }, { method: 'POST', pathPrefix: USERS });
    await expect(goto.request('POST', USERS, { body: scimUserBody('lost@example.com') })).rejects.toThrow(/fetch failed/);
    const account = goto.emulator.users.getByUserName('lost@example.com');
    expect(account).toBeDefined();
    const [entry] = goto.emulator.requestLog.entries({ family: 'scim', method: 'POST' });
    expect(entry).toMatchObject({ status: 0, write: { resource: 'User', id: account!.id, op: 'create', userName: 'lost@example.com' } });
  });

  it('drops the connection at once and applies the request only when told: a write landing after the caller gave up', async () => {
    await goto.token();
    goto.emulator.faults.failNext(1, { kind: 'apply-late' }, { method: 'POST', pathPrefix: USERS });
    await expect(goto.request('POST', USERS, { body: scimUserBody('late@example.com') })).rejects.toThrow(/fetch failed/);
    expect(goto.emulator.users.getByUserName('late@example.com')).toBeUndefined();
    expect(goto.emulator.requestLog.entries({ family: 'scim', method: 'POST' })).toEqual([]);

    expect(goto.emulator.faults.applyLate()).toBe(1);
    const account = await waitForAccount('late@example.com');
    const [entry] = goto.emulator.requestLog.entries({ family: 'scim', method: 'POST' });
    expect(entry).toMatchObject({ status: 0, write: { resource: 'User', id: account.id, op: 'create', userName: 'late@example.com' } });
  });

  it('applies a request held late after its delay, and never one the faults were cleared of', async () => {
    await goto.token();
    goto.emulator.faults.failNext(1, { kind: 'apply-late', afterMs: 50 }, { method: 'POST', pathPrefix: USERS });
    await expect(goto.request('POST', USERS, { body: scimUserBody('after@example.com') })).rejects.toThrow(/fetch failed/);
    await waitForAccount('after@example.com');

    goto.emulator.faults.failNext(1, { kind: 'apply-late' }, { method: 'POST', pathPrefix: USERS });
    await expect(goto.request('POST', USERS, { body: scimUserBody('never@example.com') })).rejects.toThrow(/fetch failed/);
    goto.emulator.faults.clear();
    expect(goto.emulator.faults.applyLate()).toBe(0);
    await goto.request('GET', USERS);
    expect(goto.emulator.users.getByUserName('never@example.com')).toBeUndefined();
  });

  it('logs what each write changed and nothing for a refused one', async () => {
    await goto.token();
    const created = await goto.request('POST', USERS, { body: scimUserBody('w@example.com') });
    const id = (created.body as { id: string }).id;
    await goto.request('POST', USERS, { body: scimUserBody('w@example.com') });
    const group = await goto.request('POST', '/identity/v1/Groups', {
      body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'G' },
    });
    const groupId = (group.body as { id: string }).id;
    await goto.request('PATCH', `/identity/v1/Groups/${groupId}`, {
      body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'add', path: 'members', value: [{ value: id }] }] },
    });
    await goto.request('DELETE', `${USERS}/${id}`);
    const writes = goto.emulator.requestLog.entries({ family: 'scim' }).map((e) => [e.method, e.status, e.write]);
    expect(writes).toEqual([
      ['POST', 201, { resource: 'User', id, op: 'create', userName: 'w@example.com' }],
      ['POST', 409, undefined],
      ['POST', 201, { resource: 'Group', id: groupId, op: 'create', addedMembers: [], removedMembers: [] }],
      ['PATCH', 204, { resource: 'Group', id: groupId, op: 'patch', addedMembers: [id], removedMembers: [] }],
      ['DELETE', 204, { resource: 'User', id, op: 'delete', userName: 'w@example.com' }],
    ]);
  });

  it('answers slowly enough to outlast a client timeout', async () => {
    const token = await goto.token();
    goto.emulator.faults.failNext(1, { kind: 'slow', delayMs: 400 });
    const request = fetch(`${goto.baseUrl}${USERS}`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(100) });
    await expect(request).rejects.toThrow(/aborted due to timeout/);
  });

  it('adds a fixed latency to every request', async () => {
    await goto.token();
    goto.emulator.faults.setLatency(150);
    const started = Date.now();
    await goto.request('GET', USERS);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('fails every request about one userName, and only that one', async () => {
    goto.emulator.faults.failUserName('poison@example.com', { status: 500 });
    const [poison] = goto.emulator.seedUsers([{ userName: 'poison@example.com', name: { givenName: 'P', familyName: 'Q' } }]);
    expect((await goto.request('POST', USERS, { body: scimUserBody('POISON@example.com') })).status).toBe(500);
    expect((await goto.request('GET', `${USERS}/${poison!.id}`)).status).toBe(500);
    expect((await goto.request('GET', `${USERS}?filter=${encodeURIComponent('userName eq "poison@example.com"')}`)).status).toBe(500);
    expect((await goto.request('POST', USERS, { body: scimUserBody('fine@example.com') })).status).toBe(201);
    goto.emulator.faults.clear();
    expect((await goto.request('GET', `${USERS}/${poison!.id}`)).status).toBe(200);
  });
});

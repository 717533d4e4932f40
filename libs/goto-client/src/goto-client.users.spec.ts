import { DEMO_PRINCIPALS, TestEmulator, generateSeedUsers } from '@roster/goto-emulator';
import { GotoApiError } from './goto-api-error';
import { GotoClient } from './goto-client';
import { ENTERPRISE_USER_SCHEMA, type ScimUserInput } from './scim-types';

const LIMITS = { maxOperations: 2, maxPayloadSize: 100_000 };
const user = (userName: string): ScimUserInput => ({ userName, name: { givenName: 'Ada', familyName: 'Lovelace' } });

const credentials = { kind: 'oauth-client', ...DEMO_PRINCIPALS.client } as const;
const grace: ScimUserInput = { userName: 'grace@example.com', externalId: 'entra-1', name: { givenName: 'Grace', familyName: 'Hopper' } };

describe('GotoClient users against the emulator', () => {
  let goto: TestEmulator;
  let client: GotoClient;
  beforeAll(async () => {
    goto = await TestEmulator.start();
    client = new GotoClient({ endpoints: goto.emulator.endpoints, credentials });
  });
  afterAll(() => goto.stop());
  beforeEach(() => goto.emulator.reset());

  it('creates a user and reads it back by id, userName and externalId', async () => {
    const created = await client.createUser({ ...grace, [ENTERPRISE_USER_SCHEMA]: { department: 'Navy' } });
    expect(created).toMatchObject({ ...grace, active: true, [ENTERPRISE_USER_SCHEMA]: { department: 'Navy' } });
    expect(created.id).toMatch(/^\d{19,}$/);
    expect(await client.getUser(created.id)).toEqual(created);
    expect((await client.findUser('userName', 'GRACE@example.com'))?.id).toBe(created.id);
    expect((await client.findUser('externalId', 'entra-1'))?.id).toBe(created.id);
  });

  it('answers null for users that do not exist', async () => {
    expect(await client.getUser('7206130000000099999')).toBeNull();
    expect(await client.findUser('userName', 'nobody@example.com')).toBeNull();
    expect(await client.findUser('externalId', 'x" or "1" eq "1')).toBeNull();
  });

  it('refuses to guess when an externalId matches more than one user', async () => {
    goto.emulator.seedUsers([
      { userName: 'a@example.com', externalId: 'same', name: { givenName: 'A', familyName: 'A' } },
      { userName: 'b@example.com', externalId: 'same', name: { givenName: 'B', familyName: 'B' } },
    ]);
    await expect(client.findUser('externalId', 'same')).rejects.toMatchObject({ kind: 'permanent', operation: 'findUser' });
  });

  it('pages through every user, even when GoTo caps the page size', async () => {
    goto.emulator.seedUsers(generateSeedUsers(250));
    const pageSizes: number[] = [];
    const userNames = new Set<string>();
    for await (const page of client.listUsers(500)) {
      pageSizes.push(page.length);
      page.forEach((user) => userNames.add(user.userName));
    }
    expect(pageSizes).toEqual([100, 100, 50]);
    expect(userNames.size).toBe(250);
    const emptyPages: unknown[] = [];
    goto.emulator.reset();
    for await (const page of client.listUsers()) emptyPages.push(page);
    expect(emptyPages).toEqual([]);
  });

  it('patches only the given attributes, removes those given as undefined or empty, and keeps the other name part', async () => {
    const created = await client.createUser({ ...grace, displayName: 'Grace', locale: 'en', [ENTERPRISE_USER_SCHEMA]: { department: 'Navy', division: 'R&D' } });
    const patched = await client.patchUser(created.id, {
      'name.givenName': 'Amazing',
      displayName: undefined,
      locale: '',
      [`${ENTERPRISE_USER_SCHEMA}:department`]: 'Research',
    });
    expect(patched.name).toEqual({ givenName: 'Amazing', familyName: 'Hopper' });
    expect(patched).not.toHaveProperty('displayName');
    expect(patched).not.toHaveProperty('locale');
    expect(patched[ENTERPRISE_USER_SCHEMA]).toEqual({ department: 'Research', division: 'R&D' });
    expect(patched.externalId).toBe('entra-1');
    expect(await client.patchUser(created.id, {})).toEqual(patched);
  });

  it('disables and re-enables a user', async () => {
    const { id } = await client.createUser(grace);
    await client.setActive(id, false);
    expect(goto.emulator.users.get(id)?.active).toBe(false);
    await client.setActive(id, true);
    expect(goto.emulator.users.get(id)?.active).toBe(true);
  });

  it('deletes a user, and deleting it again still succeeds', async () => {
    const { id } = await client.createUser(grace);
    await client.deleteUser(id);
    expect(goto.emulator.users.get(id)).toBeUndefined();
    await expect(client.deleteUser(id)).resolves.toBeUndefined();
  });

  it('reports a patch of a missing user as permanent 404', async () => {
    const error = await client.patchUser('42', { displayName: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GotoApiError);
    expect(error).toMatchObject({ kind: 'permanent', status: 404, operation: 'patchUser' });
  });

  describe('SCIM bulk', () => {
    // A request refused for the token revoked by the reset before each test is sent again: not counted.
    const scimWrites = () => goto.emulator.requestLog.entries({ family: 'scim' }).filter((e) => e.method !== 'GET' && e.status !== 401).map((e) => e.path.replace('/identity/v1', ''));

    it('reads bulk limits from ServiceProviderConfig: null while GoTo offers none', async () => {
      expect(await client.bulkLimits()).toBeNull();
      goto.emulator.bulk = LIMITS;
      expect(await client.bulkLimits()).toEqual(LIMITS);
    });

    it('sends writes in requests of maxOperations, the last one alone, each with its own result', async () => {
      goto.emulator.bulk = LIMITS;
      const [existing] = goto.emulator.seedUsers([user('old@example.com')]);
      const results = await client.writeUsers(
        [
          { kind: 'create', user: user('a@example.com') },
          { kind: 'create', user: user('bad@elsewhere.com') },
          { kind: 'patch', id: existing!.id, changes: { active: false } },
          { kind: 'create', user: user('OLD@example.com') },
          { kind: 'create', user: user('c@example.com') },
        ],
        LIMITS,
      );
      expect(scimWrites().sort()).toEqual(['/Bulk', '/Bulk', '/Users']);
      const [a, bad, patched, taken, c] = results;
      expect(a).toEqual({ ok: true, user: expect.objectContaining({ id: goto.emulator.users.getByUserName('a@example.com')!.id, userName: 'a@example.com' }) });
      expect(bad).toEqual({ ok: false, error: expect.any(GotoApiError) });
      expect(bad).toMatchObject({ error: { kind: 'permanent', status: 400, operation: 'createUser' } });
      expect(patched).toEqual({ ok: true });
      expect(goto.emulator.users.get(existing!.id)!.attributes['active']).toBe(false);
      expect(taken).toMatchObject({ ok: false, error: { kind: 'permanent', status: 409 } });
      expect(c).toMatchObject({ ok: true, user: { userName: 'c@example.com' } });
    });

    it('fails every write of a request that failed as a whole with its error, and no other', async () => {
      goto.emulator.bulk = LIMITS;
      goto.emulator.faults.failNext(1, { kind: 'status', status: 503 }, { pathPrefix: '/identity/v1/Bulk' });
      const results = await client.writeUsers([1, 2, 3, 4].map((n) => ({ kind: 'create', user: user(`u${n}@example.com`) })), LIMITS);
      expect(results.filter((r) => !r.ok)).toEqual([
        { ok: false, error: expect.objectContaining({ kind: 'transient', status: 503 }) },
        { ok: false, error: expect.objectContaining({ kind: 'transient', status: 503 }) },
      ]);
      expect(goto.emulator.users.size).toBe(2);
    });

    it('sends each write alone when GoTo refuses the bulk request for being one (bulk switched off since it was read)', async () => {
      const results = await client.writeUsers([1, 2].map((n) => ({ kind: 'create', user: user(`alone${n}@example.com`) })), LIMITS);
      expect(results.map((r) => r.ok)).toEqual([true, true]);
      expect(scimWrites().sort()).toEqual(['/Bulk', '/Users', '/Users']);
      expect(goto.emulator.users.size).toBe(2);
    });

    it('keeps each request within maxPayloadSize', async () => {
      goto.emulator.bulk = { maxOperations: 10, maxPayloadSize: 600 };
      const results = await client.writeUsers([1, 2, 3, 4, 5].map((n) => ({ kind: 'create', user: user(`user-${n}@example.com`) })), { maxOperations: 10, maxPayloadSize: 600 });
      expect(results.every((r) => r.ok)).toBe(true);
      const bulks = goto.emulator.requestLog.entries({ pathPrefix: '/identity/v1/Bulk' }).filter((e) => e.status !== 401);
      expect(bulks.length).toBeGreaterThan(1);
      expect(bulks.every((e) => e.status === 200)).toBe(true);
    });
  });
});

describe('GotoClient e-mails, against a GoTo whose schema lists them', () => {
  let goto: TestEmulator;
  let client: GotoClient;
  beforeAll(async () => {
    goto = await TestEmulator.start({ undocumentedUserAttributes: ['emails'] });
    client = new GotoClient({ endpoints: goto.emulator.endpoints, credentials });
  });
  afterAll(() => goto.stop());

  it('replaces and removes the work address and keeps the others', async () => {
    const emails = [
      { value: 'grace@example.com', type: 'work' as const, primary: true },
      { value: 'home@example.com', type: 'home' as const },
    ];
    const { id } = await client.createUser({ ...grace, emails });
    const replaced = await client.patchUser(id, { 'emails[type eq "work"].value': 'hopper@example.com' });
    expect(replaced.emails).toEqual([{ ...emails[0], value: 'hopper@example.com' }, emails[1]]);
    const removed = await client.patchUser(id, { 'emails[type eq "work"].value': '' });
    expect(removed.emails).toEqual([emails[1]]);
  });
});

import { DEMO_PRINCIPALS, TestEmulator, generateSeedUsers } from '@roster/goto-emulator';
import { GotoApiError } from './goto-api-error';
import { GotoClient } from './goto-client';
import { ENTERPRISE_USER_SCHEMA, type ScimUserInput } from './scim-types';

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

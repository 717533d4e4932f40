import { generateSeedUsers } from '../directory/seed-users';
import { TestEmulator } from '../testing/test-emulator';

const GROUPS = '/identity/v1/Groups';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

describe('GoTo emulator: SCIM /Groups', () => {
  let goto: TestEmulator;
  let userIds: string[];
  beforeAll(async () => (goto = await TestEmulator.start()));
  afterAll(() => goto.stop());
  beforeEach(() => {
    goto.reset();
    userIds = goto.emulator.seedUsers(generateSeedUsers(150)).map((user) => user.id);
  });

  const createGroup = (displayName: string, extra: Record<string, unknown> = {}) =>
    goto.request('POST', GROUPS, { body: { schemas: [GROUP_SCHEMA], displayName, ...extra } });
  const patchGroup = (id: string, Operations: unknown[]) =>
    goto.request('PATCH', `${GROUPS}/${id}`, { body: { schemas: [PATCH_OP], Operations } });
  const membersOf = (id: string) => [...(goto.emulator.groups.get(id)?.members ?? [])];

  it('creates a group (201, Location) and finds it by displayName, case-insensitively', async () => {
    const created = await createGroup('Engineering', { externalId: 'g-1', members: [{ value: userIds[0] }] });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`${goto.baseUrl}${GROUPS}/${created.body.id}`);
    expect(created.body).toMatchObject({ displayName: 'Engineering', externalId: 'g-1', members: [{ value: userIds[0], type: 'User' }] });
    const found = await goto.request('GET', `${GROUPS}?filter=${encodeURIComponent('displayName eq "engineering"')}&excludedAttributes=members`);
    expect(found.body).toMatchObject({ totalResults: 1, Resources: [{ id: created.body.id }] });
    expect(found.body.Resources[0]).not.toHaveProperty('members');
  });

  it('refuses a duplicate displayName (409), a missing one (400) and unknown attributes (400)', async () => {
    await createGroup('Sales');
    const duplicate = await createGroup('SALES');
    expect([duplicate.status, duplicate.body.scimType]).toEqual([409, 'uniqueness']);
    expect((await goto.request('POST', GROUPS, { body: { schemas: [GROUP_SCHEMA] } })).status).toBe(400);
    expect((await createGroup('X', { owner: 'me' })).body.detail).toMatch(/^Unknown attribute "owner"$/);
  });

  it('adds members and removes them by filter or, as Entra does, by value list', async () => {
    const { body: group } = await createGroup('Team');
    expect((await patchGroup(group.id, [{ op: 'Add', path: 'members', value: userIds.slice(0, 3).map((value) => ({ value })) }])).status).toBe(204);
    expect(membersOf(group.id)).toEqual(userIds.slice(0, 3));
    await patchGroup(group.id, [{ op: 'Remove', path: `members[value eq "${userIds[0]}"]` }]);
    await patchGroup(group.id, [{ op: 'Remove', path: 'members', value: [{ value: userIds[1] }] }]);
    expect(membersOf(group.id)).toEqual([userIds[2]]);
    await patchGroup(group.id, [{ op: 'replace', value: { displayName: 'Team 2' } }]);
    expect(goto.emulator.groups.getByDisplayName('team 2')?.id).toBe(group.id);
  });

  it('takes at most 100 member references per request', async () => {
    const { body: group } = await createGroup('Big');
    const hundred = userIds.slice(0, 100).map((value) => ({ value }));
    expect((await patchGroup(group.id, [{ op: 'add', path: 'members', value: hundred }])).status).toBe(204);
    const tooMany = await patchGroup(group.id, [{ op: 'add', path: 'members', value: userIds.slice(0, 101).map((value) => ({ value })) }]);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.detail).toMatch(/at most 100 members/);
    const splitAcrossOps = await patchGroup(group.id, [
      { op: 'add', path: 'members', value: userIds.slice(100, 150).map((value) => ({ value })) },
      ...userIds.slice(0, 51).map((id) => ({ op: 'remove', path: `members[value eq "${id}"]` })),
    ]);
    expect(splitAcrossOps.status).toBe(400);
    expect((await createGroup('Huge', { members: userIds.slice(0, 101).map((value) => ({ value })) })).status).toBe(400);
    expect(membersOf(group.id)).toHaveLength(100);
  });

  it('refuses members that are not users of the organisation', async () => {
    const { body: group } = await createGroup('Ghosts');
    const response = await patchGroup(group.id, [{ op: 'add', path: 'members', value: [{ value: '1' }] }]);
    expect([response.status, response.body.scimType]).toEqual([400, 'invalidValue']);
  });

  it('deletes a group (204), then answers 404', async () => {
    const { body: group } = await createGroup('Temp', { members: [{ value: userIds[0] }] });
    expect((await goto.request('DELETE', `${GROUPS}/${group.id}`)).status).toBe(204);
    expect((await goto.request('GET', `${GROUPS}/${group.id}`)).status).toBe(404);
    expect((await patchGroup(group.id, [{ op: 'add', path: 'members', value: [{ value: userIds[0] }] }])).status).toBe(404);
  });
});

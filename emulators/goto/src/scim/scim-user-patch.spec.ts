import { TestEmulator, scimUserBody } from '../testing/test-emulator';

const USERS = '/identity/v1/Users';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

describe('GoTo emulator: SCIM PATCH /Users/{id}', () => {
  let goto: TestEmulator;
  let id: string;
  // A GoTo told to accept e-mails and a title, so their PATCH forms can be tried; by default it refuses them (below).
  beforeAll(async () => (goto = await TestEmulator.start({ undocumentedUserAttributes: ['emails', 'title'] })));
  afterAll(() => goto.stop());
  beforeEach(async () => {
    goto.reset();
    const created = await goto.request('POST', USERS, {
      body: scimUserBody('patch@example.com', { externalId: 'e-1', title: 'Engineer', emails: [{ value: 'patch@example.com', type: 'work' }] }),
    });
    id = created.body.id;
  });

  const patch = (Operations: unknown[], schemas: unknown = [PATCH_OP]) =>
    goto.request('PATCH', `${USERS}/${id}`, { body: { schemas, Operations } });

  it('disables a user the way Entra does ("Replace", path active)', async () => {
    const response = await patch([{ op: 'Replace', path: 'active', value: false }]);
    expect(response.status).toBe(200);
    expect(response.body.active).toBe(false);
    expect(goto.emulator.users.get(id)?.active).toBe(false);
  });

  it('changes one name part and keeps the other', async () => {
    const response = await patch([{ op: 'replace', path: 'name.givenName', value: 'Amazing' }]);
    expect(response.body.name).toEqual({ givenName: 'Amazing', familyName: 'Hopper' });
  });

  it('applies path-less values, including dotted and extension-URN keys', async () => {
    const response = await patch([
      { op: 'Replace', value: { displayName: 'Grace H.', 'name.familyName': 'Murray', [`${ENTERPRISE}:department`]: 'Navy' } },
      { op: 'Add', value: { [ENTERPRISE]: { division: 'R&D' } } },
    ]);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      displayName: 'Grace H.',
      name: { givenName: 'Grace', familyName: 'Murray' },
      [ENTERPRISE]: { department: 'Navy', division: 'R&D' },
    });
    expect(response.body.schemas).toContain(ENTERPRISE);
  });

  it('adds and replaces a work e-mail through a value filter, and removes attributes', async () => {
    const replaced = await patch([{ op: 'Add', path: 'emails[type eq "work"].value', value: 'grace@example.com' }]);
    expect(replaced.body.emails).toEqual([{ value: 'grace@example.com', type: 'work' }]);
    const removed = await patch([
      { op: 'Remove', path: 'title' },
      { op: 'remove', path: 'emails[type eq "work"]' },
      { op: 'remove', path: 'externalId' },
    ]);
    expect(removed.status).toBe(200);
    expect(removed.body).not.toHaveProperty('title');
    expect(removed.body).not.toHaveProperty('emails');
    expect(goto.emulator.users.findByExternalId('e-1')).toEqual([]);
  });

  it('renames the user and keeps the userName index in step', async () => {
    await patch([{ op: 'replace', path: 'userName', value: 'renamed@example.com' }]);
    expect(goto.emulator.users.getByUserName('renamed@example.com')?.id).toBe(id);
    expect(goto.emulator.users.getByUserName('patch@example.com')).toBeUndefined();
  });

  it.each([
    ['a PatchOp without its schema', [{ op: 'replace', path: 'active', value: false }], ['urn:ietf:params:scim:schemas:core:2.0:User'], 'invalidSyntax'],
    ['an unknown op', [{ op: 'merge', path: 'active', value: false }], undefined, 'invalidSyntax'],
    ['no operations', [], undefined, 'invalidSyntax'],
    ['remove without a path', [{ op: 'remove' }], undefined, 'noTarget'],
    ['an unknown path', [{ op: 'replace', path: 'nickName', value: 'x' }], undefined, 'invalidPath'],
    ['an unknown sub-attribute path', [{ op: 'replace', path: 'name.middleName', value: 'x' }], undefined, 'invalidPath'],
    ['an unknown path-less attribute', [{ op: 'replace', value: { nickName: 'x' } }], undefined, 'invalidPath'],
    ['a value of the wrong type', [{ op: 'replace', path: 'active', value: 'False' }], undefined, 'invalidValue'],
    ['an unverified domain', [{ op: 'replace', path: 'userName', value: 'grace@gmail.com' }], undefined, 'invalidValue'],
    ['removing a required attribute', [{ op: 'remove', path: 'name.familyName' }], undefined, 'invalidValue'],
    ['a name part over 60 characters', [{ op: 'replace', path: 'name.givenName', value: 'g'.repeat(61) }], undefined, 'invalidValue'],
  ])('refuses %s with 400 and changes nothing', async (_case, operations, schemas, scimType) => {
    const before = goto.emulator.users.get(id);
    const response = await patch(operations, schemas);
    expect(response.status).toBe(400);
    expect(response.body.scimType).toBe(scimType);
    expect(goto.emulator.users.get(id)).toBe(before);
  });

  it('keeps the other addresses when the work address is replaced or removed through a value filter', async () => {
    await patch([{ op: 'add', path: 'emails', value: [{ value: 'home@example.com', type: 'home' }] }]);
    const replaced = await patch([{ op: 'replace', path: 'emails[type eq "work"].value', value: 'new@example.com' }]);
    expect(replaced.body.emails).toEqual([
      { value: 'new@example.com', type: 'work' },
      { value: 'home@example.com', type: 'home' },
    ]);
    const removed = await patch([{ op: 'remove', path: 'emails[type eq "work"]' }]);
    expect(removed.body.emails).toEqual([{ value: 'home@example.com', type: 'home' }]);
  });

  it('answers 409 when a rename hits a taken userName, and 404 for an unknown user', async () => {
    await goto.request('POST', USERS, { body: scimUserBody('taken@example.com') });
    expect((await patch([{ op: 'replace', path: 'userName', value: 'Taken@example.com' }])).status).toBe(409);
    const unknown = await goto.request('PATCH', `${USERS}/42`, { body: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] } });
    expect(unknown.status).toBe(404);
  });
});

describe('GoTo emulator: SCIM PATCH of attributes GoTo does not document', () => {
  let goto: TestEmulator;
  let id: string;
  beforeAll(async () => {
    goto = await TestEmulator.start();
    id = (await goto.request('POST', USERS, { body: scimUserBody('strict@example.com') })).body.id;
  });
  afterAll(() => goto.stop());

  it.each([
    ['a title', { op: 'replace', path: 'title', value: 'Engineer' }, "path 'title'"],
    ['a path-less title', { op: 'add', value: { title: 'Engineer' } }, "path 'title'"],
    ['a work e-mail', { op: 'replace', path: 'emails[type eq "work"].value', value: 'strict@example.com' }, `path 'emails[type eq "work"].value'`],
    ['removing e-mails', { op: 'remove', path: 'emails' }, "path 'emails'"],
  ])('refuses %s with 400 invalidPath naming it', async (_case, operation, named) => {
    const response = await goto.request('PATCH', `${USERS}/${id}`, { body: { schemas: [PATCH_OP], Operations: [operation] } });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ scimType: 'invalidPath', detail: expect.stringContaining(named) });
  });
});

import { generateSeedUsers } from '../directory/seed-users';
import { TestEmulator, scimUserBody } from '../testing/test-emulator';

const USERS = '/identity/v1/Users';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

describe('GoTo emulator: SCIM /Users', () => {
  let goto: TestEmulator;
  beforeAll(async () => (goto = await TestEmulator.start({ verifiedDomains: ['example.com', 'example.org'] })));
  afterAll(() => goto.stop());
  beforeEach(() => goto.reset());

  const create = (body: unknown, contentType?: string) =>
    goto.request('POST', USERS, { body, ...(contentType ? { contentType } : {}) });

  describe('create and read', () => {
    it('creates a user: 201, Location, meta, a numeric-string id beyond 2^53, active by default', async () => {
      const response = await create(
        scimUserBody('grace@example.com', {
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
          externalId: 'entra-1',
          displayName: 'Grace Hopper',
          locale: 'en-US',
          timezone: 'Europe/Berlin',
          [ENTERPRISE]: { department: 'Navy', employeeNumber: '7', costCenter: 'CC1', division: 'R&D' },
        }),
      );
      expect(response.status).toBe(201);
      expect(response.headers.get('content-type')).toContain('application/scim+json');
      const id: string = response.body.id;
      expect(id).toMatch(/^\d{19,}$/);
      expect(Number.isSafeInteger(Number(id))).toBe(false);
      expect(response.headers.get('location')).toBe(`${goto.baseUrl}${USERS}/${id}`);
      expect(response.body).toMatchObject({
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
        userName: 'grace@example.com',
        active: true,
        [ENTERPRISE]: { department: 'Navy' },
        meta: { resourceType: 'User', location: `${goto.baseUrl}${USERS}/${id}`, created: expect.any(String) },
      });
      expect((await goto.request('GET', `${USERS}/${id}`)).body).toEqual(response.body);
    });

    it('finds users by userName (case-insensitive) and externalId through filters', async () => {
      const { body } = await create(scimUserBody('ada@example.com', { externalId: 'x-1' }));
      const byName = await goto.request('GET', `${USERS}?filter=${encodeURIComponent('userName eq "ADA@example.com"')}`);
      expect(byName.body).toMatchObject({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
        totalResults: 1,
        startIndex: 1,
        itemsPerPage: 1,
        Resources: [{ id: body.id }],
      });
      const byExternalId = await goto.request('GET', `${USERS}?filter=${encodeURIComponent('externalId eq "x-1"')}`);
      expect(byExternalId.body.Resources.map((user: { id: string }) => user.id)).toEqual([body.id]);
      const none = await goto.request('GET', `${USERS}?filter=${encodeURIComponent('externalId eq "X-1"')}`);
      expect(none.body).toMatchObject({ totalResults: 0, Resources: [] });
    });

    it('answers 404 with a SCIM error for an unknown id', async () => {
      const response = await goto.request('GET', `${USERS}/123`);
      expect(response.status).toBe(404);
      expect(response.body).toEqual({ schemas: [ERROR_SCHEMA], status: '404', detail: "user '123' not found" });
    });
  });

  describe('strict validation (400 unless noted)', () => {
    it.each([
      ['an unknown attribute', scimUserBody('a@example.com', { nickName: 'x' }), 'invalidValue', /^Unknown attribute "nickName"$/],
      ['a job title (not in GoTo\'s documents)', scimUserBody('a@example.com', { title: 'Engineer' }), 'invalidValue', /^Unknown attribute "title"$/],
      ['e-mails (not in GoTo\'s documents)', scimUserBody('a@example.com', { emails: [{ value: 'a@example.com', type: 'work' }] }), 'invalidValue', /^Unknown attribute "emails"$/],
      ['an unknown sub-attribute', scimUserBody('a@example.com', { name: { givenName: 'A', familyName: 'B', middleName: 'C' } }), 'invalidValue', /"name\.middleName"/],
      ['an attribute of an undeclared extension', scimUserBody('a@example.com', { [ENTERPRISE]: { department: 'X' } }), 'invalidSyntax', /not listed in 'schemas'/],
      ['an unknown extension attribute', scimUserBody('a@example.com', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE], [ENTERPRISE]: { manager: 'x' } }), 'invalidValue', /manager/],
      ['a password (not accepted)', scimUserBody('a@example.com', { password: 'secret' }), 'invalidValue', /"password"/],
      ['no schemas', { userName: 'a@example.com', name: { givenName: 'A', familyName: 'B' } }, 'invalidSyntax', /schemas/],
      ['a wrong schema', scimUserBody('a@example.com', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'] }), 'invalidSyntax', /not supported/],
      ['no userName', scimUserBody('a@example.com', { userName: undefined }), 'invalidValue', /'userName' is required/],
      ['no name', scimUserBody('a@example.com', { name: undefined }), 'invalidValue', /'name' is required/],
      ['no givenName', scimUserBody('a@example.com', { name: { familyName: 'B' } }), 'invalidValue', /'name\.givenName' is required/],
      ['no familyName', scimUserBody('a@example.com', { name: { givenName: 'A' } }), 'invalidValue', /'name\.familyName' is required/],
      ['active as a string', scimUserBody('a@example.com', { active: 'true' }), 'invalidValue', /'active' must be a boolean/],
      ['userName as a number', scimUserBody('a@example.com', { userName: 42 }), 'invalidValue', /must be a string/],
      ['a userName over 128 characters', scimUserBody(`${'a'.repeat(117)}@example.com`), 'invalidValue', /longer than 128/],
      ['a givenName over 60 characters', scimUserBody('a@example.com', { name: { givenName: 'g'.repeat(61), familyName: 'B' } }), 'invalidValue', /longer than 60/],
      ['a familyName over 60 characters', scimUserBody('a@example.com', { name: { givenName: 'A', familyName: 'f'.repeat(61) } }), 'invalidValue', /longer than 60/],
      ['a userName on an unverified domain', scimUserBody('a@unverified.com'), 'invalidValue', /'unverified\.com', which is not a verified domain/],
      ['a userName that is not an e-mail', scimUserBody('grace'), 'invalidValue', /must be an e-mail/],
      ['an invalid time zone', scimUserBody('a@example.com', { timezone: 'Mars/Olympus' }), 'invalidValue', /time zone/],
      ['an invalid locale', scimUserBody('a@example.com', { locale: 'English' }), 'invalidValue', /ISO-639/],
      ['a client-chosen id', scimUserBody('a@example.com', { id: '1' }), 'mutability', /'id'/],
    ])('refuses %s', async (_case, body, scimType, detail) => {
      const response = await create(body);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ schemas: [ERROR_SCHEMA], status: '400', scimType, detail: expect.stringMatching(detail) });
      expect(goto.emulator.users.size).toBe(0);
    });

    it('accepts exactly 128 and 60 characters', async () => {
      const body = scimUserBody(`${'a'.repeat(116)}@example.com`, { name: { givenName: 'g'.repeat(60), familyName: 'f'.repeat(60) } });
      expect((await create(body)).status).toBe(201);
    });

    it('refuses a non-JSON body and a wrong content type', async () => {
      const notJson = await create('{"schemas": [', 'application/scim+json');
      expect([notJson.status, notJson.body.scimType]).toEqual([400, 'invalidSyntax']);
      const wrongType = await create(JSON.stringify(scimUserBody('a@example.com')), 'text/plain');
      expect([wrongType.status, wrongType.body.scimType]).toEqual([400, 'invalidSyntax']);
      expect((await create(scimUserBody('a@example.com'), 'application/json; charset=utf-8')).status).toBe(201);
    });

    it('answers 409 uniqueness for a duplicate userName, whatever its case', async () => {
      expect((await create(scimUserBody('dup@example.com'))).status).toBe(201);
      const duplicate = await create(scimUserBody('DUP@example.com'));
      expect(duplicate.status).toBe(409);
      expect(duplicate.body).toMatchObject({ status: '409', scimType: 'uniqueness' });
    });
  });

  describe('paging and filters', () => {
    beforeEach(() => goto.emulator.seedUsers(generateSeedUsers(250)));

    it('pages with a 1-based startIndex and count', async () => {
      const page = await goto.request('GET', `${USERS}?startIndex=101&count=50`);
      expect(page.body).toMatchObject({ totalResults: 250, startIndex: 101, itemsPerPage: 50 });
      expect(page.body.Resources[0].userName).toBe('user000101@example.com');
      const last = await goto.request('GET', `${USERS}?startIndex=241&count=50`);
      expect(last.body.Resources).toHaveLength(10);
      const beyond = await goto.request('GET', `${USERS}?startIndex=251`);
      expect(beyond.body).toMatchObject({ totalResults: 250, itemsPerPage: 0, Resources: [] });
    });

    it('caps count at the page size (default 100) and clamps startIndex below 1', async () => {
      const page = await goto.request('GET', `${USERS}?startIndex=0&count=1000`);
      expect(page.body).toMatchObject({ startIndex: 1, itemsPerPage: 100 });
    });

    it.each([
      ['an unsupported operator', 'userName sw "user"'],
      ['an unindexed attribute', 'displayName eq "x"'],
      ['a compound filter', 'userName eq "a@example.com" and active eq true'],
      ['garbage', 'userName'],
    ])('refuses %s with 400 invalidFilter', async (_case, filter) => {
      const response = await goto.request('GET', `${USERS}?filter=${encodeURIComponent(filter)}`);
      expect(response.status).toBe(400);
      expect(response.body.scimType).toBe('invalidFilter');
    });

    it('refuses unknown query parameters and non-integer paging', async () => {
      expect((await goto.request('GET', `${USERS}?startindex=5`)).status).toBe(400);
      expect((await goto.request('GET', `${USERS}?count=ten`)).status).toBe(400);
    });
  });

  describe('with undocumented e-mails and title accepted (option undocumentedUserAttributes)', () => {
    let extended: TestEmulator;
    beforeAll(async () => (extended = await TestEmulator.start({ undocumentedUserAttributes: ['emails', 'title'] })));
    afterAll(() => extended.stop());

    it('accepts and lists them', async () => {
      const body = scimUserBody('grace@example.com', { title: 'Rear Admiral', emails: [{ value: 'grace@example.com', type: 'work', primary: true }] });
      const created = await extended.request('POST', USERS, { body });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ title: 'Rear Admiral', emails: [{ value: 'grace@example.com', type: 'work' }] });
      const user = (await extended.request('GET', '/identity/v1/Schemas')).body.Resources.find((schema: { name: string }) => schema.name === 'User');
      expect(user.attributes.map((attribute: { name: string }) => attribute.name)).toEqual(expect.arrayContaining(['emails', 'title']));
    });

    it.each([
      ['emails not an array', { emails: { value: 'a@example.com' } }, /must be an array/],
      ['two primary e-mails', { emails: [{ value: 'a@example.com', primary: true }, { value: 'b@example.com', primary: true }] }, /at most one primary/],
      ['an e-mail type outside work/home/other', { emails: [{ value: 'a@example.com', type: 'office' }] }, /work, home, other/],
      ['an e-mail on an unverified domain', { emails: [{ value: 'a@gmail.com' }] }, /'emails\[0\]\.value' uses domain 'gmail\.com'/],
    ])('still refuses %s', async (_case, extra, detail) => {
      const response = await extended.request('POST', USERS, { body: scimUserBody('a@example.com', extra) });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ scimType: 'invalidValue', detail: expect.stringMatching(detail) });
    });
  });

  describe('replace and delete', () => {
    it('PUT refuses an attribute GoTo does not document, naming it', async () => {
      const { body: created } = await create(scimUserBody('put@example.com'));
      const replaced = await goto.request('PUT', `${USERS}/${created.id}`, { body: scimUserBody('put@example.com', { title: 'Engineer' }) });
      expect(replaced.status).toBe(400);
      expect(replaced.body).toMatchObject({ scimType: 'invalidValue', detail: 'Unknown attribute "title"' });
    });

    it('PUT replaces the whole resource: omitted attributes are gone', async () => {
      const { body: created } = await create(scimUserBody('put@example.com', { displayName: 'Engineer', externalId: 'e-1' }));
      const replaced = await goto.request('PUT', `${USERS}/${created.id}`, {
        body: { ...scimUserBody('put@example.com', { active: false }), id: created.id, meta: created.meta },
      });
      expect(replaced.status).toBe(200);
      expect(replaced.body).toMatchObject({ active: false });
      expect(replaced.body).not.toHaveProperty('displayName');
      expect(goto.emulator.users.findByExternalId('e-1')).toEqual([]);
    });

    it('PUT refuses a different id in the body and a userName that is taken', async () => {
      const { body: first } = await create(scimUserBody('one@example.com'));
      await create(scimUserBody('two@example.com'));
      const otherId = await goto.request('PUT', `${USERS}/${first.id}`, { body: { ...scimUserBody('one@example.com'), id: '1' } });
      expect([otherId.status, otherId.body.scimType]).toEqual([400, 'mutability']);
      const taken = await goto.request('PUT', `${USERS}/${first.id}`, { body: scimUserBody('two@example.com') });
      expect(taken.status).toBe(409);
    });

    it('DELETE answers 204, then the user is gone (404) and out of its groups', async () => {
      const { body: user } = await create(scimUserBody('bye@example.com'));
      const { body: group } = await goto.request('POST', '/identity/v1/Groups', {
        body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'G', members: [{ value: user.id }] },
      });
      expect((await goto.request('DELETE', `${USERS}/${user.id}`)).status).toBe(204);
      expect((await goto.request('GET', `${USERS}/${user.id}`)).status).toBe(404);
      expect((await goto.request('DELETE', `${USERS}/${user.id}`)).status).toBe(404);
      expect(goto.emulator.groups.get(group.id)?.members.size).toBe(0);
    });

    it('answers 405 for a method the resource does not have', async () => {
      const response = await goto.request('DELETE', USERS);
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('GET, POST');
    });
  });
});

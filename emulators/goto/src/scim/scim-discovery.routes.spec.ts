import { TestEmulator } from '../testing/test-emulator';

describe('GoTo emulator: SCIM discovery', () => {
  let goto: TestEmulator;
  beforeAll(async () => (goto = await TestEmulator.start()));
  afterAll(() => goto.stop());

  it('describes its capabilities: PATCH and filters yes, bulk, sort and etags no', async () => {
    const response = await goto.request('GET', '/identity/v1/ServiceProviderConfig', { as: 'member' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      patch: { supported: true },
      bulk: { supported: false },
      filter: { supported: true, maxResults: 100 },
      sort: { supported: false },
    });
  });

  it('publishes the schemas it validates against', async () => {
    const response = await goto.request('GET', '/identity/v1/Schemas');
    const user = response.body.Resources.find((schema: { name: string }) => schema.name === 'User');
    const userName = user.attributes.find((attribute: { name: string }) => attribute.name === 'userName');
    expect(userName).toMatchObject({ required: true, uniqueness: 'server' });
    expect(response.body.Resources.map((schema: { id: string }) => schema.id)).toContain(
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
    );
    expect((await goto.request('GET', '/identity/v1/Schemas/urn:nope')).status).toBe(404);
  });

  it('lists exactly the user attributes GoTo documents, which are the ones it accepts', async () => {
    const schemas = (await goto.request('GET', '/identity/v1/Schemas')).body.Resources;
    const names = (id: string) => schemas.find((schema: { id: string }) => schema.id === id).attributes.map((attribute: { name: string }) => attribute.name);
    expect(names('urn:ietf:params:scim:schemas:core:2.0:User')).toEqual(['userName', 'externalId', 'active', 'displayName', 'name', 'locale', 'timezone']);
    expect(names('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User')).toEqual(['department', 'employeeNumber', 'costCenter', 'division']);
  });

  it('describes its resource types (RFC 7643 §6): User with the enterprise extension, and Group', async () => {
    const response = await goto.request('GET', '/identity/v1/ResourceTypes');
    expect(response.status).toBe(200);
    expect(response.body.Resources).toEqual([
      expect.objectContaining({
        id: 'User',
        endpoint: '/Users',
        schema: 'urn:ietf:params:scim:schemas:core:2.0:User',
        schemaExtensions: [{ schema: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', required: false }],
      }),
      expect.objectContaining({ id: 'Group', endpoint: '/Groups', schema: 'urn:ietf:params:scim:schemas:core:2.0:Group', schemaExtensions: [] }),
    ]);
    expect((await goto.request('GET', '/identity/v1/ResourceTypes/User')).body.name).toBe('User');
    expect((await goto.request('GET', '/identity/v1/ResourceTypes/Nope')).status).toBe(404);
  });

  it('offers no /Schemas or /ResourceTypes with schemaDiscovery off, like a GoTo that publishes none', async () => {
    const bare = await TestEmulator.start({ schemaDiscovery: false });
    try {
      for (const path of ['/Schemas', '/Schemas/urn:ietf:params:scim:schemas:core:2.0:User', '/ResourceTypes', '/ResourceTypes/User']) {
        expect((await bare.request('GET', `/identity/v1${path}`)).status).toBe(404);
      }
      expect((await bare.request('GET', '/identity/v1/ServiceProviderConfig')).status).toBe(200);
    } finally {
      await bare.stop();
    }
  });

  it('still needs a token', async () => {
    expect((await goto.request('GET', '/identity/v1/Schemas', { as: null })).status).toBe(401);
  });
});

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

  it('still needs a token', async () => {
    expect((await goto.request('GET', '/identity/v1/Schemas', { as: null })).status).toBe(401);
  });
});

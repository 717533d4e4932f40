import { DEMO_PRINCIPALS, TestEmulator, type GotoEmulatorOptions } from '@roster/goto-emulator';
import { GotoClient } from './goto-client';
import { userAttributesOf, type ScimResourceType, type ScimSchemaResource } from './scim-schema-discovery';
import { ENTERPRISE_USER_SCHEMA, SCIM_USER_SCHEMA } from './scim-types';

const core: ScimSchemaResource = {
  id: SCIM_USER_SCHEMA,
  attributes: [
    { name: 'userName', type: 'string', required: true },
    { name: 'id', type: 'string', mutability: 'readOnly' },
    {
      name: 'name',
      type: 'complex',
      required: true,
      subAttributes: [
        { name: 'givenName', type: 'string', required: true },
        { name: 'familyName', type: 'string' },
      ],
    },
    {
      name: 'emails',
      type: 'complex',
      multiValued: true,
      subAttributes: [
        { name: 'value', type: 'string' },
        { name: 'type', type: 'string', canonicalValues: ['work', 'home'] },
      ],
    },
    { name: 'phoneNumbers', type: 'complex', multiValued: true, subAttributes: [{ name: 'value', type: 'string' }] },
    { name: 'groups', type: 'string', multiValued: true },
  ],
};
const enterprise: ScimSchemaResource = { id: ENTERPRISE_USER_SCHEMA, attributes: [{ name: 'department', type: 'string' }] };
const userType: ScimResourceType = { name: 'User', endpoint: '/Users', schema: SCIM_USER_SCHEMA, schemaExtensions: [{ schema: ENTERPRISE_USER_SCHEMA }] };

describe('userAttributesOf', () => {
  it('flattens the User resource type to mapping paths, typed e-mails by their canonical types', () => {
    expect(userAttributesOf([core, enterprise], [userType])).toEqual([
      { path: 'userName', type: 'string', multiValued: false, mutability: 'readWrite', required: true },
      { path: 'id', type: 'string', multiValued: false, mutability: 'readOnly', required: false },
      { path: 'name.givenName', type: 'string', multiValued: false, mutability: 'readWrite', required: true },
      { path: 'name.familyName', type: 'string', multiValued: false, mutability: 'readWrite', required: false },
      { path: 'emails[type eq "work"].value', type: 'string', multiValued: false, mutability: 'readWrite', required: false },
      { path: 'emails[type eq "home"].value', type: 'string', multiValued: false, mutability: 'readWrite', required: false },
      { path: 'groups', type: 'string', multiValued: true, mutability: 'readWrite', required: false },
      { path: `${ENTERPRISE_USER_SCHEMA}:department`, type: 'string', multiValued: false, mutability: 'readWrite', required: false },
    ]);
  });

  it('takes only the extensions the User resource type names', () => {
    const paths = userAttributesOf([core, enterprise], [{ ...userType, schemaExtensions: [] }]).map((a) => a.path);
    expect(paths).not.toContain(`${ENTERPRISE_USER_SCHEMA}:department`);
  });

  it('without /ResourceTypes, takes the core User schema and the enterprise extension', () => {
    const paths = userAttributesOf([core, enterprise], null).map((a) => a.path);
    expect(paths).toContain('userName');
    expect(paths).toContain(`${ENTERPRISE_USER_SCHEMA}:department`);
  });
});

describe('GotoClient.readUserSchema against the emulator', () => {
  const credentials = { kind: 'oauth-client', ...DEMO_PRINCIPALS.client } as const;
  const read = async (options: GotoEmulatorOptions) => {
    const goto = await TestEmulator.start(options);
    try {
      return await new GotoClient({ endpoints: goto.emulator.endpoints, credentials }).readUserSchema();
    } finally {
      await goto.stop();
    }
  };

  it("reads GoTo's documented user attributes from /ResourceTypes and /Schemas", async () => {
    expect((await read({}))?.map((a) => a.path)).toEqual([
      'userName',
      'externalId',
      'active',
      'displayName',
      'name.givenName',
      'name.familyName',
      'locale',
      'timezone',
      `${ENTERPRISE_USER_SCHEMA}:department`,
      `${ENTERPRISE_USER_SCHEMA}:employeeNumber`,
      `${ENTERPRISE_USER_SCHEMA}:costCenter`,
      `${ENTERPRISE_USER_SCHEMA}:division`,
    ]);
  });

  it('lists typed e-mails when GoTo accepts them', async () => {
    expect((await read({ undocumentedUserAttributes: ['emails'] }))?.map((a) => a.path)).toEqual(
      expect.arrayContaining(['emails[type eq "work"].value', 'emails[type eq "home"].value', 'emails[type eq "other"].value']),
    );
  });

  it('answers null when GoTo offers no /Schemas', async () => {
    expect(await read({ schemaDiscovery: false })).toBeNull();
  });
});

import { mappingConfigSchema } from './mapping-config.schema';
import { provisioningCommandSchema } from './provisioning-command';

const command = {
  version: 2,
  idempotencyKey: 'k',
  correlationId: 'c',
  provisioningJobId: 'gotomeeting',
  occurredAt: '2026-11-28T00:00:00Z',
  userId: 'u1',
  order: '1',
  matching: [{ targetAttribute: 'userName', value: 'ada@example.com', precedence: 1 }],
};

describe('provisioning command licenses (version 2)', () => {
  it('accepts license keys on version 2 and an update that changes only the licenses', () => {
    const update = { ...command, type: 'user.update', attributes: {}, changed: [], licenseKeys: ['4730126558413921284'] };
    expect(provisioningCommandSchema.safeParse(update).success).toBe(true);
    expect(provisioningCommandSchema.safeParse({ ...command, type: 'user.disable', licenseKeys: [] }).success).toBe(true);
  });

  it('refuses license keys on version 1, an update that changes nothing, and keys that are not strings of digits', () => {
    const v1 = provisioningCommandSchema.safeParse({ ...command, version: 1, type: 'user.create', attributes: {}, licenseKeys: ['1'] });
    expect(v1.error?.issues[0]).toMatchObject({ path: ['licenseKeys'], message: 'licenseKeys needs command version 2' });
    const empty = provisioningCommandSchema.safeParse({ ...command, type: 'user.update', attributes: {}, changed: [] });
    expect(empty.error?.issues[0]?.path).toEqual(['changed']);
    expect(provisioningCommandSchema.safeParse({ ...command, type: 'user.create', attributes: {}, licenseKeys: [47] }).success).toBe(false);
  });
});

describe('mapping configuration licenses', () => {
  const mappings = [{ target: 'userName', type: 'Direct', source: 'userPrincipalName', matchingPrecedence: 1 }];

  it('takes a map of app role → keys and removeOnDisable, defaulting to keep licenses on disable', () => {
    const parsed = mappingConfigSchema.parse({ attributeMappings: mappings, licenses: { byAppRole: { role: ['4730126558413921284'] } } });
    expect(parsed.licenses).toEqual({ byAppRole: { role: ['4730126558413921284'] }, removeOnDisable: false });
    expect(mappingConfigSchema.parse({ attributeMappings: mappings }).licenses).toBeUndefined();
  });

  it('refuses a key written as a number, which YAML and JSON cannot hold exactly', () => {
    const parsed = mappingConfigSchema.safeParse({ attributeMappings: mappings, licenses: { byAppRole: { role: [4730126558413921284] } } });
    expect(parsed.error?.issues[0]?.path).toEqual(['licenses', 'byAppRole', 'role', 0]);
  });
});

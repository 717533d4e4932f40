import type { TargetProfile } from '@roster/contracts';
import { DEFAULT_GOTOMEETING_MAPPING, MappingConfigError, validateMappingConfig } from '@roster/mapping';
import type { TargetProfileReader } from '../target-profile/target-profile.reader';
import { LicenseKeyValidator } from './license-key.validator';

const MEETING = '4730126558413921284';
const profile = (licenses: TargetProfile['licenses']): TargetProfile => ({
  provisioningJobId: 'gotomeeting',
  readAt: '2026-12-03T10:00:00Z',
  userAttributes: null,
  licenses,
});
const validator = (read: TargetProfile | null) => new LicenseKeyValidator({ get: async () => read } as unknown as TargetProfileReader);
const config = (keys: string[]) => validateMappingConfig({ ...DEFAULT_GOTOMEETING_MAPPING, licenses: { byAppRole: { organizer: keys } } });

describe('LicenseKeyValidator', () => {
  it('passes the keys the account has, with their free seats', async () => {
    const check = await validator(profile([{ key: MEETING, products: ['G2M'], seats: { total: 3, used: 3 } }])).check('gotomeeting', config([MEETING]));
    expect(check).toEqual({ unknownKeys: [], licenses: [{ key: MEETING, products: ['G2M'], freeSeats: 0, appRoles: ['organizer'] }] });
  });

  it('refuses a key the account lacks, naming its place and the account’s licenses', async () => {
    const refused = validator(profile([{ key: MEETING, description: 'GoToMeeting Business', products: ['G2M'] }])).check('gotomeeting', config(['42']));
    await expect(refused).rejects.toThrow(MappingConfigError);
    await expect(refused).rejects.toMatchObject({
      problems: [{ path: 'licenses.byAppRole.organizer[0]', message: `unknown license key "42": the GoTo account's licenses are ${MEETING} (GoToMeeting Business)` }],
    });
  });

  it('lets the keys through with a note when the account licenses were never read (connector not started, or no Admin API)', async () => {
    for (const read of [null, profile(null)]) {
      expect(await validator(read).check('gotomeeting', config(['42']))).toMatchObject({ unknownKeys: [], note: expect.stringContaining('not checked') });
    }
  });

  it('checks nothing for a mapping that gives no licenses', async () => {
    expect(await validator(null).check('gotomeeting', validateMappingConfig(DEFAULT_GOTOMEETING_MAPPING))).toBeUndefined();
  });
});

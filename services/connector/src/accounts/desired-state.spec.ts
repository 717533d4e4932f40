import { ProvisioningCommandType as C } from '@roster/contracts';
import { aCommand } from '@roster/testing';
import { appliedStateOf } from './applied-state';
import { attributesToSend, desiredAfter, wantsAccount, type DesiredUser } from './desired-state';

describe('desired state', () => {
  const create = aCommand({ n: 1, order: 5 });
  const created = desiredAfter(null, { ...create, version: 2, licenseKeys: ['k1'] });

  it('is the newest command: an older one leaves it as it is', () => {
    const update = aCommand({ n: 1, order: 7, type: C.UpdateUser, change: { displayName: 'Lead' } });
    const updated = desiredAfter(created, update);
    expect(updated).toMatchObject({ order: '7', changed: ['displayName'], attributes: expect.objectContaining({ displayName: 'Lead' }) });
    expect(desiredAfter(updated, create)).toBe(updated);
  });

  it('keeps what a newer command does not repeat: attributes through a disable, license keys through a command without them', () => {
    const disabled = desiredAfter(created, aCommand({ n: 1, order: 6, type: C.DisableUser }));
    expect(disabled).toMatchObject({ present: true, licenseKeys: ['k1'], attributes: { ...create.attributes, active: false } });
    expect(wantsAccount(disabled)).toBe(false);
    expect(desiredAfter(null, aCommand({ n: 1, order: 6, type: C.DisableUser })).attributes).toBeNull();
    expect(desiredAfter(created, aCommand({ n: 1, order: 9, type: C.DeleteUser }))).toMatchObject({ present: false, licenseKeys: ['k1'] });
  });

  it('completes a disable with the attributes of an older command seen after it, the newest of them, as if they had come in order', () => {
    const disable = aCommand({ n: 1, order: 8, type: C.DisableUser });
    const update = aCommand({ n: 1, order: 7, type: C.UpdateUser, change: { displayName: 'Lead' } });
    const early = desiredAfter(null, disable);
    const completed = desiredAfter(early, { ...create, version: 2, licenseKeys: ['k1'] });
    expect(completed).toMatchObject({ order: '8', type: C.DisableUser, licenseKeys: ['k1'], attributes: { ...create.attributes, active: false }, attributesOrder: '5' });
    // In order, the create would have made the account the disable then disabled.
    expect(wantsAccount(completed)).toBe(true);
    const newest = desiredAfter(completed, update);
    expect(newest.attributes).toMatchObject({ displayName: 'Lead', active: false });
    expect(desiredAfter(newest, create)).toBe(newest);
    expect(desiredAfter(newest, update)).toBe(newest);
    // In order, the same state: the disable keeps what the update said.
    expect(desiredAfter(desiredAfter(created, update), disable)).toEqual({ ...newest, changed: null, keepsAccount: undefined });
    expect(desiredAfter(newest, aCommand({ n: 1, order: 9, type: C.DisableUser })).keepsAccount).toBe(true);
    expect(desiredAfter(desiredAfter(null, aCommand({ n: 1, order: 9, type: C.DeleteUser })), create).present).toBe(false);
  });

  describe('attributes to send', () => {
    const desired: DesiredUser = { ...created, attributes: { ...create.attributes, title: null } };

    it('to an account of unknown content (matched, not created): every attribute with a value, no removals', () => {
      expect(attributesToSend(desired, null)).toEqual(Object.keys(create.attributes));
    });

    it('to an account whose content GoTo answered: what differs, never removing what neither side has', () => {
      const held = appliedStateOf({ ...create.attributes, displayName: 'Old' }, []);
      expect(attributesToSend(desired, held)).toEqual(['displayName']);
      expect(attributesToSend(desired, appliedStateOf({ ...create.attributes, title: 'Eng' }, []))).toEqual(['title']);
      expect(attributesToSend(desired, appliedStateOf(desired.attributes!, []))).toEqual([]);
    });

    it('an update removes what it says it changed to nothing, even when what the account holds is not known', () => {
      const update = desiredAfter(created, aCommand({ n: 1, order: 6, type: C.UpdateUser, change: { title: null, displayName: 'X' } }));
      expect(attributesToSend(update, null)).toEqual(['title', 'displayName']);
    });

    it('a disable of an account Roster has no attributes of sends active alone', () => {
      const disabled = desiredAfter(null, aCommand({ n: 1, order: 6, type: C.DisableUser }));
      expect(attributesToSend(disabled, null)).toEqual(['active']);
      expect(attributesToSend(disabled, { active: false })).toEqual([]);
    });
  });
});

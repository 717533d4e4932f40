import { DELETE_INTENT, intentHolds, intentOf } from './write-intent';

const caseInsensitive = new Set(['userName']);
const account = (attributes: Record<string, string | boolean | null>) => ({ attributes });

describe('write intents', () => {
  it('keeps the sent values, removals as null, and leaves redacted ones out', () => {
    const intent = intentOf({ userName: 'ada@x.org', displayName: null, password: 'secret', title: 'CTO' }, ['displayName', 'password', 'userName'], ['password']);
    expect(intent).toEqual({ present: true, values: { displayName: null, userName: 'ada@x.org' } });
  });

  it('holds when the account has every value the write set, a removal as no value, userName ignoring case', () => {
    const intent = intentOf({ userName: 'Ada@X.org', displayName: null, active: true }, ['userName', 'displayName', 'active'], []);
    expect(intentHolds(intent, account({ userName: 'ada@x.org', active: true }), caseInsensitive)).toBe(true);
    expect(intentHolds(intent, account({ userName: 'ada@x.org', displayName: 'Ada', active: true }), caseInsensitive)).toBe(false);
    expect(intentHolds(intent, account({ userName: 'ada@x.org', active: false }), caseInsensitive)).toBe(false);
    expect(intentHolds(intent, null, caseInsensitive)).toBe(false);
  });

  it('holds a delete when the account is gone', () => {
    expect(intentHolds(DELETE_INTENT, null, caseInsensitive)).toBe(true);
    expect(intentHolds(DELETE_INTENT, account({ userName: 'ada@x.org' }), caseInsensitive)).toBe(false);
  });

  it('never holds a write it cannot see (only redacted values): sent again rather than claimed', () => {
    const intent = intentOf({ password: 'secret' }, ['password'], ['password']);
    expect(intentHolds(intent, account({ userName: 'ada@x.org' }), caseInsensitive)).toBe(false);
  });
});

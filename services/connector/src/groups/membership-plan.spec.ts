import { planMembershipChanges, type PendingMembership } from './membership-plan';

let seq = 0;
const change = (userId: string, member: boolean, order = '1', wanted: PendingMembership['wanted'] = null): PendingMembership => ({
  commandKey: `${userId}:${member ? 'add' : 'remove'}:${order}:${++seq}`,
  userId,
  accountId: `acc-${userId}`,
  member,
  order,
  seq: String(seq),
  wanted,
});

describe('planMembershipChanges', () => {
  it('sends 150 changes in two requests of at most 100, in arrival order', () => {
    const pending = Array.from({ length: 150 }, (_, i) => change(`u${i}`, true));
    const plan = planMembershipChanges(pending, 100);
    expect(plan.requests.map((r) => r.length)).toEqual([100, 50]);
    expect(plan.requests.flat().map((c) => c.userId)).toEqual(pending.map((c) => c.userId));
    expect(plan.superseded).toEqual([]);
  });

  it("sends only a user's newest change: a remove is never overtaken by the add before it", () => {
    const add = change('ada', true, '5');
    const remove = change('ada', false, '7');
    // The remove arrived first (another replica), yet its order is newer: it wins either way.
    for (const pending of [[add, remove], [remove, add]]) {
      const plan = planMembershipChanges(pending, 100);
      expect(plan.requests).toEqual([[remove]]);
      expect(plan.superseded).toEqual([{ change: add, by: remove }]);
    }
  });

  it('breaks a tie of change orders by arrival', () => {
    const first = change('bob', true, '3');
    const second = change('bob', false, '3');
    expect(planMembershipChanges([second, first], 100).requests).toEqual([[second]]);
  });

  it("never sends an add left pending once the newer removal that superseded it was settled (its flush rolled back the add's settling)", () => {
    const removal = { member: false, order: '7' };
    const add = change('ada', true, '5', removal);
    expect(planMembershipChanges([add], 100)).toEqual({ superseded: [{ change: add, by: removal }], requests: [] });
  });

  it("sends a change that is the user's newest accepted one, or newer than it", () => {
    const again = change('ada', true, '5', { member: true, order: '5' });
    const newer = change('bob', false, '9', { member: true, order: '4' });
    expect(planMembershipChanges([again, newer], 100)).toEqual({ superseded: [], requests: [[again, newer]] });
  });

  it('takes a newest accepted change of the same order but another member as the later one', () => {
    const add = change('ada', true, '5', { member: false, order: '5' });
    expect(planMembershipChanges([add], 100).requests).toEqual([]);
  });

  it('plans nothing for nothing', () => {
    expect(planMembershipChanges([], 100)).toEqual({ superseded: [], requests: [] });
  });
});

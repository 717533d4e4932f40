import { AssignmentChangeType as E, ProvisioningCommandType as C, assignmentChangeBatchSchema, assignmentChangeEventSchema, provisioningCommandSchema } from '@roster/contracts';
import { aBatch } from './a-batch';
import { aCommand } from './a-command';
import { anEvent } from './an-event';

// Fixtures that break the contracts would make every test built on them test the wrong thing.
describe('test factories', () => {
  it.each(Object.values(C))('aCommand builds a %s command the contract accepts', (type) => {
    expect(provisioningCommandSchema.safeParse(aCommand({ n: 1, type, change: { displayName: 'X' } })).success).toBe(true);
  });

  it.each([E.UserAssigned, E.UserUnassigned, E.UserAttributesChanged, E.UserDisabled, E.UserDeleted, E.GroupMemberAdded, E.GroupMemberRemoved])(
    'anEvent builds a %s event the contract accepts',
    (type) => {
      expect(assignmentChangeEventSchema.safeParse(anEvent({ userId: 'u1', type, cycle: '3' })).success).toBe(true);
    },
  );

  it('keeps the messages of different users, orders and runs apart', () => {
    const keys = [aCommand({ n: 1 }), aCommand({ n: 2 }), aCommand({ n: 1, order: 2 }), aCommand({ n: 1, run: 'r' })].map((c) => c.idempotencyKey);
    expect(new Set(keys).size).toBe(4);
    expect(anEvent({ userId: 'a', order: 1 }).idempotencyKey).not.toBe(anEvent({ userId: 'a', order: 2 }).idempotencyKey);
  });

  it('aBatch wraps events in one batch the queue contract accepts, and refuses more than a batch holds', () => {
    const batch = aBatch([anEvent({ userId: 'a' }), anEvent({ userId: 'b' })]);
    expect(assignmentChangeBatchSchema.safeParse(batch).success).toBe(true);
    expect(batch.events).toHaveLength(2);
    expect(() => aBatch([])).toThrow(/1 to 1,000 events/);
  });
});

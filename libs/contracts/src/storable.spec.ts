import { auditBatchSchema, auditRecordSchema } from './audit-record';
import { assignmentChangeBatchSchema, assignmentChangeEventSchema } from './assignment-change.event';
import { changeOrderSchema } from './message-envelope.schema';
import { provisioningCommandSchema } from './provisioning-command';
import { NUL_MESSAGE, nulPath } from './storable';

const envelope = {
  version: 1,
  idempotencyKey: 'key-1',
  correlationId: 'corr-1',
  provisioningJobId: 'gotomeeting',
  occurredAt: '2026-12-01T10:00:00Z',
};
const command = {
  ...envelope,
  type: 'user.create',
  userId: 'dir-1',
  order: '42',
  matching: [{ targetAttribute: 'userName', value: 'ann@example.com', precedence: 1 }],
  attributes: { userName: 'ann@example.com', 'name.givenName': 'Ann' },
};
const event = {
  ...envelope,
  type: 'user.attributes-changed',
  source: { kind: 'demo', order: '42' },
  user: { id: 'dir-1', attributes: { givenName: 'Ann', proxyAddresses: ['smtp:ann@example.com'] } },
};
const record = {
  version: 1,
  id: 'connector/executed/Create/key-1/1',
  occurredAt: '2026-12-01T10:00:00Z',
  service: 'connector',
  provisioningJobId: 'gotomeeting',
  correlationId: 'corr-1',
  action: 'Create',
  step: 'executed',
  status: 'success',
};

const issuesOf = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  result.success ? [] : result.error!.issues.map((i) => [i.path.join('.'), i.message]);

describe('contracts refuse what PostgreSQL cannot store', () => {
  it('accepts the well-formed messages these tests start from', () => {
    expect(provisioningCommandSchema.safeParse(command).success).toBe(true);
    expect(assignmentChangeEventSchema.safeParse(event).success).toBe(true);
    expect(auditRecordSchema.safeParse(record).success).toBe(true);
  });

  it.each([
    ['an attribute value', { ...command, attributes: { ...command.attributes, 'name.givenName': 'An\u0000n' } }, 'attributes.name.givenName'],
    ['an attribute name', { ...command, attributes: { ...command.attributes, 'title\u0000': 'x' } }, 'attributes.title\u0000'],
    ['the user id', { ...command, userId: 'dir\u00001' }, 'userId'],
    ['a matching value', { ...command, matching: [{ targetAttribute: 'userName', value: 'a\u0000@example.com', precedence: 1 }] }, 'matching.0.value'],
  ])('refuses a command with NUL in %s, naming its path', (_what, input, path) => {
    expect(issuesOf(provisioningCommandSchema.safeParse(input))).toEqual([[path, NUL_MESSAGE]]);
  });

  it('refuses an event with NUL in a multi-valued attribute', () => {
    const bad = { ...event, user: { ...event.user, attributes: { proxyAddresses: ['smtp:a@example.com', 'x\u0000'] } } };
    expect(issuesOf(assignmentChangeEventSchema.safeParse(bad))).toEqual([['user.attributes.proxyAddresses.1', NUL_MESSAGE]]);
  });

  it('refuses an audit record with NUL in its free-form details or reason', () => {
    expect(issuesOf(auditRecordSchema.safeParse({ ...record, details: { deep: [{ x: 'a\u0000' }] } }))).toEqual([['details.deep.0.x', NUL_MESSAGE]]);
    expect(issuesOf(auditRecordSchema.safeParse({ ...record, reason: '\u0000' }))).toEqual([['reason', NUL_MESSAGE]]);
  });

  it('refuses a batch whose own id holds NUL, but leaves its items to be checked one by one', () => {
    expect(issuesOf(auditBatchSchema.safeParse({ version: 1, id: 'b\u0000', records: [record] }))).toEqual([['id', NUL_MESSAGE]]);
    expect(auditBatchSchema.safeParse({ version: 1, id: 'b', records: [{ ...record, reason: '\u0000' }] }).success).toBe(true);
    expect(assignmentChangeBatchSchema.safeParse({ version: 1, id: 'b\u0000', events: [event] }).success).toBe(false);
  });

  it('accepts change orders up to bigint and refuses the 20-digit ones beyond', () => {
    expect(changeOrderSchema.safeParse('9223372036854775807').success).toBe(true);
    expect(changeOrderSchema.safeParse('0').success).toBe(true);
    for (const order of ['9223372036854775808', '99999999999999999999']) {
      expect(issuesOf(changeOrderSchema.safeParse(order))).toEqual([['', 'a change order of at most 9223372036854775807 (PostgreSQL bigint)']]);
    }
    expect(provisioningCommandSchema.safeParse({ ...command, order: '18446744073709551615' }).success).toBe(false);
    expect(assignmentChangeEventSchema.safeParse({ ...event, source: { kind: 'demo', order: '42', cycle: '10000000000000000000' } }).success).toBe(false);
  });

  it('nulPath walks deep values without recursion', () => {
    let deep: unknown = 'end\u0000';
    for (let i = 0; i < 20_000; i++) deep = [deep];
    expect(nulPath(deep)).toHaveLength(20_000);
    expect(nulPath({ a: [1, true, null, { b: 'fine' }] })).toBeUndefined();
  });
});

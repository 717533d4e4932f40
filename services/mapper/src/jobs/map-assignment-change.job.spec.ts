import type { Job } from 'bullmq';
import { AssignmentChangeType as T, type AssignmentChangeBatch, type AssignmentChangeEvent } from '@roster/contracts';
import { assignmentChangeBatches, type AuditEntry, type MessageHandler } from '@roster/platform';
import type { MapperConfig } from '../config/mapper.config';
import { MapAssignmentChangeJob } from './map-assignment-change.job';

type UserEvent = Extract<AssignmentChangeEvent, { user: unknown }>;

const event = (userId: string): AssignmentChangeEvent => ({
  version: 1,
  type: T.UserAttributesChanged,
  idempotencyKey: `job/${userId}`,
  correlationId: `job/${userId}`,
  provisioningJobId: 'gotomeeting',
  occurredAt: new Date().toISOString(),
  source: { kind: 'test', order: '1' },
  user: { id: userId, attributes: {} },
  groups: [],
});

/** The job wired to recording fakes; deciding a group that holds a user in `failing` fails the group. */
function setup(failing: Set<string>, failure: () => Error = () => new Error('database restarting')) {
  const calls: string[][] = [];
  const records: AuditEntry[] = [];
  const rejections: { what: string; reason: string; index?: number }[] = [];
  const later: { batch: AssignmentChangeBatch; delayMs: number }[] = [];
  let handler!: MessageHandler<'assignment-changes'>;
  const useCase = {
    execute: async (events: UserEvent[]) => {
      const ids = events.map((e) => e.user.id);
      calls.push(ids);
      if (ids.some((id) => failing.has(id))) throw failure();
    },
    failed: async () => undefined,
    about: (e: UserEvent) => ({ provisioningJobId: e.provisioningJobId, correlationId: e.correlationId, messageId: e.idempotencyKey, source: { id: e.user.id } }),
  };
  const job = new MapAssignmentChangeJob(
    { open: (_queue: string, h: MessageHandler<'assignment-changes'>) => (handler = h) } as never,
    useCase as never,
    {
      record: async (entry: AuditEntry) => void records.push(entry),
      recordRejection: async (what: string, error: Error, _job: Job, index?: number) => void rejections.push({ what, reason: error.message, index }),
    } as never,
    { sendLater: async (batch: AssignmentChangeBatch, delayMs: number) => void later.push({ batch, delayMs }) } as never,
    { MAPPER_CONCURRENCY: 200, RETRY_BASE_DELAY_MS: 100, RETRY_MAX_DELAY_MS: 1000, DATABASE_URL: 'postgres://127.0.0.1:5432/roster' } as MapperConfig,
  );
  job.onApplicationBootstrap();
  const run = (batch: AssignmentChangeBatch, attemptsMade = 0) => handler.handle(batch, { attemptsMade } as Job);
  const retrying = (batch: AssignmentChangeBatch, error: Error, attemptsMade: number) => handler.retrying!(batch, error, { attemptsMade } as Job);
  return { run, retrying, calls, records, rejections, later };
}

describe('MapAssignmentChangeJob', () => {
  it('decides a batch in groups of 50, and retries on its own only the event that fails its group', async () => {
    const ids = Array.from({ length: 120 }, (_, i) => `u${i}`);
    const t = setup(new Set(['u7']));
    const [batch] = assignmentChangeBatches(ids.map(event));

    await t.run(batch);

    expect(t.calls.filter((c) => c.length > 1).map((c) => c.length)).toEqual([50, 50, 20]);
    // The failed group is decided again event by event: 49 succeed, u7 goes back on the queue alone.
    expect(t.calls.filter((c) => c.length === 1)).toHaveLength(50);
    expect(t.later).toHaveLength(1);
    expect(t.later[0].batch.events.map((e) => e.idempotencyKey)).toEqual(['job/u7']);
    expect(t.later[0].batch.priorAttempts).toBe(1);
    expect(t.later[0].delayMs).toBeGreaterThanOrEqual(50);
    expect(t.records.map((r) => [r.source?.id, r.step, r.attempt])).toEqual([['u7', 'retried', 1]]);
  });

  it('puts the whole batch back, not each event alone, when PostgreSQL has no connection to give (SQLSTATE 53300)', async () => {
    const tooManyClients = () => Object.assign(new Error('sorry, too many clients already'), { code: '53300' });
    const t = setup(new Set(['u7']), tooManyClients);
    const [batch] = assignmentChangeBatches(Array.from({ length: 120 }, (_, i) => event(`u${i}`)));

    await expect(t.run(batch)).rejects.toThrow('too many clients');

    expect(t.calls.filter((c) => c.length === 1)).toHaveLength(0);
    expect(t.later).toHaveLength(0);
    expect(t.records).toHaveLength(0);
  });

  it('fails at once, without queueing it again, an event whose data PostgreSQL refuses (SQLSTATE class 22/23)', async () => {
    const refused = () => Object.assign(new Error('value "99999999999999999999" is out of range for type bigint'), { code: '22003' });
    const t = setup(new Set(['u3']), refused);
    const [batch] = assignmentChangeBatches(['u1', 'u2', 'u3'].map(event));

    await t.run(batch);

    expect(t.later).toHaveLength(0);
    expect(t.records.map((r) => [r.source?.id, r.step, r.status])).toEqual([['u3', 'failed', 'failure']]);
  });

  it('lets a batch of one fail as a whole, so the queue retries it, counting attempts made in its first batch', async () => {
    const t = setup(new Set(['flaky']));
    const [alone] = assignmentChangeBatches([event('flaky')], 1);
    await expect(t.run(alone, 2)).rejects.toThrow('database restarting');
    expect(t.later).toHaveLength(0);
    await t.retrying(alone, new Error('database restarting'), 2);
    expect(t.records.map((r) => [r.source?.id, r.step, r.attempt])).toEqual([['flaky', 'retried', 4]]);
  });

  it('rejects a malformed event on its own and decides the rest of its batch', async () => {
    const t = setup(new Set());
    const [batch] = assignmentChangeBatches([event('ok1'), event('ok2')]);
    const broken = { ...batch, events: [batch.events[0], { ...batch.events[1], user: { attributes: {} } }] } as unknown as AssignmentChangeBatch;

    await t.run(broken);

    expect(t.calls).toEqual([['ok1']]);
    expect(t.rejections).toEqual([{ what: 'assignment-change event', reason: expect.stringMatching(/\[1\]: user\.id/), index: 1 }]);
  });
});

import type { Job } from 'bullmq';
import { AssignmentChangeType as T, type AssignmentChangeBatch, type AssignmentChangeEvent } from '@roster/contracts';
import { PermanentError, assignmentChangeBatches, type AuditEntry, type MessageHandler } from '@roster/platform';
import type { MapperConfig } from '../config/mapper.config';
import { MapAssignmentChangeJob } from './map-assignment-change.job';

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

/** The job wired to recording fakes: `outcome` says what deciding each user does. */
function setup(outcome: (userId: string) => Error | null) {
  const decided: string[] = [];
  const failedEvents: string[] = [];
  const records: AuditEntry[] = [];
  const later: { batch: AssignmentChangeBatch; delayMs: number }[] = [];
  let handler!: MessageHandler<'assignment-changes'>;
  const useCase = {
    execute: async (e: AssignmentChangeEvent & { user: { id: string } }) => {
      const error = outcome(e.user.id);
      if (error) throw error;
      decided.push(e.user.id);
    },
    failed: async (e: AssignmentChangeEvent & { user: { id: string } }) => void failedEvents.push(e.user.id),
    about: (e: AssignmentChangeEvent & { user: { id: string } }) => ({
      provisioningJobId: e.provisioningJobId,
      correlationId: e.correlationId,
      messageId: e.idempotencyKey,
      source: { id: e.user.id },
    }),
  };
  const job = new MapAssignmentChangeJob(
    { open: (_queue: string, h: MessageHandler<'assignment-changes'>) => (handler = h) } as never,
    useCase as never,
    { record: async (entry: AuditEntry) => void records.push(entry) } as never,
    { sendLater: async (batch: AssignmentChangeBatch, delayMs: number) => void later.push({ batch, delayMs }) } as never,
    { MAPPER_CONCURRENCY: 8, RETRY_BASE_DELAY_MS: 100, RETRY_MAX_DELAY_MS: 1000 } as MapperConfig,
  );
  job.onApplicationBootstrap();
  const run = (batch: AssignmentChangeBatch, attemptsMade = 0) => handler.handle(batch, { attemptsMade } as Job);
  const retrying = (batch: AssignmentChangeBatch, error: Error, attemptsMade: number) =>
    handler.retrying!(batch, error, { attemptsMade } as Job);
  return { run, retrying, decided, failedEvents, records, later };
}

describe('MapAssignmentChangeJob', () => {
  it('retries a transiently failing event on its own and logs a permanent failure, while the rest of the batch goes on', async () => {
    const t = setup((id) => (id === 'flaky' ? new Error('database restarting') : id === 'broken' ? new PermanentError('bad mapping') : null));
    const [batch] = assignmentChangeBatches(['a', 'flaky', 'broken', 'b'].map(event));

    await t.run(batch);

    expect(t.decided.sort()).toEqual(['a', 'b']);
    expect(t.later).toHaveLength(1);
    expect(t.later[0].batch.events.map((e) => e.idempotencyKey)).toEqual(['job/flaky']);
    expect(t.later[0].batch.priorAttempts).toBe(1);
    expect(t.later[0].delayMs).toBeGreaterThanOrEqual(50);
    expect(t.records.map((r) => [r.source?.id, r.step, r.attempt])).toEqual(
      expect.arrayContaining([
        ['flaky', 'retried', 1],
        ['broken', 'failed', 1],
      ]),
    );
    expect(t.failedEvents).toEqual(['broken']);
  });

  it('lets a batch of one fail as a whole, so the queue retries it, counting attempts made in its first batch', async () => {
    const t = setup(() => new Error('database restarting'));
    const [alone] = assignmentChangeBatches([event('flaky')], 1);
    await expect(t.run(alone, 2)).rejects.toThrow('database restarting');
    expect(t.later).toHaveLength(0);
    await t.retrying(alone, new Error('database restarting'), 2);
    expect(t.records.map((r) => [r.source?.id, r.step, r.attempt])).toEqual([['flaky', 'retried', 4]]);
  });
});

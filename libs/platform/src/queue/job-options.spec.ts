import { ASSIGNMENT_CHANGE_BATCH_MAX, PROVISIONING_COMMAND_BATCH_MAX, QueueName } from '@roster/contracts';
import { jobIdFor, jobOptions } from './job-options';

describe('jobIdFor', () => {
  it('is the idempotency key, with ":" (which BullMQ refuses) as "|", in the first generation', () => {
    expect(jobIdFor('gotomeeting/12:3')).toBe('gotomeeting/12|3');
    expect(jobOptions(QueueName.ProvisioningCommands, 'gotomeeting/12').jobId).toBe('gotomeeting/12');
  });

  it('carries a later generation, so a key PostgreSQL derives again after a restore is new to Redis', () => {
    expect(jobIdFor('gotomeeting/12', 3)).toBe('gotomeeting/12|g3');
    expect(jobOptions(QueueName.AssignmentChanges, 'gotomeeting/12', 2).jobId).not.toBe(jobIdFor('gotomeeting/12'));
  });
});

describe('jobOptions retention', () => {
  it('keeps completed jobs of about 5,000 messages at full batches, whatever the size of a sync', () => {
    const messagesPerJob: Record<QueueName, number> = {
      [QueueName.AssignmentChanges]: ASSIGNMENT_CHANGE_BATCH_MAX,
      [QueueName.ProvisioningCommands]: PROVISIONING_COMMAND_BATCH_MAX,
      [QueueName.AuditRecords]: 1000,
      [QueueName.ProvisioningFeedback]: 1,
    };
    for (const queue of Object.values(QueueName)) {
      const kept = jobOptions(queue, 'k').removeOnComplete as { count: number };
      expect(kept.count * messagesPerJob[queue]).toBe(5000);
    }
  });
});

import { QueueName } from '@roster/contracts';
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

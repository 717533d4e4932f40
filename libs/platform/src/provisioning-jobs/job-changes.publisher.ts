import { JOB_CHANGES_CHANNEL, jobChangeMessageSchema, parseContract, type JobChangeMessage } from '@roster/contracts';
import type IORedis from 'ioredis';

/** The job-changes channel of one installation: under its queue prefix, so test suites sharing a Redis stay apart. */
export function jobChangesChannel(queuePrefix: string): string {
  return `${queuePrefix}:${JOB_CHANGES_CHANNEL}`;
}

/**
 * Tells every pipeline service that a job's record changed, after the change is committed. Services
 * re-read the record themselves, so the message carries no setting; a lost one is made up for by
 * their slow poll. A failure to publish is the caller's to log, never to undo the committed change.
 */
export async function publishJobChange(redis: IORedis, queuePrefix: string, change: JobChangeMessage): Promise<void> {
  await redis.publish(jobChangesChannel(queuePrefix), JSON.stringify(parseContract('job change', jobChangeMessageSchema, change)));
}

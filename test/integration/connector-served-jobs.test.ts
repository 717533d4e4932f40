import { provisioningJobSettingsSchema, type ProvisioningCommandBatch } from '@roster/contracts';
import { ProvisioningJobRecords, publishJobChange, redisOptionsFromUrl } from '@roster/platform';
import { aCommand, jobCommandQueue, waitFor, type RunningService } from '@roster/testing';
import IORedis from 'ioredis';
import { SERVING_LEASE_MS } from '../../services/connector/src/dispatch/command-dispatcher';
import { ConnectorJob } from '../../services/connector/src/job-settings/connector-job';
import { ConnectorStack } from '../support/connector-stack';

/**
 * The jobs a connector moves commands for are the installation's jobs now: a job's record, or a
 * connector running for it. A deleted record, or a connector that stopped and whose lease lapsed,
 * no longer counts, and the job's commands are refused instead of piling up in a queue no one takes from.
 */
describe('connector: the jobs it moves commands for shrink as well as grow', () => {
  let now = Date.parse('2026-12-04T12:00:00Z');
  const stack = new ConnectorStack({ audit: true, clock: () => now, env: { GOTO_RATE_LIMIT_PER_SECOND: '1000' } });
  const redis = new IORedis(redisOptionsFromUrl(stack.env.redisUrl));
  let seq = 0;

  const push = async (provisioningJobId: string) => {
    const command = aCommand({ n: ++seq, run: 'served', provisioningJobId });
    await stack.push([command]);
    return command.idempotencyKey;
  };
  const rejected = (key: string) =>
    waitFor(async () => (await stack.logs(`message_id = $1 AND step = 'rejected'`, [key])).length === 1, { what: `the rejection of ${key}` });
  /** The command was moved to its job's own queue, where it waits for that job's connector. */
  const queuedFor = async (provisioningJobId: string, key: string) => {
    const queue = jobCommandQueue(stack.env.queuePrefix, provisioningJobId);
    try {
      await waitFor(async () => (await queue.getJobs(['waiting', 'active', 'completed'])).some((j) => (j.data as ProvisioningCommandBatch).commands.some((c) => c.idempotencyKey === key)), { what: `${key} in ${provisioningJobId}'s queue` });
    } finally {
      await queue.close();
    }
  };

  beforeAll(() => stack.start());
  afterAll(async () => {
    await redis.quit();
    await stack.stop();
  });

  it('refuses the commands of a job once its record is deleted', async () => {
    const records = stack.connector.app.get(ProvisioningJobRecords);
    const job = stack.connector.app.get(ConnectorJob);
    const created = await records.insert('tenant-x', provisioningJobSettingsSchema.parse({ source: { kind: 'demo' }, goto: { clientId: 'x' } }), {});
    await publishJobChange(redis, stack.env.queuePrefix, { jobId: 'tenant-x', revision: created!.revision, reason: 'created' });
    await queuedFor('tenant-x', await push('tenant-x'));

    const revision = await records.delete('tenant-x');
    await publishJobChange(redis, stack.env.queuePrefix, { jobId: 'tenant-x', revision: revision!, reason: 'deleted' });
    await waitFor(() => !job.knows('tenant-x'), { what: 'the connector to forget the deleted job' });
    await rejected(await push('tenant-x'));
  });

  it('counts a job without a record as long as a connector serving it keeps its lease', async () => {
    let other: RunningService | undefined = await stack.startConnector({ PROVISIONING_JOB_ID: 'tenant-y' });
    try {
      await queuedFor('tenant-y', await push('tenant-y'));
      await other.app.close();
      other = undefined;
      // Stopped within its lease, it may be restarting: its job's commands still wait for it.
      await queuedFor('tenant-y', await push('tenant-y'));
      now += SERVING_LEASE_MS + 1;
      await rejected(await push('tenant-y'));
    } finally {
      await other?.app.close();
    }
  });
});

import { GotoEmulator } from '@roster/goto-emulator';
import { ProvisioningJobRecords, SecretBox, publishJobChange, redisOptionsFromUrl, splitSecrets, mergeSecrets } from '@roster/platform';
import { provisioningJobSettingsSchema, type ProvisioningCommandEnvelope, type ProvisioningJobView } from '@roster/contracts';
import { TEST_JOB_ID, aCommand, getJson, userNameOf, waitFor } from '@roster/testing';
import IORedis from 'ioredis';
import { ConnectorStack } from '../support/connector-stack';

const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);

/**
 * The connector runs its job as the job's record says now: a new GoTo connection, credential or rate
 * limit applies without a restart, and a paused job keeps its queued commands until it is turned on.
 */
describe('connector: job settings from the job record, applied without a restart', () => {
  const secretKey = SecretBox.generateKey();
  const stack = new ConnectorStack({ env: { ROSTER_SECRET_KEY: secretKey, JOB_POLL_INTERVAL_MS: '60000', GOTO_RATE_LIMIT_PER_SECOND: '1000' } });
  const other = new GotoEmulator({ clients: [{ clientId: 'second-account', clientSecret: 'second-secret-41c9' }], rateLimit: 'unthrottled' });
  const redis = new IORedis(redisOptionsFromUrl(stack.env.redisUrl));
  let revision = 0;

  const status = async () => (await getJson<{ revision: number; state: string; rateLimit: { perSecond: number } }>(`${stack.connector.url}/status`)).body;
  /** Writes the job's record as the admin API does, and announces it. */
  const write = async (state: ProvisioningJobView['state'], rateLimitPerSecond: number) => {
    const { settings, secrets } = splitSecrets(
      provisioningJobSettingsSchema.parse({
        source: { kind: 'demo' },
        goto: { ...other.endpoints, clientId: 'second-account', clientSecret: 'second-secret-41c9', rateLimitPerSecond },
      }),
    );
    const stored = mergeSecrets({}, secrets, (s) => new SecretBox(secretKey).encrypt(s));
    const records = stack.connector.app.get(ProvisioningJobRecords);
    const job = revision === 0 ? await records.insert(TEST_JOB_ID, settings, stored, state) : await records.replace(TEST_JOB_ID, revision, settings, stored);
    if (revision > 0) await stack.env.query(`UPDATE provisioning_job SET state = $1 WHERE id = $2`, [state, TEST_JOB_ID]);
    revision = job!.revision;
    await publishJobChange(redis, stack.env.queuePrefix, { jobId: TEST_JOB_ID, revision, reason: 'settings' });
    await waitFor(async () => (await status()).revision === revision, { what: `the connector to apply revision ${revision}` });
  };

  beforeAll(async () => {
    await other.start();
    await stack.start();
  });
  afterAll(async () => {
    await stack.stop();
    await other.stop();
    await redis.quit();
  });

  it('runs the environment’s job while no record of it exists', async () => {
    await stack.push(range(3).map((n) => aCommand({ n, run: 'env' })));
    await stack.settled();
    expect(range(3).every((n) => stack.goto.users.getByUserName(userNameOf(n, 'env')))).toBe(true);
    expect(await status()).toMatchObject({ revision: 0, state: 'running', rateLimit: { perSecond: 1000 } });
  });

  it('switches to the GoTo account, credential and rate limit of a new record at once', async () => {
    await write('steady', 700);
    expect(await status()).toMatchObject({ state: 'running', rateLimit: { perSecond: 700 } });
    await stack.push(range(3).map((n) => aCommand({ n, run: 'rec' })));
    await stack.settled();
    expect(range(3).every((n) => other.users.getByUserName(userNameOf(n, 'rec')))).toBe(true);
    expect(range(3).some((n) => stack.goto.users.getByUserName(userNameOf(n, 'rec')))).toBe(false);
  });

  it('keeps queued commands while the job is paused, and runs them once it is turned on', async () => {
    await write('paused', 700);
    expect((await status()).state).toBe('paused');
    await stack.push(range(4).map((n) => aCommand({ n, run: 'held' })));
    // Queued, or (one the worker was already fetching) put back to wait: none is sent. A batch is
    // one job, and a command of it put back is a job of its own: the commands are counted.
    await waitFor(async () => {
      const jobs = await stack.jobQueue.getJobs(['waiting', 'delayed']);
      return jobs.reduce((n, job) => n + (job.data as ProvisioningCommandEnvelope).commands.length, 0) === 4;
    }, { what: 'the commands to wait in the queue' });
    expect(range(4).some((n) => other.users.getByUserName(userNameOf(n, 'held')))).toBe(false);

    await write('steady', 700);
    await stack.settled();
    expect(range(4).every((n) => other.users.getByUserName(userNameOf(n, 'held')))).toBe(true);
  });

  it('answers the environment’s settings again once the record is deleted', async () => {
    await stack.env.query(`DELETE FROM provisioning_job WHERE id = $1`, [TEST_JOB_ID]);
    await publishJobChange(redis, stack.env.queuePrefix, { jobId: TEST_JOB_ID, revision, reason: 'deleted' });
    await waitFor(async () => (await status()).revision === 0, { what: 'the environment’s settings back' });
    expect((await status()).rateLimit.perSecond).toBe(1000);
  });
});

import { GotoEmulator } from '@roster/goto-emulator';
import { ProvisioningJobRecords, SecretBox, mergeSecrets, publishJobChange, redisOptionsFromUrl, splitSecrets } from '@roster/platform';
import { provisioningJobSettingsSchema } from '@roster/contracts';
import { aCommand, commandsSettled, connectorEnv, getJson, jobCommandQueue, startService, userNameOf, waitFor, type RunningService } from '@roster/testing';
import IORedis from 'ioredis';
import { ConnectorAppModule } from '../../services/connector/src/app.module';
import { ConnectorStack } from '../support/connector-stack';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const JOB_B = 'tenant-b';
const B_CLIENT = { clientId: 'tenant-b-client', clientSecret: 'tenant-b-secret-7d2e' };

/**
 * Two provisioning jobs in one installation, each with its own GoTo account and its own connector:
 * the mapper's commands share one intake, and each job's commands go to its own queue, so one job
 * quarantined or throttled to a crawl does not delay the other.
 */
describe('connector: two provisioning jobs side by side', () => {
  const secretKey = SecretBox.generateKey();
  // Job A is the environment's job (no record), against the stack's GoTo emulator.
  const settings = { ROSTER_SECRET_KEY: secretKey, JOB_POLL_INTERVAL_MS: '60000', GOTO_RATE_LIMIT_PER_SECOND: '1000', QUARANTINE_INITIAL_MS: '500', QUARANTINE_MAX_MS: '1000' };
  const stack = new ConnectorStack({ env: settings });
  const gotoB = new GotoEmulator({ clients: [B_CLIENT], rateLimit: 'unthrottled' });
  const redis = new IORedis(redisOptionsFromUrl(stack.env.redisUrl));
  const queueB = jobCommandQueue(stack.env.queuePrefix, JOB_B);
  let connectorB: RunningService;
  let revision = 0;

  const statusB = async () => (await getJson<{ revision: number; state: string }>(`${connectorB.url}/status`)).body;
  /** Writes job B's record as the admin API does, and announces it. */
  const writeB = async (goto: { clientSecret: string; rateLimitPerSecond: number }) => {
    const { settings, secrets } = splitSecrets(
      provisioningJobSettingsSchema.parse({ source: { kind: 'demo' }, goto: { ...gotoB.endpoints, clientId: B_CLIENT.clientId, ...goto } }),
    );
    const stored = mergeSecrets({}, secrets, (s) => new SecretBox(secretKey).encrypt(s));
    const records = stack.connector.app.get(ProvisioningJobRecords);
    const job = revision === 0 ? await records.insert(JOB_B, settings, stored, 'steady') : await records.replace(JOB_B, revision, settings, stored);
    revision = job!.revision;
    await publishJobChange(redis, stack.env.queuePrefix, { jobId: JOB_B, revision, reason: 'settings' });
  };
  const inA = (n: number, run: string) => stack.goto.users.getByUserName(userNameOf(n, run));
  const inB = (n: number, run: string) => gotoB.users.getByUserName(userNameOf(n, run));
  const queued = async () => {
    const counts = await queueB.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    return Object.values(counts).reduce((a, b) => a + b, 0);
  };

  beforeAll(async () => {
    await gotoB.start();
    await stack.start();
    // B's connector has no GoTo connection in its environment: only B's record gives it one.
    const env = connectorEnv(stack.env, stack.goto, { ...settings, PROVISIONING_JOB_ID: JOB_B });
    connectorB = await startService(ConnectorAppModule.forRoot(Object.fromEntries(Object.entries(env).filter(([name]) => !/^GOTO_(CLIENT|AUTH|SCIM|ADMIN)_/.test(name)))));
  });
  afterAll(async () => {
    await queueB.close();
    await stack.stop(connectorB);
    await gotoB.stop();
    await redis.quit();
  });

  it('provisions each job’s users only into its own GoTo, while the other job is quarantined', async () => {
    // Without a record B's connector takes nothing: it has no GoTo to send to.
    expect(await statusB()).toMatchObject({ revision: 0, state: 'paused' });
    await writeB({ clientSecret: 'not-the-secret', rateLimitPerSecond: 1000 });
    await waitFor(async () => (await statusB()).revision === revision, { what: 'job B to apply its record' });
    // B's record holds a secret its GoTo refuses: B is quarantined with all its commands queued.
    await stack.push(range(10).map((n) => aCommand({ n, run: 'qb', provisioningJobId: JOB_B })));
    await waitFor(async () => (await statusB()).state === 'quarantined', { what: 'job B quarantined' });
    await stack.push(range(20).map((n) => aCommand({ n, run: 'qa' })));

    await waitFor(() => commandsSettled(stack.queue, stack.jobQueue), { what: 'job A to finish', timeoutMs: 60_000, intervalMs: 100 });
    expect(range(20).every((n) => inA(n, 'qa'))).toBe(true);
    // A finished while every one of B's commands still waits: B's quarantine held nothing of A's.
    expect(await queued()).toBe(10);
    expect(range(10).some((n) => inB(n, 'qb') ?? inA(n, 'qb'))).toBe(false);

    // The admin corrects B's secret: B leaves its quarantine without a restart and catches up.
    await writeB({ clientSecret: B_CLIENT.clientSecret, rateLimitPerSecond: 1000 });
    await waitFor(async () => (await queued()) === 0, { what: 'job B to finish', timeoutMs: 60_000, intervalMs: 100 });
    expect(range(10).every((n) => inB(n, 'qb'))).toBe(true);
    expect(range(10).some((n) => inA(n, 'qb'))).toBe(false);
    expect(range(20).some((n) => inB(n, 'qa'))).toBe(false);
  }, 150_000);

  it('finishes one job while the other, throttled to a crawl, still has work queued; a new rate limit applies without a restart', async () => {
    // One request a second for B: 200 creates cannot be done in less than 200 s, whatever the machine.
    await writeB({ clientSecret: B_CLIENT.clientSecret, rateLimitPerSecond: 1 });
    await waitFor(async () => (await statusB()).revision === revision, { what: 'job B to apply the crawl' });
    await stack.push(range(200).map((n) => aCommand({ n, run: 'cb', provisioningJobId: JOB_B })));
    await stack.push(range(50).map((n) => aCommand({ n, run: 'ca' })));

    await waitFor(() => commandsSettled(stack.queue, stack.jobQueue), { what: 'job A to finish', timeoutMs: 60_000, intervalMs: 100 });
    expect(range(50).every((n) => inA(n, 'ca'))).toBe(true);
    expect(await queued()).toBeGreaterThan(0);

    await writeB({ clientSecret: B_CLIENT.clientSecret, rateLimitPerSecond: 1000 });
    await waitFor(async () => (await queued()) === 0, { what: 'job B to finish at its new rate', timeoutMs: 90_000, intervalMs: 200 });
    expect(range(200).every((n) => inB(n, 'cb'))).toBe(true);
    expect(range(200).some((n) => inA(n, 'cb'))).toBe(false);
  }, 150_000);
});

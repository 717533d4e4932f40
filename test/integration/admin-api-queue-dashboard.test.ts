import { QueueName, jobCommandQueueName } from '@roster/contracts';
import { SecretBox, redisOptionsFromUrl } from '@roster/platform';
import { TestEnvironment } from '@roster/testing';
import { Queue } from 'bullmq';
import { startAdminApi, type RunningAdminApi } from '../support/admin-api';

describe('admin API: the queue dashboard (Bull Board)', () => {
  const env = new TestEnvironment();
  let api: RunningAdminApi;
  let admin: string;
  let reader: string;

  const get = async (path: string, key?: string) => {
    const res = await fetch(`${api.url}${path}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text(), authenticate: res.headers.get('www-authenticate') };
  };

  beforeAll(async () => {
    api = await startAdminApi(env.env({ ROSTER_SECRET_KEY: SecretBox.generateKey() }));
    ({ adminKey: admin, readerKey: reader } = api);
  });
  afterAll(async () => {
    await api?.app.close();
    await env.dispose();
  });

  it('shows the admin every queue of the installation’s prefix with its counts', async () => {
    const commands = new Queue(QueueName.ProvisioningCommands, { connection: redisOptionsFromUrl(env.redisUrl), prefix: env.queuePrefix });
    try {
      await commands.add('x', { n: 1 });
      await commands.add('y', { n: 2 }, { delay: 600_000 });
    } finally {
      await commands.close();
    }
    const page = await get('/queues', admin);
    expect([page.status, page.type]).toEqual([200, expect.stringContaining('text/html')]);
    const listed = await get('/queues/api/queues', admin);
    expect(listed.status).toBe(200);
    const { queues } = JSON.parse(listed.text) as { queues: { name: string; readOnlyMode: boolean; counts: Record<string, number> }[] };
    expect(queues.map((q) => q.name).sort()).toEqual(Object.values(QueueName).sort());

    // Each job's own command queue is there as soon as the job is, and goes with it.
    const job = { id: 'tenant-b', source: { kind: 'demo' }, goto: { clientId: 'c', clientSecret: 's' } };
    const created = await fetch(`${api.url}/jobs`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify(job) });
    expect(created.status).toBe(201);
    const names = async () => ((JSON.parse((await get('/queues/api/queues', admin)).text) as { queues: { name: string }[] }).queues.map((q) => q.name));
    expect(await names()).toContain(jobCommandQueueName('tenant-b'));
    await fetch(`${api.url}/jobs/tenant-b`, { method: 'DELETE', headers: { authorization: `Bearer ${admin}` } });
    expect(await names()).not.toContain(jobCommandQueueName('tenant-b'));
    expect(queues.find((q) => q.name === QueueName.ProvisioningCommands)?.counts).toMatchObject({ waiting: 1, delayed: 1, active: 0, failed: 0 });
    expect(queues.every((q) => q.readOnlyMode)).toBe(true);
  });

  it('refuses a reader with 403 and a request without a credential with 401, page and API alike', async () => {
    for (const path of ['/queues', '/queues/api/queues', `/queues/api/queues/${QueueName.ProvisioningCommands}/retry/failed`]) {
      expect([path, (await get(path)).status, (await get(path)).authenticate]).toEqual([path, 401, 'Bearer realm="roster-admin"']);
      expect([path, (await get(path, reader)).status]).toEqual([path, 403]);
      expect([path, (await get(path, `${admin.slice(0, -4)}AAAA`)).status]).toEqual([path, 401]);
    }
  });
});

import { QueueName } from '@roster/contracts';
import { SecretBox, redisOptionsFromUrl } from '@roster/platform';
import { TestEnvironment, startService, type RunningService } from '@roster/testing';
import { Queue } from 'bullmq';
import { ADMIN_API_APP_OPTIONS, AdminApiAppModule } from '../../services/admin-api/src/app.module';
import { ApiKeysService } from '../../services/admin-api/src/api-keys/api-keys.service';

describe('admin API: the queue dashboard (Bull Board)', () => {
  const env = new TestEnvironment();
  let api: RunningService;
  let admin: string;
  let reader: string;

  const get = async (path: string, key?: string) => {
    const res = await fetch(`${api.url}${path}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text(), authenticate: res.headers.get('www-authenticate') };
  };

  beforeAll(async () => {
    api = await startService(AdminApiAppModule.forRoot(env.env({ ROSTER_SECRET_KEY: SecretBox.generateKey() })), ADMIN_API_APP_OPTIONS);
    const keys = api.app.get(ApiKeysService);
    admin = (await keys.create({ name: 'ops', role: 'admin' })).key;
    reader = (await keys.create({ name: 'viewer', role: 'reader' })).key;
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
    const api = await get('/queues/api/queues', admin);
    expect(api.status).toBe(200);
    const { queues } = JSON.parse(api.text) as { queues: { name: string; readOnlyMode: boolean; counts: Record<string, number> }[] };
    expect(queues.map((q) => q.name).sort()).toEqual(Object.values(QueueName).sort());
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

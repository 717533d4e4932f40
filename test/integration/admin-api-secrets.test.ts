import { randomBytes } from 'node:crypto';
import { DEMO_PRINCIPALS } from '@roster/goto-emulator';
import { SmtpSink, TEST_APP_ROLE, databaseDump, redisDump, waitFor } from '@roster/testing';
import { NotificationDigests } from '../../services/admin-api/src/notifications/notification-digests';
import { AdminStack, type AdminAnswer } from '../support/admin-stack';

const JOB = 'gotomeeting';
const salt = randomBytes(6).toString('hex');
/** The four kinds of credential the admin side handles, each distinctive enough to grep for. */
const SECRETS = {
  'GoTo client secret': `GoTo-client-secret-${salt}`,
  'GoTo admin password': `GoTo-admin-password-${salt}`,
  'Graph client secret': `Graph-client-secret-${salt}`,
  'SMTP password': `Smtp-password-${salt}`,
};
const CLIENT = { clientId: 'secrets-client', clientSecret: SECRETS['GoTo client secret'] };
const ADMIN = { ...DEMO_PRINCIPALS.admin, password: SECRETS['GoTo admin password'] };

/** The secrets found in `text`, as written, URL-encoded or in base64. */
function leaked(text: string): string[] {
  return Object.entries(SECRETS)
    .filter(([, s]) => [s, encodeURIComponent(s), Buffer.from(s).toString('base64')].some((form) => text.includes(form)))
    .map(([name]) => name);
}

/**
 * Every credential goes in through the admin API (and the environment) and is used for real (GoTo
 * provisions with the client secret and admin password, the mail server takes the SMTP password),
 * yet none appears in any answer, log line of any service, queue payload or row.
 */
describe('admin API: secrets stay secret', () => {
  const stack = new AdminStack({ clients: [CLIENT], adminUsers: [ADMIN] });
  const logs: string[] = [];
  const answers: { what: string; text: string }[] = [];
  let smtp: SmtpSink;

  const call = async <T = Record<string, unknown>>(method: string, path: string, body?: unknown, key?: string): Promise<AdminAnswer<T>> => {
    const answer = await stack.call<T>(method, path, body, key);
    answers.push({ what: `${method} ${path} → ${answer.status}`, text: JSON.stringify(answer.body) ?? '' });
    return answer;
  };
  const raw = async (method: string, path: string, body: string) => {
    const res = await fetch(`${stack.api.url}${path}`, { method, headers: { authorization: `Bearer ${stack.adminKey}`, 'content-type': 'application/json' }, body });
    const text = await res.text();
    answers.push({ what: `${method} ${path} (raw) → ${res.status}`, text });
    return res.status;
  };
  const mailSettings = () => ({ host: '127.0.0.1', port: smtp.port, tls: 'none', user: 'roster', password: SECRETS['SMTP password'], from: 'roster@example.com' });

  beforeAll(async () => {
    smtp = await SmtpSink.start({ user: 'roster', password: SECRETS['SMTP password'] });
    const credentials = { GOTO_CLIENT_ID: CLIENT.clientId, GOTO_CLIENT_SECRET: CLIENT.clientSecret, GOTO_ADMIN_USERNAME: ADMIN.userId, GOTO_ADMIN_PASSWORD: ADMIN.password };
    await stack.start(
      { ...credentials, LOG_LEVEL: 'trace' },
      (p) => ({
        // The default job from the environment, turned on, with every GoTo credential and a mail server.
        ...credentials,
        ...Object.fromEntries(Object.entries(p.goto.endpoints).map(([k, v]) => [`GOTO_${k.replace('Url', '').toUpperCase()}_URL`, v])),
        NOTIFICATION_EMAILS: 'ops@example.com',
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(smtp.port),
        SMTP_TLS: 'none',
        SMTP_USER: 'roster',
        SMTP_PASSWORD: SECRETS['SMTP password'],
        SMTP_FROM: 'roster@example.com',
        NOTIFICATION_GATHER_MS: '0',
        NOTIFICATION_CHECK_MS: '3600000',
        EXPENSIVE_ACTION_LIMIT: '1000',
        LOG_LEVEL: 'trace',
      }),
      { logs },
    );
  }, 120_000);
  afterAll(async () => {
    await stack.stop();
    await smtp?.close();
  });

  it('puts each credential to use through the admin API and the pipeline', async () => {
    expect((await call('GET', `/jobs/${JOB}`)).body).toMatchObject({
      secretsSet: ['goto.adminPassword', 'goto.clientSecret', 'notification.smtp.password'],
      notification: { enabled: true, smtp: { user: 'roster' } },
    });
    // Written again through the API, with a Graph secret on a second job.
    const { body: job } = await call<Record<string, unknown>>('GET', `/jobs/${JOB}`);
    const goto = { ...(job.goto as Record<string, unknown>), clientSecret: SECRETS['GoTo client secret'], adminPassword: SECRETS['GoTo admin password'] };
    const notification = { ...(job.notification as Record<string, unknown>), smtp: mailSettings() };
    expect((await call('PUT', `/jobs/${JOB}`, { source: { kind: 'demo' }, goto, notification })).status).toBe(200);
    const entra = { tenantId: 'contoso', clientId: 'graph-app', clientSecret: SECRETS['Graph client secret'], servicePrincipalId: 'sp-1' };
    expect((await call('POST', '/jobs', { id: 'tenant-entra', source: { kind: 'entra', settings: entra }, goto: { clientId: 'other' }, notification })).status).toBe(201);

    // Refused writes carrying credentials do not echo them.
    expect((await call('PUT', `/jobs/${JOB}`, { source: { kind: 'demo' }, goto: { ...goto, clientId: 7 }, notification })).status).toBe(400);
    expect((await call('POST', '/jobs', { id: 'Bad Id', source: { kind: 'entra', settings: { ...entra, tenantId: '' } }, goto })).status).toBe(400);
    expect(await raw('POST', '/jobs', `{"id":"x","goto":{"clientSecret":"${SECRETS['GoTo client secret']}"`)).toBe(400);
    expect(await raw('PUT', `/jobs/${JOB}`, `{"notification":{"smtp":{"password":"${SECRETS['SMTP password']}\u0000"}}}`)).toBe(400);

    // GoTo is reached with the client secret (Test Connection, then provisioning) ...
    expect((await call('POST', `/jobs/${JOB}/validateCredentials`, {})).body).toMatchObject({ goto: { ok: true } });
    for (const n of [1, 2, 3]) {
      const id = `secrets-user-${n}`;
      const user = { id, userPrincipalName: `secrets${n}@example.com`, attributes: { givenName: 'Sec', surname: `User${n}`, displayName: `Sec User${n}`, mail: `secrets${n}@example.com` } };
      expect((await call('POST', '/demo-directory/users', user)).status).toBe(201);
      expect((await call('POST', '/demo-directory/assignments', { principalType: 'User', principalId: id, appRoleId: TEST_APP_ROLE })).status).toBeLessThan(300);
    }
    await waitFor(() => [1, 2, 3].every((n) => stack.pipeline.goto.users.getByUserName(`secrets${n}@example.com`)), { what: 'three accounts in GoTo', timeoutMs: 60_000 });
    await stack.pipeline.quiet();

    // ... and the mail server with the SMTP password: a test mail and a digest of a dead letter.
    expect((await call('POST', `/jobs/${JOB}/notification/test`)).status).toBe(200);
    stack.pipeline.goto.faults.failUserName('secrets4@example.com', { status: 400 });
    const failing = { id: 'secrets-user-4', userPrincipalName: 'secrets4@example.com', attributes: { givenName: 'Sec', surname: 'User4', mail: 'secrets4@example.com' } };
    expect((await call('POST', '/demo-directory/users', failing)).status).toBe(201);
    await call('POST', '/demo-directory/assignments', { principalType: 'User', principalId: failing.id, appRoleId: TEST_APP_ROLE });
    await waitFor(async () => (await stack.pipeline.env.query(`SELECT id FROM notification_event WHERE kind = 'dead-letter'`)).length > 0, { what: 'a dead letter', timeoutMs: 60_000 });
    await stack.api.app.get(NotificationDigests).runOnce();
    expect(smtp.mails.map((m) => m.subject)).toEqual([`Roster job ${JOB}: test mail`, `Roster job ${JOB}: 1 failure`]);
    expect(smtp.logins.every((l) => l.accepted)).toBe(true);

    // What readers and admins read back: jobs, logs, dead letters, the docs and the queue dashboard.
    for (const path of [`/jobs`, `/jobs/${JOB}`, '/jobs/tenant-entra', `/jobs/${JOB}/mapping`, `/jobs/${JOB}/dead-letters`, '/auditLogs/provisioning', '/docs', '/queues/api/queues', `/jobs/${JOB}/sync-progress`]) {
      expect([path, (await call('GET', path)).status]).toEqual([path, 200]);
    }
    expect((await call('GET', `/jobs/${JOB}`, undefined, stack.readerKey)).status).toBe(200);
  });

  it('finds no credential in any answer', () => {
    expect(answers.length).toBeGreaterThan(20);
    expect(answers.filter((a) => leaked(a.text).length > 0).map((a) => [a.what, leaked(a.text)])).toEqual([]);
  });

  it('finds no credential in any log line of any service', () => {
    expect(logs.length).toBeGreaterThan(100);
    const services = new Set(logs.map((l) => /"service":"([^"]+)"/.exec(l)?.[1]));
    expect([...services].sort()).toEqual(['admin-api', 'audit', 'connector', 'directory-watcher', 'mapper']);
    expect(logs.filter((l) => leaked(l).length > 0).map((l) => [leaked(l), l.slice(0, 300)])).toEqual([]);
  });

  it('finds no credential in Redis: queue payloads, events, state', async () => {
    const dump = await redisDump(stack.pipeline.env.redisUrl, stack.pipeline.env.queuePrefix);
    expect(dump.keys).toBeGreaterThan(10);
    expect(dump.text).toContain('secrets1@example.com');
    expect(leaked(dump.text)).toEqual([]);
  });

  it('finds no credential in any PostgreSQL row, except as SecretBox ciphertext', async () => {
    const dump = await databaseDump(stack.pipeline.env);
    expect(dump.rows).toMatchObject({ provisioning_job: 2, notification_event: 1 });
    expect(Object.entries(dump.rows).filter(([t]) => t.startsWith('provisioning_log')).reduce((n, [, rows]) => n + rows, 0)).toBeGreaterThan(10);
    expect(leaked(dump.text)).toEqual([]);
  });
});

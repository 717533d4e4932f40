import type { NotificationEvent } from '@roster/contracts';
import { NotificationEvents, SecretBox } from '@roster/platform';
import { SmtpSink, TestEnvironment } from '@roster/testing';
import { NotificationDigests } from '../../services/admin-api/src/notifications/notification-digests';
import { startAdminApi, type RunningAdminApi } from '../support/admin-api';

const SMTP_USER = 'roster-mailer';
const SMTP_PASSWORD = 'Smtp-pa55word-1e9c07';
const MINUTE = 60_000;

describe('admin API: notification e-mail (test mail and digests through a real SMTP server)', () => {
  const env = new TestEnvironment();
  const secretKey = SecretBox.generateKey();
  let smtp: SmtpSink;
  let api: RunningAdminApi;
  let admin: string;
  let reader: string;
  let now = Date.parse('2030-01-01T00:00:00Z');
  const at = () => new Date(now).toISOString();

  const call = async (method: string, path: string, key: string, body?: unknown) => {
    const res = await fetch(`${api.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, retryAfter: res.headers.get('retry-after'), text, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  };
  const job = (id: string, notification: Record<string, unknown>) => ({
    id,
    source: { kind: 'demo' },
    goto: { clientId: 'goto-client', clientSecret: 'goto-secret' },
    notification: {
      emails: ['ops@example.com', 'oncall@example.com'],
      smtp: { host: '127.0.0.1', port: smtp.port, tls: 'none', user: SMTP_USER, password: SMTP_PASSWORD, from: 'roster@example.com' },
      ...notification,
    },
  });
  const digests = () => api.app.get(NotificationDigests).runOnce();
  const record = (...events: NotificationEvent[]) => api.app.get(NotificationEvents).record(...events);
  const deadLetter = (jobId: string, i: number): NotificationEvent => ({
    id: `dead-letter/${jobId}/${i}`,
    provisioningJobId: jobId,
    occurredAt: new Date(Date.parse('2030-01-01T00:00:00Z') + i * 1000).toISOString(),
    kind: 'dead-letter',
    userId: `u${i}`,
    userName: `user${String(i).padStart(2, '0')}@example.com`,
    action: 'Create',
    reason: `GoTo answered HTTP 409 for user ${i}`,
    attempts: 8,
  });

  beforeAll(async () => {
    smtp = await SmtpSink.start({ user: SMTP_USER, password: SMTP_PASSWORD });
    api = await startAdminApi(
      env.env({
        ROSTER_SECRET_KEY: secretKey,
        // The test runs each round itself, on its own clock.
        NOTIFICATION_CHECK_MS: '3600000',
        NOTIFICATION_GATHER_MS: '60000',
        EXPENSIVE_ACTION_LIMIT: '3',
        EXPENSIVE_ACTION_WINDOW_MS: '60000',
      }),
      { clock: () => now },
    );
    ({ adminKey: admin, readerKey: reader } = api);
  });
  afterAll(async () => {
    await api?.app.close();
    await smtp?.close();
    await env.dispose();
  });

  it('sends a test mail through the job’s server, logged in with its stored password, which is never shown', async () => {
    const created = await call('POST', '/jobs', admin, job('tenant-a', { enabled: false }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ secretsSet: expect.arrayContaining(['notification.smtp.password']) });
    expect((created.body.notification as Record<string, unknown>).smtp).toEqual({ host: '127.0.0.1', port: smtp.port, tls: 'none', user: SMTP_USER, from: 'roster@example.com' });

    expect((await call('POST', '/jobs/tenant-a/notification/test', reader)).status).toBe(403);
    const sent = await call('POST', '/jobs/tenant-a/notification/test', admin);
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ sent: true, recipients: ['ops@example.com', 'oncall@example.com'] });
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]).toMatchObject({ from: 'roster@example.com', to: ['ops@example.com', 'oncall@example.com'], user: SMTP_USER, subject: 'Roster job tenant-a: test mail' });
    expect(smtp.mails[0]!.text).toContain('Notifications are off');
    expect(smtp.logins).toEqual([{ user: SMTP_USER, accepted: true }]);
    for (const answer of [created, sent, await call('GET', '/jobs/tenant-a', reader)]) expect(answer.text).not.toContain(SMTP_PASSWORD);
  });

  it('answers 502 with the server’s refusal for a wrong password, 409 without a server, and 429 past the allowance until the window moves on', async () => {
    expect((await call('POST', '/jobs', admin, job('wrong-password', { smtp: { ...job('x', {}).notification.smtp, password: 'not-it' } }))).status).toBe(201);
    const refused = await call('POST', '/jobs/wrong-password/notification/test', admin);
    expect([refused.status, refused.body.message]).toEqual([502, expect.stringMatching(/^the mail server 127\.0\.0\.1:\d+ did not take the mail: .*535/)]);
    expect(refused.text).not.toContain('not-it');
    // Third test mail of the window: the allowance (3) is used up by it.
    const { smtp: _none, ...withoutServer } = job('no-server', {}).notification;
    expect((await call('POST', '/jobs', admin, { ...job('no-server', {}), notification: withoutServer })).status).toBe(201);
    const noServer = await call('POST', '/jobs/no-server/notification/test', admin);
    expect([noServer.status, noServer.body.message]).toEqual([409, expect.stringContaining('has no mail server: set notification.smtp')]);

    const limited = await call('POST', '/jobs/tenant-a/notification/test', admin);
    expect([limited.status, limited.retryAfter]).toEqual([429, '60']);
    now += MINUTE;
    expect((await call('POST', '/jobs/tenant-a/notification/test', admin)).status).toBe(200);
    expect(smtp.mails).toHaveLength(2);
  });

  it('mails a burst of 50 failures and a quarantine as one digest with counts and the first 20, once, and later events in the next period', async () => {
    const { id: _id, ...settings } = job('tenant-a', { enabled: true });
    const { password: _password, ...smtpWithoutPassword } = settings.notification.smtp;
    // The password left out of a replace is kept.
    expect((await call('PUT', '/jobs/tenant-a', admin, { ...settings, notification: { ...settings.notification, smtp: smtpWithoutPassword } })).status).toBe(200);
    const mailsBefore = smtp.mails.length;

    await record(...Array.from({ length: 50 }, (_, i) => deadLetter('tenant-a', i)));
    await record({
      id: 'quarantine/tenant-a/1/failures',
      provisioningJobId: 'tenant-a',
      occurredAt: '2030-01-01T00:01:00.000Z',
      kind: 'quarantine-entered',
      quarantine: 'failures',
      reason: 'GoTo answered HTTP 503 to 30 requests in a row',
      nextProbeAt: '2030-01-01T00:02:00.000Z',
    });
    // The same event recorded again (a retried step) counts once.
    await record(deadLetter('tenant-a', 0));

    await digests(); // the first round sees the events and starts gathering
    now += 30_000;
    await digests();
    expect(smtp.mails).toHaveLength(mailsBefore);
    now += 30_000;
    await digests();
    await digests();
    expect(smtp.mails).toHaveLength(mailsBefore + 1);
    const digest = smtp.mails.at(-1)!;
    expect(digest).toMatchObject({ to: ['ops@example.com', 'oncall@example.com'], user: SMTP_USER, subject: 'Roster job tenant-a: quarantined, 50 failures' });
    expect(digest.headers['message-id']).toBe('<digest-tenant-a-1@roster>');
    expect(digest.text).toContain('Failures (dead letters): 50, the first 20:');
    expect(digest.text).toContain('Create user19@example.com after 8 attempts: GoTo answered HTTP 409 for user 19');
    expect(digest.text).not.toContain('user20@example.com');
    expect(digest.text).toContain('… and 30 more');
    expect(digest.text).toContain('Quarantine: entered 1 time, left 0 times');
    expect(digest.text).toContain('GoTo answered HTTP 503 to 30 requests in a row');

    // Within the period another event waits for the next digest, however often the rounds run.
    await record({ id: 'quarantine/tenant-a/1/left', provisioningJobId: 'tenant-a', occurredAt: at(), kind: 'quarantine-left', reason: 'a probe succeeded' });
    for (let i = 0; i < 14; i++) {
      now += MINUTE;
      await digests();
    }
    expect(smtp.mails).toHaveLength(mailsBefore + 1);
    now += MINUTE;
    await digests();
    expect(smtp.mails).toHaveLength(mailsBefore + 2);
    expect(smtp.mails.at(-1)!).toMatchObject({ subject: 'Roster job tenant-a: left quarantine' });
    expect(smtp.mails.at(-1)!.text).not.toContain('Failures');
    const [state] = await env.query<{ digests_sent: number; pending_since: Date | null }>(`SELECT * FROM notification_digest WHERE job_id = 'tenant-a'`);
    expect(state).toMatchObject({ digests_sent: 2, pending_since: null });
  });

  it('mails nothing for a job with mail off, and does not mail its old events once turned on', async () => {
    expect((await call('POST', '/jobs', admin, job('quiet', { enabled: false }))).status).toBe(201);
    await record(...Array.from({ length: 5 }, (_, i) => deadLetter('quiet', i)));
    const mailsBefore = smtp.mails.length;
    for (let i = 0; i < 3; i++) {
      now += 10 * MINUTE;
      await digests();
    }
    expect(smtp.mails).toHaveLength(mailsBefore);
    const { id: _id, ...settings } = job('quiet', { enabled: true });
    expect((await call('PUT', '/jobs/quiet', admin, settings)).status).toBe(200);
    now += 10 * MINUTE;
    await digests();
    now += 10 * MINUTE;
    await digests();
    expect(smtp.mails).toHaveLength(mailsBefore);
    const pending = await env.query(`SELECT id FROM notification_event WHERE job_id = 'quiet' AND handled_at IS NULL`);
    expect(pending).toEqual([]);
  });

  it('keeps a digest the server refused and sends it, once, when the server takes it again', async () => {
    const { id: _id, ...settings } = job('flaky', { enabled: true });
    expect((await call('POST', '/jobs', admin, { id: 'flaky', ...settings, notification: { ...settings.notification, smtp: { ...settings.notification.smtp, password: 'wrong' } } })).status).toBe(201);
    await record(deadLetter('flaky', 1), deadLetter('flaky', 2));
    const mailsBefore = smtp.mails.length;
    await digests();
    now += MINUTE;
    await digests();
    expect(smtp.mails).toHaveLength(mailsBefore);
    const [failed] = await env.query<{ last_error: string }>(`SELECT last_error FROM notification_digest WHERE job_id = 'flaky'`);
    expect(failed!.last_error).toMatch(/535/);

    expect((await call('PUT', '/jobs/flaky', admin, settings)).status).toBe(200);
    now += MINUTE;
    await digests();
    await digests();
    expect(smtp.mails).toHaveLength(mailsBefore + 1);
    expect(smtp.mails.at(-1)!.text).toContain('Failures (dead letters): 2:');
  });

  it('sends one digest when two replicas run at once, and none again from a replica started afresh', async () => {
    const replicaEnv = env.env({ ROSTER_SECRET_KEY: secretKey, NOTIFICATION_CHECK_MS: '3600000', NOTIFICATION_GATHER_MS: '60000' });
    let replica = await startAdminApi(replicaEnv, { clock: () => now });
    try {
      now += 20 * MINUTE;
      await record(deadLetter('tenant-a', 100), deadLetter('tenant-a', 101));
      const mailsBefore = smtp.mails.length;
      const both = () => Promise.all([digests(), replica.app.get(NotificationDigests).runOnce()]);
      await both();
      now += MINUTE;
      for (let i = 0; i < 5; i++) await both();
      expect(smtp.mails).toHaveLength(mailsBefore + 1);
      expect(smtp.mails.at(-1)!.text).toContain('Failures (dead letters): 2:');

      await replica.app.close();
      replica = await startAdminApi(replicaEnv, { clock: () => now });
      now += 20 * MINUTE;
      await replica.app.get(NotificationDigests).runOnce();
      expect(smtp.mails).toHaveLength(mailsBefore + 1);
    } finally {
      await replica.app.close();
    }
  });
});

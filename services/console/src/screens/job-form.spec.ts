import { emptyJobForm, formOfJob, settingsOfForm } from './job-form';

describe('job set-up form', () => {
  it('sends a credential only when one was typed, so an empty field keeps the stored one', () => {
    const kept = settingsOfForm({ ...emptyJobForm, gotoClientId: 'c', smtpHost: 'mail', smtpFrom: 'r@example.com' });
    expect(kept.goto).not.toHaveProperty('clientSecret', expect.anything());
    expect(kept.notification.smtp).toMatchObject({ host: 'mail', password: undefined });
    expect(settingsOfForm({ ...emptyJobForm, gotoClientId: 'c', gotoClientSecret: ' s ' }).goto.clientSecret).toBe(' s ');
  });

  it('reads a job back into the form without any credential, and the recipients as a list', () => {
    const form = formOfJob({
      id: 'j',
      source: { kind: 'demo', settings: {} },
      goto: { clientId: 'c', rateLimitPerSecond: 5 },
      schedule: { intervalMinutes: 40 },
      notification: { enabled: true, emails: ['a@example.com', 'b@example.com'], digestMinutes: 15 },
      state: 'paused',
      secretsSet: ['goto.clientSecret'],
      revision: 1,
      createdAt: '',
      updatedAt: '',
    });
    expect(form).toMatchObject({ gotoClientId: 'c', gotoClientSecret: '', emails: 'a@example.com, b@example.com', rateLimitPerSecond: '5' });
    expect(settingsOfForm({ ...form, emails: 'a@example.com; c@example.com' }).notification.emails).toEqual(['a@example.com', 'c@example.com']);
  });

  it("carries a job's scope options through an edit, and leaves an option out when the installation should decide", () => {
    const settings = { tenantId: 't', clientId: 'c', servicePrincipalId: 'sp', scope: 'assigned', includeDefaultAccess: false, nestedGroups: true, select: ['employeeType', 'costCenter'] };
    const form = formOfJob({
      id: 'j',
      source: { kind: 'entra', settings },
      goto: { clientId: 'c', rateLimitPerSecond: 5 },
      schedule: { intervalMinutes: 40 },
      notification: { enabled: false, emails: [], digestMinutes: 15 },
      state: 'paused',
      secretsSet: [],
      revision: 1,
      createdAt: '',
      updatedAt: '',
    });
    expect(form).toMatchObject({ includeDefaultAccess: 'false', nestedGroups: 'true', entraSelect: 'employeeType, costCenter' });
    expect(settingsOfForm(form).source.settings).toEqual({ ...settings, clientSecret: undefined });
    const left = settingsOfForm({ ...form, includeDefaultAccess: '', nestedGroups: '', entraSelect: ' ' }).source.settings;
    expect(left).toMatchObject({ includeDefaultAccess: undefined, nestedGroups: undefined, select: undefined });
  });
});

import { provisioningJobSettingsSchema } from '@roster/contracts';
import { mergeSecrets, revealSecrets, splitSecrets } from './job-secrets';

const settings = provisioningJobSettingsSchema.parse({
  source: { kind: 'entra', settings: { tenantId: 't', clientId: 'c', clientSecret: 'graph-secret', servicePrincipalId: 'sp' } },
  goto: { clientId: 'g', clientSecret: 'goto-secret', adminPassword: null },
  notification: { enabled: true, emails: ['ops@example.com'], smtp: { host: 'mail.example.com', user: 'roster', password: 'smtp-secret', from: 'roster@example.com' } },
});

describe('job secrets', () => {
  it('takes every credential out of the settings, leaving the rest intact', () => {
    const { settings: rest, secrets } = splitSecrets(settings);
    expect(secrets).toEqual({
      'source.settings.clientSecret': 'graph-secret',
      'goto.clientSecret': 'goto-secret',
      'goto.adminPassword': null,
      'notification.smtp.password': 'smtp-secret',
    });
    expect(JSON.stringify(rest)).not.toMatch(/secret|adminPassword|password/i);
    expect(rest.goto.clientId).toBe('g');
    expect(rest.notification.smtp).toEqual({ host: 'mail.example.com', port: 587, tls: 'starttls', user: 'roster', from: 'roster@example.com' });
    expect(settings.goto.clientSecret).toBe('goto-secret');
  });

  it('replaces a sent credential, removes a null one and keeps one left out', () => {
    const merged = mergeSecrets(
      { 'goto.clientSecret': 'enc:old', 'goto.adminPassword': 'enc:pw', 'source.settings.clientSecret': 'enc:graph' },
      { 'goto.clientSecret': 'new', 'goto.adminPassword': null },
      (p) => `enc:${p}`,
    );
    expect(merged).toEqual({ 'goto.clientSecret': 'enc:new', 'source.settings.clientSecret': 'enc:graph' });
  });

  it('puts each stored credential back in its place, decrypted, for the services that run the job', () => {
    const { settings: rest } = splitSecrets(settings);
    const revealed = revealSecrets(rest, { 'goto.clientSecret': 'enc:goto', 'source.settings.clientSecret': 'enc:graph' }, (c) => c.replace('enc:', 'plain-'));
    expect(revealed.goto.clientSecret).toBe('plain-goto');
    expect(revealed.source).toEqual({ ...settings.source, settings: { ...settings.source.settings, clientSecret: 'plain-graph' } });
    expect(rest.goto.clientSecret).toBeUndefined();
  });
});

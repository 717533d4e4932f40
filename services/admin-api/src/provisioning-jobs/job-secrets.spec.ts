import { provisioningJobSettingsSchema } from '@roster/contracts';
import { mergeSecrets, splitSecrets } from './job-secrets';

const settings = provisioningJobSettingsSchema.parse({
  source: { kind: 'entra', settings: { tenantId: 't', clientId: 'c', clientSecret: 'graph-secret', servicePrincipalId: 'sp' } },
  goto: { clientId: 'g', clientSecret: 'goto-secret', adminPassword: null },
});

describe('job secrets', () => {
  it('takes every credential out of the settings, leaving the rest intact', () => {
    const { settings: rest, secrets } = splitSecrets(settings);
    expect(secrets).toEqual({ 'source.settings.clientSecret': 'graph-secret', 'goto.clientSecret': 'goto-secret', 'goto.adminPassword': null });
    expect(JSON.stringify(rest)).not.toMatch(/secret|adminPassword/i);
    expect(rest.goto.clientId).toBe('g');
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
});

import { ConfigError, SecretBox, loadConfig } from '@roster/platform';
import { defaultJobFromEnv } from '../provisioning-jobs/default-job';
import { adminApiConfigSchema } from './admin-api.config';

const key = SecretBox.generateKey();
const load = (env: Record<string, string>) => loadConfig('admin-api', adminApiConfigSchema, { ROSTER_SECRET_KEY: key, ...env });

describe('admin API configuration', () => {
  it('listens on loopback port 3005 by default', () => {
    expect(load({})).toMatchObject({ HTTP_HOST: '127.0.0.1', HTTP_PORT: 3005, AUTH_FAILURE_LIMIT: 10 });
  });

  it('names a missing or bad secret key and every other bad variable', () => {
    try {
      loadConfig('admin-api', adminApiConfigSchema, { AUTH_FAILURE_LIMIT: '0', NOTIFICATION_EMAILS: 'ops@example.com, nope' });
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems.map((p) => p.variable).sort()).toEqual(['AUTH_FAILURE_LIMIT', 'NOTIFICATION_EMAILS.1', 'ROSTER_SECRET_KEY']);
    }
    expect(() => load({ ROSTER_SECRET_KEY: 'c2hvcnQ=' })).toThrow(/ROSTER_SECRET_KEY: must be 32 bytes/);
  });

  it('makes no default job without a GoTo client, and one from the pipeline variables with one', () => {
    expect(defaultJobFromEnv(load({}))).toBeUndefined();
    const job = defaultJobFromEnv(
      load({ GOTO_CLIENT_ID: 'cid', GOTO_CLIENT_SECRET: 's', GOTO_SCIM_URL: 'http://127.0.0.1:4100/scim', NOTIFICATION_EMAILS: 'ops@example.com' }),
    );
    expect(job).toMatchObject({
      id: 'gotomeeting',
      source: { kind: 'demo' },
      goto: { clientId: 'cid', clientSecret: 's', scimUrl: 'http://127.0.0.1:4100/scim' },
      notification: { enabled: true, emails: ['ops@example.com'] },
    });
  });

  it('names the Entra variables an Entra default job needs', () => {
    expect(() => load({ GOTO_CLIENT_ID: 'cid', DIRECTORY_SOURCE: 'entra', ENTRA_TENANT_ID: 't' })).toThrow(
      /ENTRA_CLIENT_ID: is required when DIRECTORY_SOURCE=entra; ENTRA_SERVICE_PRINCIPAL_ID: is required/,
    );
  });
});

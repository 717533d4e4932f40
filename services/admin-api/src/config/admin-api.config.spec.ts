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

  it('gives the default job the mail server of the SMTP_* variables, its password among the write-only credentials', () => {
    const job = defaultJobFromEnv(
      load({ GOTO_CLIENT_ID: 'cid', NOTIFICATION_EMAILS: 'ops@example.com', SMTP_HOST: 'mail.example.com', SMTP_PASSWORD: 'pw', SMTP_FROM: 'roster@example.com' }),
    );
    expect(job?.notification).toEqual({
      enabled: true,
      emails: ['ops@example.com'],
      digestMinutes: 15,
      smtp: { host: 'mail.example.com', port: 587, tls: 'starttls', password: 'pw', from: 'roster@example.com' },
    });
    expect(() => load({ SMTP_HOST: 'mail.example.com' })).toThrow(/SMTP_FROM: is required when SMTP_HOST is set/);
  });

  it('accepts OIDC tokens only from an https issuer (http on loopback) and for a named audience', () => {
    expect(() => load({ OIDC_ISSUER: 'https://login.example.com/t/v2.0' })).toThrow(/OIDC_AUDIENCE: is required when OIDC_ISSUER is set/);
    expect(() => load({ OIDC_ISSUER: 'http://login.example.com', OIDC_AUDIENCE: 'api://roster' })).toThrow(/OIDC_ISSUER: must be an https URL/);
    expect(load({ OIDC_ISSUER: 'http://127.0.0.1:8080/realm', OIDC_AUDIENCE: 'api://roster, 0b4c' })).toMatchObject({
      OIDC_AUDIENCE: ['api://roster', '0b4c'],
      OIDC_ROLES_CLAIM: 'roles',
      OIDC_ADMIN_ROLES: ['Roster.Admin'],
      OIDC_READER_ROLES: ['Roster.Reader'],
    });
  });

  it('lets the console sign in through the OIDC issuer only when there is one, asking for openid', () => {
    expect(() => load({ CONSOLE_OIDC_CLIENT_ID: 'spa' })).toThrow(/CONSOLE_OIDC_CLIENT_ID: needs OIDC_ISSUER/);
    const oidc = { OIDC_ISSUER: 'https://login.example.com/t/v2.0', OIDC_AUDIENCE: 'api://roster', CONSOLE_OIDC_CLIENT_ID: 'spa' };
    expect(() => load({ ...oidc, CONSOLE_OIDC_SCOPE: 'api://roster/Roster.Access' })).toThrow(/CONSOLE_OIDC_SCOPE: must include openid/);
    expect(load(oidc)).toMatchObject({ CONSOLE_OIDC_CLIENT_ID: 'spa', CONSOLE_OIDC_SCOPE: 'openid profile' });
  });

  it('names the Entra variables an Entra default job needs', () => {
    expect(() => load({ GOTO_CLIENT_ID: 'cid', DIRECTORY_SOURCE: 'entra', ENTRA_TENANT_ID: 't' })).toThrow(
      /ENTRA_CLIENT_ID: is required when DIRECTORY_SOURCE=entra; ENTRA_SERVICE_PRINCIPAL_ID: is required/,
    );
  });
});

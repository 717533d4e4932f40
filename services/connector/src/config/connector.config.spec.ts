import { GOTO_DEFAULT_ENDPOINTS } from '@roster/goto-client';
import { ConfigError, loadConfig } from '@roster/platform';
import { environmentJob } from '../job-settings/environment-job';
import { connectorConfigSchema } from './connector.config';

const load = (env: Record<string, string>) => loadConfig('connector', connectorConfigSchema, { GOTO_CLIENT_ID: 'id', GOTO_CLIENT_SECRET: 's', ...env });

describe('connector configuration', () => {
  it("sends the direct login to GoTo's old API host when the real GoTo is configured", () => {
    expect(load({}).GOTO_DIRECT_LOGIN_URL).toBe(GOTO_DEFAULT_ENDPOINTS.directLoginUrl);
  });

  it('looks for the direct login on the configured auth host otherwise, so a password never goes elsewhere', () => {
    expect(load({ GOTO_AUTH_URL: 'http://127.0.0.1:4100/' }).GOTO_DIRECT_LOGIN_URL).toBe('http://127.0.0.1:4100/oauth/access_token');
    expect(load({ GOTO_AUTH_URL: 'http://emu', GOTO_DIRECT_LOGIN_URL: 'https://login.example/x' }).GOTO_DIRECT_LOGIN_URL).toBe('https://login.example/x');
  });

  it("defaults to GoTo's documented rate limit and a 10-minute account index", () => {
    expect(load({})).toMatchObject({ GOTO_RATE_LIMIT_PER_SECOND: 10, GOTO_INDEX_TTL_MS: 600_000, QUARANTINE_INITIAL_MS: 30_000, QUARANTINE_MAX_MS: 3_600_000 });
  });

  it('names each bad variable', () => {
    try {
      load({ GOTO_RATE_LIMIT_PER_SECOND: '0', QUARANTINE_INITIAL_MS: '5000', QUARANTINE_MAX_MS: '1000', NOTIFY_WEBHOOK_URL: 'nope' });
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems.map((p) => p.variable).sort()).toEqual(['GOTO_RATE_LIMIT_PER_SECOND', 'NOTIFY_WEBHOOK_URL', 'QUARANTINE_MAX_MS']);
    }
    expect(() => load({ QUARANTINE_INITIAL_MS: '5000', QUARANTINE_MAX_MS: '1000' })).toThrow(/QUARANTINE_MAX_MS: must not be less than QUARANTINE_INITIAL_MS/);
  });

  it('takes no GoTo connection from an environment without GOTO_CLIENT_ID (the job record gives it), but refuses credentials without it', () => {
    const bare = loadConfig('connector', connectorConfigSchema, {});
    expect(bare.GOTO_CLIENT_ID).toBeUndefined();
    expect(environmentJob(bare).state).toBe('paused');
    expect(environmentJob(load({})).state).toBe('steady');
    expect(() => loadConfig('connector', connectorConfigSchema, { GOTO_CLIENT_SECRET: 's' })).toThrow(/GOTO_CLIENT_ID: is required with GoTo credentials/);
    expect(() => loadConfig('connector', connectorConfigSchema, { GOTO_CLIENT_ID: 'id' })).toThrow(/GOTO_CLIENT_SECRET: is required unless/);
  });
});

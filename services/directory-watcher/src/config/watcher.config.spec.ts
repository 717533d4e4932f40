import { ConfigError, SecretBox, loadConfig } from '@roster/platform';
import { environmentSource } from './environment-job';
import { changedScopeSettings, scopeOptionsOf, scopeSettings } from './scope-settings';
import { watcherConfigSchema } from './watcher.config';

const load = (env: Record<string, string>) => loadConfig('directory-watcher', watcherConfigSchema, env);
const problems = (env: Record<string, string>) => {
  try {
    load(env);
  } catch (error) {
    return (error as ConfigError).problems;
  }
  return [];
};
const settingsOf = (env: Record<string, string>) => {
  const config = load(env);
  return scopeSettings(environmentSource(config), config);
};
const entra = {
  DIRECTORY_SOURCE: 'entra',
  ENTRA_TENANT_ID: 'tenant',
  ENTRA_CLIENT_ID: 'client',
  ENTRA_CLIENT_SECRET: 'secret',
  ENTRA_SERVICE_PRINCIPAL_ID: 'sp',
};

describe('watcher configuration', () => {
  it('runs the demo directory with no configuration at all', () => {
    expect(load({})).toMatchObject({ DIRECTORY_SOURCE: 'demo', ENTRA_SCOPE: 'assigned', ENTRA_NESTED_GROUPS: false });
  });

  it('names every Entra variable DIRECTORY_SOURCE=entra needs', () => {
    expect(problems({ DIRECTORY_SOURCE: 'entra' })).toEqual(
      ['ENTRA_TENANT_ID', 'ENTRA_CLIENT_ID', 'ENTRA_CLIENT_SECRET', 'ENTRA_SERVICE_PRINCIPAL_ID'].map((variable) => ({
        variable,
        message: 'is required when DIRECTORY_SOURCE=entra',
      })),
    );
  });

  it('defaults to the real Microsoft hosts and reads the Entra options', () => {
    expect(load({ ...entra, ENTRA_SELECT: 'employeeType, extension_1a2b_costCenter', ENTRA_NESTED_GROUPS: 'true' })).toMatchObject({
      GRAPH_LOGIN_URL: 'https://login.microsoftonline.com',
      GRAPH_URL: 'https://graph.microsoft.com',
      GRAPH_PAGE_SIZE: 999,
      GRAPH_MAX_CONCURRENCY: 4,
      ENTRA_SELECT: ['employeeType', 'extension_1a2b_costCenter'],
      ENTRA_NESTED_GROUPS: true,
    });
  });

  it('rejects malformed Entra options, naming each', () => {
    const bad = problems({
      ...entra,
      ENTRA_SCOPE: 'everyone',
      GRAPH_PAGE_SIZE: '1000',
      ENTRA_SELECT: 'mail,$expand',
      ENTRA_WEBHOOK_URL: 'http://watcher.example.com/graph/notifications',
    });
    expect(bad.map((p) => p.variable)).toEqual(['ENTRA_SCOPE', 'GRAPH_PAGE_SIZE', 'ENTRA_SELECT', 'ENTRA_WEBHOOK_URL']);
  });

  it('wants a clientState with a webhook URL', () => {
    expect(problems({ ...entra, ENTRA_WEBHOOK_URL: 'https://watcher.example.com/graph/notifications' })).toEqual([
      { variable: 'ENTRA_WEBHOOK_CLIENT_STATE', message: 'is required when ENTRA_WEBHOOK_URL is set' },
    ]);
    const local = { ENTRA_WEBHOOK_URL: 'http://localhost:3001/graph/notifications', ENTRA_WEBHOOK_CLIENT_STATE: 's' };
    expect(() => load({ ...entra, ...local })).not.toThrow();
  });

  it('takes the client secret encrypted, so deployment files hold only ciphertext', () => {
    const key = SecretBox.generateKey();
    const encrypted = new SecretBox(key).encrypt('s3cret~from~entra');
    expect(load({ ...entra, ENTRA_CLIENT_SECRET: encrypted, ROSTER_SECRET_KEY: key }).ENTRA_CLIENT_SECRET).toBe('s3cret~from~entra');
    expect(problems({ ...entra, ENTRA_CLIENT_SECRET: encrypted })).toEqual([
      { variable: 'ENTRA_CLIENT_SECRET', message: 'is encrypted, but ROSTER_SECRET_KEY is not set' },
    ]);
    const wrongKey = problems({ ...entra, ENTRA_CLIENT_SECRET: encrypted, ROSTER_SECRET_KEY: SecretBox.generateKey() });
    expect(wrongKey).toEqual([{ variable: 'ENTRA_CLIENT_SECRET', message: expect.stringContaining('does not decrypt with this key') }]);
    expect(JSON.stringify(wrongKey)).not.toContain('s3cret');
  });
});

describe('scope settings', () => {
  it('names each setting that decides scope or the values read when it changes', () => {
    const before = settingsOf(entra);
    expect(changedScopeSettings(before, settingsOf(entra))).toEqual([]);
    for (const [name, value] of Object.entries({
      INCLUDE_DEFAULT_ACCESS: 'true',
      ENTRA_SCOPE: 'all-users',
      ENTRA_NESTED_GROUPS: 'true',
      ENTRA_SELECT: 'employeeType',
      ENTRA_SERVICE_PRINCIPAL_ID: 'another-app',
      ENTRA_TENANT_ID: 'another-tenant',
      GRAPH_URL: 'http://127.0.0.1:9999',
    })) {
      expect(changedScopeSettings(before, settingsOf({ ...entra, [name]: value }))).toEqual([name]);
    }
    expect(changedScopeSettings(settingsOf({}), settingsOf({ INCLUDE_DEFAULT_ACCESS: 'true' }))).toEqual(['INCLUDE_DEFAULT_ACCESS']);
  });

  it('leaves out what changes neither scope nor values: credentials, paging, polling', () => {
    const before = settingsOf(entra);
    const after = settingsOf({ ...entra, ENTRA_CLIENT_SECRET: 'rotated', GRAPH_PAGE_SIZE: '100', WATCH_POLL_INTERVAL_MS: '500' });
    expect(changedScopeSettings(before, after)).toEqual([]);
    expect(JSON.stringify(before)).not.toContain('secret');
  });

  it('takes a selection as a set, and switching sources as a change', () => {
    const a = settingsOf({ ...entra, ENTRA_SELECT: 'employeeType,costCenter' });
    expect(changedScopeSettings(a, settingsOf({ ...entra, ENTRA_SELECT: 'costCenter, employeeType, costCenter' }))).toEqual([]);
    expect(changedScopeSettings(settingsOf({}), settingsOf(entra))).toContain('DIRECTORY_SOURCE');
  });

  it("takes a job record's scope options over the environment's, and the environment's for those it leaves out", () => {
    const config = load({ ...entra, INCLUDE_DEFAULT_ACCESS: 'true', ENTRA_SELECT: 'employeeType' });
    const source = environmentSource(config);
    if (source.kind !== 'entra') throw new Error('an entra source');
    const own = { ...source, settings: { ...source.settings, includeDefaultAccess: false, nestedGroups: true } };
    expect(scopeOptionsOf(own, config)).toEqual({ includeDefaultAccess: false, nestedGroups: true, select: ['employeeType'] });
    expect(changedScopeSettings(scopeSettings(source, config), scopeSettings(own, config))).toEqual(['ENTRA_NESTED_GROUPS', 'INCLUDE_DEFAULT_ACCESS']);
    // A record that states the environment's own values re-evaluates no one.
    const same = { ...source, settings: { ...source.settings, includeDefaultAccess: true, nestedGroups: false, select: ['employeeType'] } };
    expect(changedScopeSettings(scopeSettings(source, config), scopeSettings(same, config))).toEqual([]);
    expect(scopeOptionsOf({ kind: 'demo', settings: { includeDefaultAccess: false } }, config).includeDefaultAccess).toBe(false);
  });

  it('counts every setting as changed when none were recorded', () => {
    expect(changedScopeSettings(null, settingsOf({}))).toEqual(['DIRECTORY_SOURCE', 'INCLUDE_DEFAULT_ACCESS']);
  });
});

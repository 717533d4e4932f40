import { loadConfig } from '@roster/platform';
import { changedScopeSettings, scopeSettings } from './scope-settings';
import { watcherConfigSchema } from './watcher.config';

const settingsOf = (env: Record<string, string>) => scopeSettings(loadConfig('directory-watcher', watcherConfigSchema, env));
const entra = {
  DIRECTORY_SOURCE: 'entra',
  ENTRA_TENANT_ID: 'tenant',
  ENTRA_CLIENT_ID: 'client',
  ENTRA_CLIENT_SECRET: 'secret',
  ENTRA_SERVICE_PRINCIPAL_ID: 'sp',
};

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

  it('counts every setting as changed when none were recorded', () => {
    expect(changedScopeSettings(null, settingsOf({}))).toEqual(['DIRECTORY_SOURCE', 'INCLUDE_DEFAULT_ACCESS']);
  });
});

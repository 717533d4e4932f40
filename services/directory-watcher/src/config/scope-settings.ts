import type { DirectorySourceSettings } from '@roster/contracts';
import { isDeepStrictEqual } from 'node:util';
import type { WatcherConfig } from './watcher.config';

export type ScopeSettings = Record<string, string | boolean | string[] | null>;

/** Who is in a job's scope and which values are read: its record's options, each left out taken from the environment. */
export interface ScopeOptions {
  includeDefaultAccess: boolean;
  nestedGroups: boolean;
  select: string[] | undefined;
}

export function scopeOptionsOf(source: DirectorySourceSettings, c: WatcherConfig): ScopeOptions {
  const entra = source.kind === 'entra' ? source.settings : undefined;
  return {
    includeDefaultAccess: source.settings.includeDefaultAccess ?? c.INCLUDE_DEFAULT_ACCESS,
    nestedGroups: entra?.nestedGroups ?? c.ENTRA_NESTED_GROUPS,
    select: entra?.select ?? c.ENTRA_SELECT,
  };
}

/**
 * The settings that decide which directory is read, who is in scope and which values are read: the
 * job's directory source (its record's, or the environment's) with its scope options (see
 * scopeOptionsOf), and Graph's address. The watcher keeps the ones a job's last full cycle ran with; a cycle with others re-evaluates every
 * user, since any of them may now be in or out of scope or carry other values. The names are the
 * environment variables', as they were recorded before sources and their options were records, so
 * a record that takes over the environment's values re-evaluates no one.
 */
export function scopeSettings(source: DirectorySourceSettings, c: WatcherConfig): ScopeSettings {
  const options = scopeOptionsOf(source, c);
  const common = { DIRECTORY_SOURCE: source.kind, INCLUDE_DEFAULT_ACCESS: options.includeDefaultAccess };
  if (source.kind !== 'entra') return common;
  return {
    ...common,
    GRAPH_URL: c.GRAPH_URL,
    ENTRA_TENANT_ID: source.settings.tenantId,
    ENTRA_SERVICE_PRINCIPAL_ID: source.settings.servicePrincipalId,
    ENTRA_SCOPE: source.settings.scope,
    ENTRA_NESTED_GROUPS: options.nestedGroups,
    // A selection is a set: the same names in another order read the same values.
    ENTRA_SELECT: [...new Set(options.select ?? [])].sort(),
  };
}

/** Names of the settings that differ; every one when nothing was recorded (a run before settings were kept). */
export function changedScopeSettings(recorded: ScopeSettings | null, current: ScopeSettings): string[] {
  const names = [...new Set([...Object.keys(recorded ?? {}), ...Object.keys(current)])].sort();
  if (recorded === null) return names;
  return names.filter((name) => !isDeepStrictEqual(recorded[name] ?? null, current[name] ?? null));
}

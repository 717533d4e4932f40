import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ConfigError, loadConfig, redisSettingProblems } from '@roster/platform';
import { DEFAULT_HTTP_PORTS } from '../../tools/healthcheck';
import { adminApiConfigSchema } from '../../services/admin-api/src/config/admin-api.config';
import { auditConfigSchema } from '../../services/audit/src/config/audit.config';
import { connectorConfigSchema } from '../../services/connector/src/config/connector.config';
import { mapperConfigSchema } from '../../services/mapper/src/config/mapper.config';
import { watcherConfigSchema } from '../../services/directory-watcher/src/config/watcher.config';
import { alertRules, dashboardPanels } from '../support/deployment-metrics';

const root = join(__dirname, '..', '..');
const schemas = {
  audit: auditConfigSchema,
  connector: connectorConfigSchema,
  mapper: mapperConfigSchema,
  'directory-watcher': watcherConfigSchema,
  'admin-api': adminApiConfigSchema,
};
/** Long-running services of the compose file; `secrets` and `demo` run once and exit. */
const LONG_RUNNING = ['redis', 'postgres', ...Object.keys(schemas), 'goto-emulator'];

interface ComposeService {
  build?: { context: string; dockerfile: string };
  image?: string;
  entrypoint?: string[];
  environment?: Record<string, string>;
  profiles?: string[];
  command?: string[];
  volumes?: string[];
  ports?: string[];
  restart?: string;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test?: string[]; disable?: boolean };
}

interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/** A variable as compose gives it when the shell sets none: `${X:-default}` is the default. */
const composeDefault = (v: unknown) => String(v).replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');
const composeFile = (name: string) => parse(readFileSync(join(root, name), 'utf8'), { merge: true }) as ComposeFile;

/**
 * What Compose runs from a file and an override: the override's new services as they are, and for a
 * service of both, the environment merged variable by variable (the override only changes environments:
 * see the test that says so, which keeps this merge Compose's own).
 */
function withOverride(base: ComposeFile, override: ComposeFile): ComposeFile {
  const services = { ...base.services };
  for (const [name, s] of Object.entries(override.services)) {
    services[name] = base.services[name] ? { ...base.services[name], environment: { ...base.services[name].environment, ...s.environment } } : s;
  }
  return { services, volumes: { ...base.volumes, ...override.volumes } };
}

const alone = composeFile('docker-compose.yml');
const override = composeFile('docker-compose.override.yml');
/** Plain `docker compose up`: the file and its override, the quick start's demo. */
const demo = withOverride(alone, override);

describe('docker-compose.yml and docker-compose.override.yml', () => {
  const compose = demo;

  it('runs the five services from the repository Dockerfile next to Redis and PostgreSQL, and with the override the emulator and the demo', () => {
    const roster = ['admin-api', 'audit', 'connector', 'directory-watcher', 'mapper', 'postgres', 'redis', 'secrets'];
    expect(Object.keys(alone.services).sort()).toEqual(roster.sort());
    expect(Object.keys(demo.services).sort()).toEqual([...roster, 'demo', 'goto-emulator'].sort());
    // Compose has no default profile: the demo is in the file Compose reads by itself, not in a profile.
    for (const s of Object.values(demo.services)) expect(s.profiles).toBeUndefined();
    for (const name of Object.keys(schemas)) {
      const s = compose.services[name];
      expect(s.build).toEqual({ context: '.', dockerfile: 'Dockerfile' });
      expect(s.environment?.SERVICE).toBe(name);
      expect(s.profiles).toBeUndefined();
      expect(existsSync(join(root, 'services', name, 'src', 'main.ts'))).toBe(true);
      expect(s.depends_on).toMatchObject({ redis: { condition: 'service_healthy' }, postgres: { condition: 'service_healthy' }, secrets: { condition: 'service_completed_successfully' } });
    }
    // Only the admin API is published (and the demo's emulator); the pipeline's routes are internal.
    const published = (file: ComposeFile) => Object.entries(file.services).filter(([, s]) => s.ports).map(([name]) => name).sort();
    expect(published(alone)).toEqual(['admin-api']);
    expect(published(demo)).toEqual(['admin-api', 'goto-emulator']);
  });

  it('gives every long-running service a health check, and the Roster services the image\'s', () => {
    for (const name of LONG_RUNNING) expect(compose.services[name].healthcheck?.test?.[0]).toBe('CMD');
    for (const name of Object.keys(schemas)) expect(compose.services[name].healthcheck?.test).toEqual(['CMD', 'node', 'dist/tools/healthcheck.js']);
    expect(existsSync(join(root, 'tools', 'healthcheck.ts'))).toBe(true);
  });

  it('declares every named volume it mounts, and mounts every one it declares', () => {
    const mounted = Object.values(compose.services).flatMap((s) => (s.volumes ?? []).map((v) => v.split(':')[0]));
    expect(new Set(mounted)).toEqual(new Set(Object.keys(compose.volumes ?? {})));
    expect(compose.services.redis.volumes).toContain('redis-data:/data');
    expect(compose.services.postgres.volumes).toContain('postgres-data:/var/lib/postgresql/data');
    // The secrets made on first start: written by `secrets`, read-only everywhere else.
    expect(compose.services.secrets.volumes).toEqual(['roster-secrets:/run/roster']);
    for (const name of [...Object.keys(schemas), 'demo']) expect(compose.services[name].volumes).toEqual(['roster-secrets:/run/roster:ro']);
  });

  it('gives each service an environment its config schema accepts, its secrets from the shell or the first start, with and without the demo', () => {
    const made = { ROSTER_SECRET_KEY: randomBytes(32).toString('base64'), ROSTER_INTERNAL_TOKEN: randomBytes(32).toString('base64url') };
    for (const file of [alone, demo]) {
      for (const [name, schema] of Object.entries(schemas)) {
        const env = Object.fromEntries(Object.entries(file.services[name].environment ?? {}).map(([k, v]) => [k, composeDefault(v)]));
        expect(() => loadConfig(name, schema, { ...env, ...made })).not.toThrow();
        expect(file.services[name].entrypoint?.join(' ')).toMatch(/ROSTER_SECRET_KEY:-\$\$\(cat \/run\/roster\/secret-key\)/);
      }
    }
    // The demo makes its key with the admin API's settings and secrets.
    expect(compose.services.demo.entrypoint).toEqual(compose.services['admin-api'].entrypoint);
    const demoEnv = Object.fromEntries(Object.entries(compose.services.demo.environment ?? {}).map(([k, v]) => [k, composeDefault(v)]));
    expect(() => loadConfig('admin-api', adminApiConfigSchema, { ...demoEnv, ...made })).not.toThrow();
    expect(compose.services.secrets.command?.join(' ')).toMatch(/secrets\/main\.js key > secret-key.*secrets\/main\.js token > internal-token/);
    // The admin API reaches each pipeline service by its compose name and port.
    const admin = compose.services['admin-api'].environment!;
    for (const [variable, service] of Object.entries({ WATCHER_URL: 'directory-watcher', MAPPER_URL: 'mapper', CONNECTOR_URL: 'connector', AUDIT_URL: 'audit' })) {
      expect(admin[variable]).toBe(`http://${service}:${compose.services[service].environment!.HTTP_PORT}`);
    }
  });

  it('passes the admin API its OIDC and mail settings from the shell, none written in the file', () => {
    const admin = compose.services['admin-api'].environment!;
    const fromShell = Object.keys(admin).filter((k) => /^(OIDC_|SMTP_|NOTIFICATION_EMAILS$)/.test(k));
    expect(fromShell.sort()).toEqual(
      ['NOTIFICATION_EMAILS', 'OIDC_ADMIN_ROLES', 'OIDC_AUDIENCE', 'OIDC_ISSUER', 'OIDC_READER_ROLES', 'OIDC_ROLES_CLAIM', 'SMTP_FROM', 'SMTP_HOST', 'SMTP_PASSWORD', 'SMTP_PORT', 'SMTP_TLS', 'SMTP_USER'].sort(),
    );
    for (const variable of fromShell) expect([variable, admin[variable]]).toEqual([variable, `\${${variable}:-}`]);
    const shell: Record<string, string> = {
      OIDC_ISSUER: 'https://login.microsoftonline.com/0b4c/v2.0',
      OIDC_AUDIENCE: 'api://roster-admin',
      NOTIFICATION_EMAILS: 'ops@example.com',
      SMTP_HOST: 'smtp.example.com',
      SMTP_USER: 'roster',
      SMTP_PASSWORD: 'from-the-shell',
      SMTP_FROM: 'roster@example.com',
    };
    const env = Object.fromEntries(Object.entries(admin).map(([k, v]) => [k, String(v).replace(/\$\{([A-Z_]+):-([^}]*)\}/g, (_, name: string, fallback: string) => shell[name] ?? fallback)]));
    const config = loadConfig('admin-api', adminApiConfigSchema, { ...env, ROSTER_SECRET_KEY: randomBytes(32).toString('base64') });
    expect(config).toMatchObject({ OIDC_AUDIENCE: ['api://roster-admin'], OIDC_ROLES_CLAIM: 'roles', SMTP_PORT: 587, SMTP_TLS: 'starttls', SMTP_PASSWORD: 'from-the-shell' });
  });

  it('runs Redis so queued work survives a restart and is never evicted (the settings each service checks at start)', () => {
    const redis = compose.services.redis;
    const [binary, ...args] = redis.command ?? [];
    expect(binary).toBe('redis-server');
    const settings = Object.fromEntries(args.flatMap((arg, i) => (arg.startsWith('--') ? [[arg.slice(2), args[i + 1]]] : [])));
    expect(settings).toMatchObject({ appendonly: 'yes', appendfsync: 'everysec', 'maxmemory-policy': 'noeviction' });
    expect(redisSettingProblems(settings)).toEqual([]);
  });

  it('makes plain `docker compose up` the demo: the override adds the emulator and the demo and points GoTo at the emulator', () => {
    expect(demo.services.demo.restart).toBe('no');
    expect(demo.services.demo.depends_on).toMatchObject({ 'admin-api': { condition: 'service_healthy' }, 'goto-emulator': { condition: 'service_healthy' } });
    expect(demo.services.demo.command).toContain('dist/tools/quickstart/compose-demo.js');
    expect(existsSync(join(root, 'tools', 'quickstart', 'compose-demo.ts'))).toBe(true);
    // Of the file's own services the override changes the environment alone (what withOverride merges).
    for (const name of Object.keys(override.services).filter((n) => alone.services[n])) expect(Object.keys(override.services[name]!)).toEqual(['environment']);
    for (const name of ['connector', 'admin-api']) {
      expect(composeDefault(demo.services[name].environment!.GOTO_SCIM_URL)).toBe('http://goto-emulator:4100/identity/v1');
      // Roster alone names no GoTo: the shell's GOTO_*, or the job's record through the admin API.
      const gotoEnv = Object.entries(alone.services[name].environment!).filter(([k]) => k.startsWith('GOTO_'));
      expect(gotoEnv.length).toBeGreaterThan(0);
      for (const [variable, value] of gotoEnv) expect([variable, value]).toEqual([variable, `\${${variable}:-}`]);
    }
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
  const final = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

  it('builds one image for every service, run as a non-root user with a health check', () => {
    expect(final).toContain('dist/services/${SERVICE}/src/main.js');
    // Services bind to loopback unless told otherwise; in a container that would make them unreachable.
    expect(final).toMatch(/^ENV HTTP_HOST=0\.0\.0\.0$/m);
    expect(final).toMatch(/^USER node$/m);
    expect(final).toMatch(/^HEALTHCHECK .*CMD \["node", "dist\/tools\/healthcheck\.js"\]$/m);
    // The console is in the image: the build makes it where the admin API serves it from by default.
    const build = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.build;
    expect(dockerfile).toMatch(/^RUN npm run build /m);
    expect(build).toContain('vite build --config services/console/vite.config.mts');
    expect(readFileSync(join(root, 'services', 'console', 'vite.config.mts'), 'utf8')).toContain(`'../../dist/console'`);
    expect(adminApiConfigSchema.parse({ ROSTER_SECRET_KEY: randomBytes(32).toString('base64') }).CONSOLE_DIR).toBe('dist/console');
    // The runtime stage carries the build's output and production dependencies only.
    expect(final).not.toMatch(/npm (ci|install)/);
    expect(dockerfile).toMatch(/npm prune --omit=dev/);
  });

  it('health-checks each service on the port it listens on by default', () => {
    for (const [name, schema] of Object.entries(schemas)) {
      const config = schema.safeParse({ GOTO_CLIENT_ID: 'x', GOTO_CLIENT_SECRET: 'y', ROSTER_SECRET_KEY: randomBytes(32).toString('base64') });
      expect({ [name]: config.data?.HTTP_PORT }).toEqual({ [name]: DEFAULT_HTTP_PORTS[name] });
    }
  });
});

describe('Prometheus alerts and Grafana dashboard (deploy/)', () => {
  const balanced = (expr: string) => [...expr].reduce((depth, c) => (depth < 0 ? depth : depth + (c === '(' ? 1 : c === ')' ? -1 : 0)), 0) === 0;

  it('gives each alert a severity, a summary and a description, on a well-formed expression', () => {
    const rules = alertRules();
    expect(rules.map((r) => r.alert)).toEqual(
      expect.arrayContaining(['RosterJobQuarantined', 'RosterDeadLettersGrowing', 'RosterQueueBacklogOld', 'RosterSyncCycleStalled']),
    );
    expect(new Set(rules.map((r) => r.alert)).size).toBe(rules.length);
    for (const rule of rules) {
      expect({ [rule.alert]: rule.labels?.severity }).toEqual({ [rule.alert]: expect.stringMatching(/^(critical|warning)$/) });
      expect(rule.annotations?.summary).toBeTruthy();
      expect(rule.annotations?.description).toBeTruthy();
      expect({ [rule.alert]: balanced(rule.expr) }).toEqual({ [rule.alert]: true });
      if (rule.for) expect(rule.for).toMatch(/^\d+[smh]$/);
    }
  });

  it('lays the dashboard out on Grafana\'s 24-column grid, every panel on the Prometheus data source variable', () => {
    const dashboard = JSON.parse(readFileSync(join(root, 'deploy', 'grafana', 'roster-dashboard.json'), 'utf8')) as {
      uid: string;
      templating: { list: { name: string; type: string }[] };
      panels: { id: number; type: string; gridPos: { x: number; w: number }; datasource?: { uid: string } }[];
    };
    expect(dashboard.uid).toBe('roster-overview');
    expect(dashboard.templating.list).toContainEqual(expect.objectContaining({ name: 'datasource', type: 'datasource' }));
    expect(new Set(dashboard.panels.map((p) => p.id)).size).toBe(dashboard.panels.length);
    for (const panel of dashboard.panels) expect(panel.gridPos.x + panel.gridPos.w).toBeLessThanOrEqual(24);
    for (const panel of dashboardPanels().filter((p) => p.type !== 'row')) {
      expect({ [panel.title]: (panel.targets ?? []).length > 0 }).toEqual({ [panel.title]: true });
      for (const t of panel.targets!) expect({ [panel.title]: balanced(t.expr) }).toEqual({ [panel.title]: true });
    }
    expect(dashboard.panels.filter((p) => p.type !== 'row').every((p) => p.datasource?.uid === '${datasource}')).toBe(true);
  });
});

describe('service configuration', () => {
  it('stops start-up with a message naming each missing or malformed variable', () => {
    const attempt = () =>
      loadConfig('connector', connectorConfigSchema, { REDIS_URL: 'http://nope', HTTP_PORT: 'abc', GOTO_CLIENT_ID: 'x' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const problems = (error as ConfigError).problems.map((p) => p.variable).sort();
      expect(problems).toEqual(['HTTP_PORT', 'REDIS_URL']);
      expect((error as Error).message).toMatch(/REDIS_URL: must be a URL with scheme redis: or rediss:/);
    }
    // Without GoTo settings the job waits for its record (main b17c407); credentials alone are refused.
    expect(() => loadConfig('connector', connectorConfigSchema, {})).not.toThrow();
    expect(() => loadConfig('connector', connectorConfigSchema, { GOTO_CLIENT_SECRET: 's' })).toThrow(/GOTO_CLIENT_ID: is required with GoTo credentials/);
    expect(() => loadConfig('connector', connectorConfigSchema, { GOTO_CLIENT_ID: 'x' })).toThrow(
      /GOTO_CLIENT_SECRET: is required unless GOTO_ADMIN_USERNAME and GOTO_ADMIN_PASSWORD are set/,
    );
    expect(() => loadConfig('connector', connectorConfigSchema, { GOTO_CLIENT_ID: 'x', GOTO_ADMIN_USERNAME: 'a' })).toThrow(
      /GOTO_ADMIN_PASSWORD: is required/,
    );
  });
});

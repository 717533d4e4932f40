import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ConfigError, loadConfig, redisSettingProblems } from '@roster/platform';
import { auditConfigSchema } from '../../services/audit/src/config/audit.config';
import { connectorConfigSchema } from '../../services/connector/src/config/connector.config';
import { mapperConfigSchema } from '../../services/mapper/src/config/mapper.config';
import { watcherConfigSchema } from '../../services/directory-watcher/src/config/watcher.config';

const root = join(__dirname, '..', '..');
const schemas = {
  audit: auditConfigSchema,
  connector: connectorConfigSchema,
  mapper: mapperConfigSchema,
  'directory-watcher': watcherConfigSchema,
};

interface ComposeService {
  build?: { context: string; dockerfile: string };
  image?: string;
  environment?: Record<string, string>;
  profiles?: string[];
  command?: string[];
  volumes?: string[];
}

describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, ComposeService>;
  };

  it('runs the four services from the repository Dockerfile next to Redis and PostgreSQL', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ['audit', 'connector', 'directory-watcher', 'goto-emulator', 'mapper', 'postgres', 'redis'].sort(),
    );
    for (const name of Object.keys(schemas)) {
      const s = compose.services[name];
      expect(s.build).toEqual({ context: '.', dockerfile: 'Dockerfile' });
      expect(s.environment?.SERVICE).toBe(name);
      expect(existsSync(join(root, 'services', name, 'src', 'main.ts'))).toBe(true);
    }
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain('dist/services/${SERVICE}/src/main.js');
    // Services bind to loopback unless told otherwise; in a container that would make them unreachable.
    expect(dockerfile).toMatch(/^ENV HTTP_HOST=0\.0\.0\.0$/m);
  });

  it('gives each service an environment its config schema accepts', () => {
    for (const [name, schema] of Object.entries(schemas)) {
      const env = Object.fromEntries(
        Object.entries(compose.services[name].environment ?? {}).map(([k, v]) => [k, String(v).replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1')]),
      );
      expect(() => loadConfig(name, schema, env)).not.toThrow();
    }
  });

  it('runs Redis so queued work survives a restart and is never evicted (the settings each service checks at start)', () => {
    const redis = compose.services.redis;
    const [binary, ...args] = redis.command ?? [];
    expect(binary).toBe('redis-server');
    const settings = Object.fromEntries(args.flatMap((arg, i) => (arg.startsWith('--') ? [[arg.slice(2), args[i + 1]]] : [])));
    expect(settings).toMatchObject({ appendonly: 'yes', appendfsync: 'everysec', 'maxmemory-policy': 'noeviction' });
    expect(redisSettingProblems(settings)).toEqual([]);
    expect(redis.volumes).toContain('redis-data:/data');
  });

  it('keeps the GoTo emulator out of a default deployment', () => {
    expect(compose.services['goto-emulator'].profiles).toEqual(['dev']);
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
    expect(() => loadConfig('connector', connectorConfigSchema, {})).toThrow(/GOTO_CLIENT_ID: is required/);
    expect(() => loadConfig('connector', connectorConfigSchema, { GOTO_CLIENT_ID: 'x' })).toThrow(
      /GOTO_CLIENT_SECRET: is required unless GOTO_ADMIN_USERNAME and GOTO_ADMIN_PASSWORD are set/,
    );
    expect(() => loadConfig('connector', connectorConfigSchema, { GOTO_CLIENT_ID: 'x', GOTO_ADMIN_USERNAME: 'a' })).toThrow(
      /GOTO_ADMIN_PASSWORD: is required/,
    );
  });
});

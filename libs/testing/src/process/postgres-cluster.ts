import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from '../free-port';
import { waitFor } from '../wait-for';

/** The newest PostgreSQL server binaries of Debian's packages (/usr/lib/postgresql/<major>/bin). */
function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root) ? readdirSync(root).filter((d) => existsSync(join(root, d, 'bin', 'pg_ctl'))) : [];
  if (majors.length === 0) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (apt-get install postgresql)');
  return join(root, majors.sort((a, b) => Number(b) - Number(a))[0], 'bin');
}

/**
 * A PostgreSQL cluster of a test's own (initdb + pg_ctl in a temp dir, on a free port, trust auth),
 * so the test may crash it. PostgreSQL refuses to run as root: then every command runs as the
 * `postgres` OS user, which owns the temp dir.
 */
export class PostgresCluster {
  private constructor(
    readonly port: number,
    readonly dir: string,
    private readonly maxConnections: number,
  ) {}

  /** `maxConnections`: a cluster several stacks share needs more than one stack's pools (about 130). */
  static async start({ maxConnections = 300 } = {}): Promise<PostgresCluster> {
    const dir = mkdtempSync(join(tmpdir(), 'roster-pg-'));
    const cluster = new PostgresCluster(await freePort(), dir, maxConnections);
    if (asRoot()) chownSync(dir, postgresUid(), postgresGid());
    cluster.run('initdb', ['-D', cluster.dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync']);
    await cluster.restart();
    return cluster;
  }

  get url(): string {
    return this.databaseUrl('postgres');
  }

  databaseUrl(database: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  /** A new, empty database (letters, digits and _ only), for one of several stacks sharing the cluster. */
  async createDatabase(database: string): Promise<string> {
    if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new Error(`not a plain database name: ${database}`);
    await this.execute(`CREATE DATABASE ${database}`);
    return this.databaseUrl(database);
  }

  /** A plain-SQL dump of `database` into `file`, to restore and query after the cluster is gone. */
  dumpDatabase(database: string, file: string): void {
    execFileSync(join(postgresBin(), 'pg_dump'), ['--file', file, this.databaseUrl(database)]);
  }

  /** Drops the database even while clients are still connected (they are cut). */
  async dropDatabase(database: string): Promise<void> {
    await this.execute(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  }

  private get dataDir(): string {
    return join(this.dir, 'data');
  }

  /** Starts the server (after `crash`) and resolves once it accepts connections; crash recovery runs first. */
  async restart(): Promise<void> {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=${this.maxConnections}`;
    this.run('pg_ctl', ['-D', this.dataDir, '-o', options, '-l', join(this.dir, 'server.log'), '-w', '-t', '120', 'start']);
    await waitFor(() => this.accepts(), { what: `PostgreSQL on port ${this.port}`, timeoutMs: 60_000, intervalMs: 100 });
  }

  /** Stops at once without a checkpoint (`pg_ctl -m immediate`): every connection is cut, as in a crash. */
  async crash(): Promise<void> {
    this.run('pg_ctl', ['-D', this.dataDir, '-m', 'immediate', '-w', 'stop']);
  }

  async stop(): Promise<void> {
    if (existsSync(join(this.dataDir, 'postmaster.pid'))) this.run('pg_ctl', ['-D', this.dataDir, '-m', 'immediate', '-w', 'stop'], false);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private run(tool: string, args: string[], check = true): void {
    const bin = join(postgresBin(), tool);
    const [command, argv] = asRoot() ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
    const result = spawnSync(command, argv, { encoding: 'utf8', cwd: this.dir });
    if (check && result.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed (${result.status}): ${result.stderr}${result.stdout}`);
  }

  /** Runs one statement in `database`. */
  async execute(sql: string, database = 'postgres'): Promise<void> {
    const client = new Client({ connectionString: this.databaseUrl(database) });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  private async accepts(): Promise<boolean> {
    const client = new Client({ connectionString: this.url });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

function asRoot(): boolean {
  return process.getuid?.() === 0;
}

function postgresUid(): number {
  return Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
}

function postgresGid(): number {
  return Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
}

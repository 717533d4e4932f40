import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { freePort } from '../free-port';
import { killOnExit } from './orphan-guard';

/** The repository root, from the sources (ts-jest) or from dist/. */
export const REPO_ROOT = (() => {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
})();

export type ServiceName = 'directory-watcher' | 'mapper' | 'connector' | 'audit';

const SHARED_SOURCES = ['libs/contracts/src', 'libs/platform/src', 'libs/directory/src', 'libs/mapping/src', 'libs/expressions/src', 'libs/goto-client/src', 'libs/graph-client/src', 'tools/register-aliases.ts'];

function sourcesUnder(path: string): string[] {
  const full = join(REPO_ROOT, path);
  if (!existsSync(full)) return [];
  if (statSync(full).isFile()) return [full];
  return readdirSync(full, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourcesUnder(join(path, entry.name))
      : entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')
        ? [join(full, entry.name)]
        : [],
  );
}

/** Sources of the services whose compiled file in dist/ is missing or older. */
function staleSources(services: readonly ServiceName[]): string[] {
  return [...services.map((s) => `services/${s}/src`), ...SHARED_SOURCES].flatMap(sourcesUnder).filter((source) => {
    const built = join(REPO_ROOT, 'dist', relative(REPO_ROOT, source).replace(/\.ts$/, '.js'));
    return !existsSync(built) || statSync(built).mtimeMs < statSync(source).mtimeMs;
  });
}

/** `npm run build`; answers its output when it reported errors (it still emits what it could). */
function build(): string {
  try {
    execFileSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: 'pipe', encoding: 'utf8' });
    return '';
  } catch (error) {
    return String((error as { stdout?: string }).stdout ?? error);
  }
}

/**
 * Builds dist/ when the services' compiled files are older than their sources. A build that reports
 * type errors elsewhere in the repository still counts if it brought these services up to date.
 */
export function ensureServicesBuilt(services: readonly ServiceName[]): void {
  if (staleSources(services).length === 0) return;
  let output = build();
  if (staleSources(services).length > 0) {
    // The build is incremental (tsconfig.build.json): a source whose content did not change, only its
    // time (a checkout, a rebase), is not written again. Without the build info, everything is.
    rmSync(join(REPO_ROOT, 'dist/.tsbuildinfo'), { force: true });
    output = build();
  }
  const stale = staleSources(services);
  if (stale.length > 0) throw new Error(`npm run build left ${stale.length} file(s) stale, e.g. ${stale[0]}:\n${output}`);
}

/** One service as its own process (`node -r dist/tools/register-aliases.js dist/services/<name>/src/main.js`). */
export class ServiceProcess {
  private readonly output: string[] = [];
  private readonly exited: Promise<number | null>;

  private constructor(
    readonly name: ServiceName,
    private readonly child: ChildProcess,
    readonly url: string,
    readonly port: number,
  ) {
    const keep = (chunk: Buffer) => {
      this.output.push(chunk.toString());
      if (this.output.length > 200) this.output.shift();
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /**
   * Starts the service on `port` (a free one when absent) and resolves once it answers /health/ready.
   * `nodeArgs` go to node before the script (a bench's `--cpu-prof`).
   */
  static async start(name: ServiceName, env: Record<string, string>, port?: number, readyTimeoutMs = 60_000, nodeArgs: string[] = []): Promise<ServiceProcess> {
    const httpPort = port ?? (await freePort());
    const child = spawn(
      process.execPath,
      [...nodeArgs, '-r', join(REPO_ROOT, 'dist/tools/register-aliases.js'), join(REPO_ROOT, `dist/services/${name}/src/main.js`)],
      { cwd: REPO_ROOT, env: { PATH: process.env.PATH, ...env, HTTP_PORT: String(httpPort) }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const service = new ServiceProcess(name, child, `http://127.0.0.1:${httpPort}`, httpPort);
    killOnExit(child);
    await service.ready(readyTimeoutMs);
    return service;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The last lines the process wrote, for a failure message. */
  get recentOutput(): string {
    return this.output.join('').slice(-4000);
  }

  /** Sends the signal and resolves when the process is gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.running) this.child.kill(signal);
    await this.exited;
  }

  private async ready(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exitCode: number | null | undefined;
    void this.exited.then((code) => (exitCode = code));
    while (Date.now() < deadline) {
      if (exitCode !== undefined) throw new Error(`${this.name} exited with ${exitCode} before it was ready:\n${this.recentOutput}`);
      const ok = await fetch(`${this.url}/health/ready`).then(
        (res) => res.ok,
        () => false,
      );
      if (ok) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await this.kill();
    throw new Error(`${this.name} not ready within ${timeoutMs / 1000} s:\n${this.recentOutput}`);
  }
}

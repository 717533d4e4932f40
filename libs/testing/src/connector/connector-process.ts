import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { freePort } from '../free-port';

/** The repository root, from the sources (ts-jest) or from dist/. */
const REPO_ROOT = (() => {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
})();

const DIST_SOURCES = ['services/connector/src', 'libs/contracts/src', 'libs/platform/src', 'libs/goto-client/src', 'tools/register-aliases.ts'];

function sourcesUnder(path: string): string[] {
  const full = join(REPO_ROOT, path);
  if (statSync(full).isFile()) return [full];
  return readdirSync(full, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourcesUnder(join(path, entry.name))
      : entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')
        ? [join(full, entry.name)]
        : [],
  );
}

/** Sources of the connector whose compiled file in dist/ is missing or older. */
function staleConnectorSources(): string[] {
  return DIST_SOURCES.flatMap(sourcesUnder).filter((source) => {
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
 * Builds dist/ when the connector's compiled files are older than its sources. A build that reports
 * type errors elsewhere in the repository still counts if it brought the connector up to date.
 */
export function ensureConnectorBuilt(): void {
  if (staleConnectorSources().length === 0) return;
  let output = build();
  if (staleConnectorSources().length > 0) {
    // The build is incremental (tsconfig.build.json): a source whose content did not change, only its
    // time (a checkout, a rebase), is not written again. Without the build info, everything is.
    rmSync(join(REPO_ROOT, 'dist/.tsbuildinfo'), { force: true });
    output = build();
  }
  const stale = staleConnectorSources();
  if (stale.length > 0) throw new Error(`npm run build left ${stale.length} connector file(s) stale, e.g. ${stale[0]}:\n${output}`);
}

/** The connector as its own process (`node -r dist/tools/register-aliases.js dist/services/connector/src/main.js`). */
export class ConnectorProcess {
  private readonly output: string[] = [];
  private readonly exited: Promise<number | null>;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    const keep = (chunk: Buffer) => {
      this.output.push(chunk.toString());
      if (this.output.length > 200) this.output.shift();
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  static async start(env: Record<string, string>): Promise<ConnectorProcess> {
    const port = await freePort();
    const child = spawn(
      process.execPath,
      ['-r', join(REPO_ROOT, 'dist/tools/register-aliases.js'), join(REPO_ROOT, 'dist/services/connector/src/main.js')],
      { cwd: REPO_ROOT, env: { PATH: process.env.PATH, ...env, HTTP_PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const connector = new ConnectorProcess(child, `http://127.0.0.1:${port}`);
    // Never leave a connector behind when this process ends first (a failed test, an interrupted run).
    const orphanGuard = () => child.kill('SIGKILL');
    process.once('exit', orphanGuard);
    void connector.exited.then(() => process.off('exit', orphanGuard));
    await connector.ready();
    return connector;
  }

  /** The last lines the process wrote, for a failure message. */
  get recentOutput(): string {
    return this.output.join('').slice(-4000);
  }

  /** Sends the signal and resolves when the process is gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    await this.exited;
  }

  private async ready(): Promise<void> {
    const deadline = Date.now() + 30_000;
    let exitCode: number | null | undefined;
    void this.exited.then((code) => (exitCode = code));
    while (Date.now() < deadline) {
      if (exitCode !== undefined) throw new Error(`connector exited with ${exitCode} before it was ready:\n${this.recentOutput}`);
      const ok = await fetch(`${this.url}/health/ready`).then(
        (res) => res.ok,
        () => false,
      );
      if (ok) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await this.kill();
    throw new Error(`connector not ready within 30 s:\n${this.recentOutput}`);
  }
}

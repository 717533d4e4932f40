import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import type { Client } from 'pg';
import { cpuMsOf } from './process-usage';

/** Local TCP ports of `pid`'s connections to `serverPort`, from its file descriptors and /proc/net/tcp{,6}. */
function localPortsOf(pid: number, serverPort: number): number[] {
  const inodes = new Set<string>();
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return [];
  }
  for (const fd of fds) {
    try {
      const socket = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
      if (socket) inodes.add(socket);
    } catch {
      // closed meanwhile
    }
  }
  const ports: number[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let lines: string[];
    try {
      lines = readFileSync(table, 'utf8').split('\n').slice(1);
    } catch {
      continue;
    }
    for (const line of lines) {
      const fields = line.trim().split(/\s+/);
      if (fields.length <= 9 || !inodes.has(fields[9]!) || parseInt(fields[2]!.split(':')[1]!, 16) !== serverPort) continue;
      ports.push(parseInt(fields[1]!.split(':')[1]!, 16));
    }
  }
  return ports;
}

/**
 * The CPU of the PostgreSQL backends that serve given client processes, and of those only: the
 * server is shared with whatever else runs on the machine. A backend is found through its client's
 * socket (the client process's local port is the backend's `client_port`), and its CPU read from
 * /proc like any process's. Sample often enough that a backend which ends meanwhile is counted up to
 * its last sample (connection pools keep theirs for the whole run).
 */
export class PostgresBackends {
  private readonly first = new Map<number, number>();
  private readonly last = new Map<number, number>();

  constructor(
    private readonly pg: Client,
    private readonly clients: () => (number | undefined)[],
    private readonly serverPort: number,
  ) {}

  /** Backends that exist now count from now; those that start later count from zero. */
  async begin(): Promise<void> {
    for (const pid of await this.backends()) {
      const cpu = cpuMsOf(pid);
      if (cpu !== undefined) this.first.set(pid, cpu);
    }
    await this.sample();
  }

  async sample(): Promise<void> {
    for (const pid of await this.backends()) {
      const cpu = cpuMsOf(pid);
      if (cpu === undefined) continue;
      if (!this.first.has(pid)) this.first.set(pid, 0);
      this.last.set(pid, cpu);
    }
  }

  cpuMs(): number {
    let total = 0;
    for (const [pid, cpu] of this.last) total += cpu - this.first.get(pid)!;
    return total;
  }

  private async backends(): Promise<number[]> {
    const ports = this.clients().flatMap((pid) => (pid === undefined ? [] : localPortsOf(pid, this.serverPort)));
    if (ports.length === 0) return [];
    const { rows } = await this.pg.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE client_addr IS NOT NULL AND client_port = ANY($1::int[])`,
      [ports],
    );
    return rows.map((row) => row.pid);
  }
}

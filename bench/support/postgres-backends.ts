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
  /** Which client each backend serves. */
  private readonly serves = new Map<number, string>();

  /** `clients`: the client processes by name (a bare list names them by position). */
  constructor(
    private readonly pg: Client,
    private readonly clients: () => Record<string, number | undefined> | (number | undefined)[],
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
    return Object.values(this.cpuMsByClient()).reduce((a, b) => a + b, 0);
  }

  /** The backends' CPU per client they serve. */
  cpuMsByClient(): Record<string, number> {
    const byClient: Record<string, number> = {};
    for (const [pid, cpu] of this.last) {
      const client = this.serves.get(pid)!;
      byClient[client] = (byClient[client] ?? 0) + cpu - this.first.get(pid)!;
    }
    return byClient;
  }

  private async backends(): Promise<number[]> {
    const clientPorts = new Map<number, string>();
    for (const [name, pid] of Object.entries(this.clients())) {
      if (pid !== undefined) for (const port of localPortsOf(pid, this.serverPort)) clientPorts.set(port, name);
    }
    if (clientPorts.size === 0) return [];
    const { rows } = await this.pg.query<{ pid: number; port: number }>(
      `SELECT pid, client_port AS port FROM pg_stat_activity WHERE client_addr IS NOT NULL AND client_port = ANY($1::int[])`,
      [[...clientPorts.keys()]],
    );
    for (const row of rows) this.serves.set(row.pid, clientPorts.get(row.port)!);
    return rows.map((row) => row.pid);
  }
}

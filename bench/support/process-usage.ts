import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat's CPU times (USER_HZ). */
const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * CPU milliseconds (user + system) process `pid` has used so far, or undefined once it is gone.
 * Only the process itself: its exited children are not in these fields.
 */
export function cpuMsOf(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name may hold spaces and parentheses; the fields after its closing one do not.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/** Peak resident set size of a live process so far (VmHWM), in MiB; undefined once it is gone. */
export function peakRssMiBOf(pid: number): number | undefined {
  try {
    const kib = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kib === undefined ? undefined : Number(kib) / 1024;
  } catch {
    return undefined;
  }
}

/** Resident set size of a live process now (VmRSS), in MiB; undefined once it is gone. */
export function rssMiBOf(pid: number): number | undefined {
  try {
    const kib = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kib === undefined ? undefined : Number(kib) / 1024;
  } catch {
    return undefined;
  }
}

/** This process's CPU milliseconds so far (the bench and whatever emulator runs inside it). */
export function ownCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * CPU used by named processes between `begin` and the last `sample`, and their peak RSS. Samples
 * are kept per process, so one that exits meanwhile still counts up to its last sample.
 */
export class ProcessMeter {
  private readonly first = new Map<string, number>();
  private readonly last = new Map<string, number>();
  private readonly peak = new Map<string, number>();

  constructor(private readonly pids: () => Record<string, number | undefined>) {}

  begin(): void {
    for (const [name, pid] of Object.entries(this.pids())) {
      const cpu = pid === undefined ? undefined : cpuMsOf(pid);
      if (cpu !== undefined) this.first.set(name, cpu);
    }
    this.sample();
  }

  sample(): void {
    for (const [name, pid] of Object.entries(this.pids())) {
      if (pid === undefined) continue;
      const cpu = cpuMsOf(pid);
      if (cpu === undefined) continue;
      // A process started after `begin` used nothing before it.
      if (!this.first.has(name)) this.first.set(name, 0);
      this.last.set(name, cpu);
      const rss = peakRssMiBOf(pid);
      if (rss !== undefined) this.peak.set(name, Math.max(rss, this.peak.get(name) ?? 0));
    }
  }

  cpuMs(): Record<string, number> {
    return Object.fromEntries([...this.last].map(([name, cpu]) => [name, cpu - this.first.get(name)!]));
  }

  peakRssMiB(): Record<string, number> {
    return Object.fromEntries(this.peak);
  }
}

import type { ChildProcess } from 'node:child_process';

const children = new Set<ChildProcess>();
let hooked = false;

/**
 * Never leaves `child` behind when this process ends first (a failed test, an interrupted run). One
 * exit hook serves every child: a chaos run starts dozens, and a hook each overran Node's listener limit.
 */
export function killOnExit(child: ChildProcess): void {
  if (!hooked) {
    process.once('exit', () => {
      for (const c of children) c.kill('SIGKILL');
    });
    hooked = true;
  }
  children.add(child);
  child.once('exit', () => children.delete(child));
}

/** The parts of a V8 `.cpuprofile` (what `node --cpu-prof` writes) that a summary needs. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  /** The service whose main script the profile ran, if any. */
  service: string | undefined;
  totalMs: number;
  /** Sampled time the thread was not idle. */
  busyMs: number;
  /** Self time per package, most first. */
  byPackage: [string, number][];
  /** Self time per function, most first. */
  bySelf: [string, number][];
  /** Total time (self and callees, each sample counted once per function) of Roster's own functions, most first. */
  rosterTotal: [string, number][];
}

const IDLE = '(idle)';

/** Which package a script belongs to: a node_modules package, node's internals, or a Roster lib or service. */
export function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const [first, second] = url.slice(modules + 'node_modules/'.length).split('/');
    return first?.startsWith('@') ? `${first}/${second}` : (first ?? url);
  }
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0] === 'internal' ? url.slice(5).split('/')[1] : url.slice(5)}`;
  const roster = /\/(libs|services|emulators|tools)\/([^/]+)\//.exec(url);
  return roster ? `roster ${roster[1]}/${roster[2]}` : url;
}

const isRoster = (url: string) => packageOf(url, '').startsWith('roster ');
const frameName = ({ functionName, url, lineNumber }: CpuProfile['nodes'][number]['callFrame']) =>
  `${functionName || '(anonymous)'} ${url.replace(/^.*\/(node_modules|dist)\//, '')}:${lineNumber + 1}`;

const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
const add = (m: Map<string, number>, key: string, ms: number) => m.set(key, (m.get(key) ?? 0) + ms);

export function summarizeProfile(profile: CpuProfile): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfMs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));

  let totalMs = 0;
  let busyMs = 0;
  const byPackage = new Map<string, number>();
  const bySelf = new Map<string, number>();
  const rosterTotal = new Map<string, number>();
  for (const [id, ms] of selfMs) {
    const node = byId.get(id)!;
    totalMs += ms;
    if (node.callFrame.functionName === IDLE) continue;
    busyMs += ms;
    add(byPackage, packageOf(node.callFrame.url, node.callFrame.functionName), ms);
    add(bySelf, frameName(node.callFrame), ms);
    // A recursive function is on the stack more than once, yet spent the time once.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)!.callFrame;
      if (!isRoster(frame.url)) continue;
      const name = frameName(frame);
      if (!seen.has(name)) add(rosterTotal, name, ms);
      seen.add(name);
    }
  }
  const service = profile.nodes.map((n) => /\/services\/([^/]+)\/src\/main\.js$/.exec(n.callFrame.url)?.[1]).find(Boolean);
  return { service, totalMs, busyMs, byPackage: sorted(byPackage), bySelf: sorted(bySelf), rosterTotal: sorted(rosterTotal) };
}

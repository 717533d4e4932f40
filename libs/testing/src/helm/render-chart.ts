import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { GoTemplates } from './go-template';
import { SPRIG } from './sprig';

/** One object the chart renders, with the template file it came from. */
export interface RenderedManifest {
  source: string;
  object: Record<string, unknown> & { apiVersion: string; kind: string; metadata: { name: string; [k: string]: unknown } };
}

export interface ReleaseOptions {
  name?: string;
  namespace?: string;
  /** Merged over the chart's values.yaml as `helm --values` would (maps merged, lists replaced, null removes). */
  values?: Record<string, unknown>;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function mergeValues(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === null) delete merged[key];
    else merged[key] = isMap(value) && isMap(merged[key]) ? mergeValues(merged[key] as Record<string, unknown>, value) : value;
  }
  return merged;
}

function toManifests(source: string, text: string): RenderedManifest[] {
  return parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`${source}: ${doc.errors[0].message}\n${text}`);
      return doc.toJS() as RenderedManifest['object'] | null;
    })
    .filter((object): object is RenderedManifest['object'] => object !== null)
    .map((object) => ({ source, object }));
}

/**
 * Renders the chart as `helm template` does, with the template subset GoTemplates understands:
 * `.Values`, `.Release`, `.Chart`, `.Files.Get`, named templates and the Sprig functions of SPRIG.
 */
export function renderChart(chartDir: string, release: ReleaseOptions = {}): RenderedManifest[] {
  const chart = parse(readFileSync(join(chartDir, 'Chart.yaml'), 'utf8')) as { name: string; version: string; appVersion?: string };
  const values = mergeValues(parse(readFileSync(join(chartDir, 'values.yaml'), 'utf8')) as Record<string, unknown>, release.values ?? {});
  const data = {
    Values: values,
    Release: { Name: release.name ?? 'roster', Namespace: release.namespace ?? 'default', Service: 'Helm', IsInstall: true, IsUpgrade: false },
    Chart: { Name: chart.name, Version: chart.version, AppVersion: chart.appVersion ?? '' },
    Files: { Get: (path: unknown) => readFileSync(join(chartDir, String(path)), 'utf8') },
  };
  const templates = new GoTemplates(SPRIG);
  const dir = join(chartDir, 'templates');
  const files = readdirSync(dir).filter((f) => /\.(ya?ml|tpl)$/.test(f)).sort();
  for (const file of files) templates.add(file, readFileSync(join(dir, file), 'utf8'));
  return files.filter((f) => !f.startsWith('_')).flatMap((file) => toManifests(file, templates.render(file, data)));
}

/** Whether a command answers `--version` on this machine. */
export function installed(command: string): boolean {
  try {
    execFileSync(command, ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** `helm template` of the chart with the same values, for machines where Helm is installed. */
export function helmTemplate(chartDir: string, release: ReleaseOptions = {}): { text: string; manifests: RenderedManifest[] } {
  const dir = mkdtempSync(join(tmpdir(), 'roster-helm-'));
  try {
    const valuesFile = join(dir, 'values.yaml');
    writeFileSync(valuesFile, stringify(release.values ?? {}));
    const text = execFileSync('helm', ['template', release.name ?? 'roster', chartDir, '--namespace', release.namespace ?? 'default', '--values', valuesFile], {
      encoding: 'utf8',
    });
    return { text, manifests: toManifests('helm', text) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

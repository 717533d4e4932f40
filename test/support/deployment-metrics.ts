import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const DEPLOY = join(__dirname, '..', '..', 'deploy');
/** Prefixes of the metrics Roster's services export (their own, and prom-client's process and Node.js ones). */
const METRIC = /\b(?:roster|process|nodejs)_[a-z0-9_]+\b/g;

export interface PrometheusRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

interface DashboardPanel {
  title: string;
  type: string;
  targets?: { expr: string }[];
  panels?: DashboardPanel[];
}

export function alertRules(): PrometheusRule[] {
  const dir = join(DEPLOY, 'prometheus');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yml'))
    .flatMap((f) => (parse(readFileSync(join(dir, f), 'utf8')) as { groups: { rules: PrometheusRule[] }[] }).groups.flatMap((g) => g.rules));
}

export function dashboardPanels(): DashboardPanel[] {
  const dir = join(DEPLOY, 'grafana');
  const flat = (panels: DashboardPanel[]): DashboardPanel[] => panels.flatMap((p) => [p, ...flat(p.panels ?? [])]);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .flatMap((f) => flat((JSON.parse(readFileSync(join(dir, f), 'utf8')) as { panels: DashboardPanel[] }).panels));
}

/** Every PromQL expression of the alert rules and the Grafana dashboards in deploy/. */
export function deploymentExpressions(): string[] {
  return [...alertRules().map((r) => r.expr), ...dashboardPanels().flatMap((p) => (p.targets ?? []).map((t) => t.expr))];
}

/** The metric names those expressions read (a histogram's `_bucket` series named as such). */
export function metricsUsedByDeployment(): Set<string> {
  return new Set(deploymentExpressions().flatMap((e) => e.match(METRIC) ?? []));
}

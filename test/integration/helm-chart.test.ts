import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { QueueName, jobCommandQueueName } from '@roster/contracts';
import { bullmqKey, loadConfig } from '@roster/platform';
import {
  helmTemplate,
  installed,
  kubernetesObjectProblems,
  renderChart,
  type KubernetesContainer,
  type KubernetesObjects,
  type ReleaseOptions,
  type RenderedManifest,
} from '@roster/testing';
import { adminApiConfigSchema } from '../../services/admin-api/src/config/admin-api.config';
import { auditConfigSchema } from '../../services/audit/src/config/audit.config';
import { connectorConfigSchema } from '../../services/connector/src/config/connector.config';
import { mapperConfigSchema } from '../../services/mapper/src/config/mapper.config';
import { watcherConfigSchema } from '../../services/directory-watcher/src/config/watcher.config';

const CHART = join(__dirname, '..', '..', 'deploy', 'helm', 'roster');
const SCHEMAS = {
  'directory-watcher': watcherConfigSchema,
  mapper: mapperConfigSchema,
  connector: connectorConfigSchema,
  audit: auditConfigSchema,
  'admin-api': adminApiConfigSchema,
};
type ServiceName = keyof typeof SCHEMAS;
const SERVICES = Object.keys(SCHEMAS) as ServiceName[];
/** The queue whose wait list each autoscaled service works off (the connector: its job's own queue). */
const CONSUMES = { mapper: QueueName.AssignmentChanges, connector: jobCommandQueueName('gotomeeting') };

/** What a first install needs beyond the defaults: the GoTo client id (its secret is in a Secret). */
const MINIMAL = { goto: { clientId: 'roster-client' } };
const EVERYTHING: Record<string, unknown> = {
  ...MINIMAL,
  tracing: { otlpEndpoint: 'http://otel-collector.observability:4318' },
  directory: { source: 'entra', entra: { tenantId: 't', clientId: 'c', servicePrincipalId: 'sp', webhookUrl: 'https://roster.example.com/graph/notifications' } },
  services: { mapper: { autoscaling: { enabled: true } }, connector: { autoscaling: { enabled: true } } },
  autoscaling: { keda: { enabled: true } },
  redis: { address: 'redis-master.redis:6379', passwordKey: 'password' },
  metrics: { serviceMonitor: { enabled: true }, prometheusRule: { enabled: true }, grafanaDashboard: { enabled: true } },
  oidc: { issuer: 'https://login.microsoftonline.com/contoso/v2.0', audience: 'api://roster,0b4c' },
  notification: { emails: 'ops@example.com,it@example.com', smtp: { host: 'mail.example.com', port: 465, tls: 'implicit', user: 'roster', from: 'roster@example.com', existingSecret: 'roster-smtp' } },
};

const SENTINEL = { mode: 'sentinel', sentinel: { addresses: 's-0:26379,s-1:26379', master: 'roster', passwordKey: 'sentinel-password' } };

const render = (values: Record<string, unknown> = MINIMAL, release: Omit<ReleaseOptions, 'values'> = {}) => renderChart(CHART, { ...release, values });
/** The objects of one kind; their shape was checked against the kind's schema (first test). */
const ofKind = <K extends keyof KubernetesObjects>(manifests: RenderedManifest[], kind: K) =>
  manifests.filter((m) => m.object.kind === kind).map((m) => m.object as unknown as KubernetesObjects[K]);
const deploymentOf = (manifests: RenderedManifest[], service: string) =>
  ofKind(manifests, 'Deployment').find((d) => d.metadata.labels?.['app.kubernetes.io/component'] === service)!;
const containerOf = (deployment: KubernetesObjects['Deployment']): KubernetesContainer => deployment.spec.template.spec.containers[0];

/** Stand-ins for what the Secrets hold, shaped as each variable must be. */
const SECRET_VALUES: Record<string, string> = {
  DATABASE_URL: 'postgres://roster:pw@postgres:5432/roster',
  REDIS_URL: 'redis://:pw@redis:6379/0',
  ROSTER_SECRET_KEY: randomBytes(32).toString('base64'),
  ROSTER_INTERNAL_TOKEN: randomBytes(32).toString('base64url'),
};
function envOf(container: KubernetesContainer): Record<string, string> {
  return Object.fromEntries(
    (container.env ?? []).map((e) => ['value' in e ? [e.name, e.value] : [e.name, SECRET_VALUES[e.name] ?? 'from-a-secret']][0]),
  );
}

describe('Helm chart deploy/helm/roster', () => {
  const variants: [string, Record<string, unknown>][] = [
    ['defaults: the job\'s GoTo connection from its record', {}],
    ['the GoTo connection from values', MINIMAL],
    ['everything on (Entra, KEDA, tracing, monitoring)', EVERYTHING],
    ['Redis Sentinel, HPA on CPU', { ...MINIMAL, redis: SENTINEL, services: EVERYTHING.services }],
    ['Redis Sentinel, KEDA', { ...EVERYTHING, redis: { ...SENTINEL, passwordKey: 'password' } }],
  ];

  it.each(variants)('renders only objects valid against their Kubernetes schemas (%s)', (_, values) => {
    const manifests = render(values);
    const problems = manifests.flatMap((m) => kubernetesObjectProblems(m.object).map((p) => `${m.source} ${m.object.kind}/${m.object.metadata.name}: ${p}`));
    expect(problems).toEqual([]);
    const names = manifests.map((m) => `${m.object.kind}/${m.object.metadata.name}`);
    expect(new Set(names).size).toBe(names.length);
  });

  it('gives every service a Deployment with probes on its health endpoints, resources, a Service and a PodDisruptionBudget', () => {
    const manifests = render();
    for (const service of SERVICES) {
      const deployment = deploymentOf(manifests, service);
      expect(deployment).toBeDefined();
      const container = containerOf(deployment);
      const port = container.ports![0].containerPort;
      expect(envOf(container)).toMatchObject({ SERVICE: service, HTTP_PORT: String(port) });
      expect(container.livenessProbe?.httpGet).toEqual({ path: '/health/live', port: 'http' });
      expect(container.readinessProbe?.httpGet).toEqual({ path: '/health/ready', port: 'http' });
      expect(container.resources?.requests).toEqual({ cpu: expect.anything(), memory: expect.anything() });
      expect(container.resources?.limits?.memory).toBeDefined();

      const selector = deployment.spec.selector.matchLabels;
      expect(deployment.spec.template.metadata.labels).toMatchObject(selector);
      const pdb = ofKind(manifests, 'PodDisruptionBudget').find((p) => JSON.stringify(p.spec.selector.matchLabels) === JSON.stringify(selector));
      expect(pdb?.spec).toMatchObject({ maxUnavailable: 1 });
      const svc = ofKind(manifests, 'Service').find((s) => JSON.stringify(s.spec.selector) === JSON.stringify(selector));
      expect(svc?.spec.ports).toEqual([{ name: 'http', port, targetPort: 'http' }]);
    }
  });

  it('lets a stopping pod finish its jobs: terminationGracePeriodSeconds is longer than SHUTDOWN_GRACE_MS', () => {
    for (const shutdownGraceMs of [30_000, 120_000]) {
      for (const deployment of ofKind(render({ ...MINIMAL, shutdownGraceMs }), 'Deployment')) {
        const grace = Number(envOf(containerOf(deployment)).SHUTDOWN_GRACE_MS);
        expect(grace).toBe(shutdownGraceMs);
        expect(deployment.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(grace / 1000);
      }
    }
    expect(() => render({ ...MINIMAL, terminationGraceExtraSeconds: 0 })).toThrow(/terminationGraceExtraSeconds must be above 0/);
  });

  it('runs every pod as a non-root user without privilege escalation, on a read-only root file system', () => {
    const manifests = render();
    for (const pod of [...ofKind(manifests, 'Deployment'), ...ofKind(manifests, 'Job')].map((o) => o.spec.template.spec)) {
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: expect.any(Number) });
      expect(pod.securityContext?.runAsUser).toBeGreaterThan(0);
      expect(pod.automountServiceAccountToken).toBe(false);
      for (const c of [...(pod.initContainers ?? []), ...pod.containers] as KubernetesContainer[]) {
        expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      }
    }
  });

  it.each(variants)('inlines no secret: every credential comes from a Kubernetes Secret (%s)', (_, values) => {
    const manifests = render(values);
    expect(ofKind(manifests, 'Secret')).toEqual([]);
    // The installation's own: each service and migration step reads them from the Secrets the README has made.
    const fromSecrets = {
      DATABASE_URL: { name: 'roster-database', key: 'url' },
      REDIS_URL: { name: 'roster-redis', key: 'url' },
      ROSTER_SECRET_KEY: { name: 'roster-secrets', key: 'secret-key' },
      ROSTER_INTERNAL_TOKEN: { name: 'roster-secrets', key: 'internal-token' },
    };
    const secretLike = /(SECRET|PASSWORD|TOKEN|CLIENT_STATE|_KEY$|^DATABASE_URL$|^REDIS_URL$|HEADERS)/;
    const containers = [...ofKind(manifests, 'Deployment'), ...ofKind(manifests, 'Job')].flatMap((o) => [
      ...(o.spec.template.spec.initContainers ?? []),
      ...o.spec.template.spec.containers,
    ]) as KubernetesContainer[];
    for (const c of containers) {
      const refs = Object.fromEntries((c.env ?? []).filter((e) => e.name in fromSecrets).map((e) => [e.name, 'valueFrom' in e && 'secretKeyRef' in e.valueFrom ? e.valueFrom.secretKeyRef : e]));
      expect({ [c.name]: refs }).toEqual({ [c.name]: fromSecrets });
      for (const e of (c.env ?? []).filter((v) => secretLike.test(v.name) && !['ENTRA_CLIENT_ID', 'GOTO_CLIENT_ID'].includes(v.name))) {
        expect({ [e.name]: 'valueFrom' in e && 'secretKeyRef' in e.valueFrom }).toEqual({ [e.name]: true });
      }
    }
  });

  it('configures each service with an environment its config schema accepts', () => {
    for (const [, values] of variants) {
      const manifests = render(values);
      for (const service of SERVICES) {
        const env = envOf(containerOf(deploymentOf(manifests, service)));
        expect(() => loadConfig(service, SCHEMAS[service], env)).not.toThrow();
      }
    }
  });

  it('gives the admin API its identity provider and the notification e-mail\'s mail server, the SMTP password from a Secret', () => {
    const container = containerOf(deploymentOf(render(EVERYTHING), 'admin-api'));
    const config = loadConfig('admin-api', adminApiConfigSchema, { ...envOf(container), SMTP_PASSWORD: 'from-the-secret' });
    expect(config).toMatchObject({
      OIDC_ISSUER: 'https://login.microsoftonline.com/contoso/v2.0',
      OIDC_AUDIENCE: ['api://roster', '0b4c'],
      OIDC_ROLES_CLAIM: 'roles',
      OIDC_ADMIN_ROLES: ['Roster.Admin'],
      OIDC_READER_ROLES: ['Roster.Reader'],
      NOTIFICATION_EMAILS: ['ops@example.com', 'it@example.com'],
      SMTP_HOST: 'mail.example.com',
      SMTP_PORT: 465,
      SMTP_TLS: 'implicit',
      SMTP_USER: 'roster',
      SMTP_FROM: 'roster@example.com',
    });
    expect(container.env!.find((e) => e.name === 'SMTP_PASSWORD')).toEqual({ name: 'SMTP_PASSWORD', valueFrom: { secretKeyRef: { name: 'roster-smtp', key: 'password' } } });
    // Only the admin API signs people in and mails.
    for (const service of SERVICES.filter((s) => s !== 'admin-api')) {
      expect(Object.keys(envOf(containerOf(deploymentOf(render(EVERYTHING), service)))).filter((name) => /^(OIDC|SMTP|NOTIFICATION)_/.test(name))).toEqual([]);
    }
    // Off by default; a half-configured identity provider or mail server does not render.
    expect(Object.keys(envOf(containerOf(deploymentOf(render(), 'admin-api')))).filter((name) => /^(OIDC|SMTP|NOTIFICATION)_/.test(name))).toEqual([]);
    expect(() => render({ ...MINIMAL, oidc: { issuer: 'https://login.example.com' } })).toThrow(/oidc.audience is required/);
    expect(() => render({ ...MINIMAL, notification: { smtp: { host: 'mail.example.com' } } })).toThrow(/notification.smtp.from is required/);
  });

  it('runs the migrations once per release, in a pre-install/pre-upgrade Job, before pods that only check them', () => {
    const manifests = render();
    const [job, ...others] = ofKind(manifests, 'Job');
    expect(others).toEqual([]);
    expect(job.metadata.annotations).toMatchObject({ 'helm.sh/hook': 'pre-install,pre-upgrade' });
    const steps = [...(job.spec.template.spec.initContainers ?? []), ...job.spec.template.spec.containers];
    expect(steps.map((c) => c.name).sort()).toEqual([...SERVICES].sort());
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    for (const step of steps) {
      const { DATABASE_MIGRATIONS, ...rest } = envOf(step);
      expect(DATABASE_MIGRATIONS).toBe('only');
      const { DATABASE_MIGRATIONS: inDeployment, ...deploymentRest } = envOf(containerOf(deploymentOf(manifests, step.name)));
      expect(inDeployment).toBe('skip');
      expect(rest).toEqual(deploymentRest);
    }
    const withoutJob = render({ ...MINIMAL, migrations: { enabled: false } });
    expect(ofKind(withoutJob, 'Job')).toEqual([]);
    expect(envOf(containerOf(deploymentOf(withoutJob, 'mapper'))).DATABASE_MIGRATIONS).toBe('on-start');
  });

  it('scales mapper and connector with KEDA on the length of their BullMQ wait list, CPU as second trigger', () => {
    for (const prefix of ['roster', '{roster}']) {
      const manifests = render({ ...EVERYTHING, redis: { ...(EVERYTHING.redis as object), queuePrefix: prefix } });
      const scaled = ofKind(manifests, 'ScaledObject');
      expect(scaled.map((s) => s.spec.scaleTargetRef.name).sort()).toEqual(['roster-connector', 'roster-mapper']);
      for (const [service, queue] of Object.entries(CONSUMES)) {
        const object = scaled.find((s) => s.spec.scaleTargetRef.name === `roster-${service}`)!;
        const [redis, cpu] = object.spec.triggers;
        expect(redis).toMatchObject({ type: 'redis', metadata: { address: 'redis-master.redis:6379', listName: bullmqKey(prefix, queue, 'wait') }, authenticationRef: { name: `roster-${service}` } });
        expect(cpu).toMatchObject({ type: 'cpu', metricType: 'Utilization' });
        expect(object.spec.fallback?.replicas).toBeGreaterThanOrEqual(object.spec.minReplicaCount);
        // KEDA's HPA owns the replica count.
        expect(deploymentOf(manifests, service).spec.replicas).toBeUndefined();
        expect(envOf(containerOf(deploymentOf(manifests, service))).QUEUE_PREFIX).toBe(prefix);
      }
      const auth = ofKind(manifests, 'TriggerAuthentication')[0];
      expect(auth.spec.secretTargetRef).toEqual([{ parameter: 'password', name: 'roster-redis', key: 'password' }]);
      expect(ofKind(manifests, 'HorizontalPodAutoscaler')).toEqual([]);
    }
    expect(() => render({ ...EVERYTHING, redis: {} })).toThrow(/redis.address \(host:port\) is required/);
  });

  it('falls back to an HPA on CPU without KEDA, and reads the wait list through Sentinel with it', () => {
    const hpa = render({ ...MINIMAL, services: EVERYTHING.services, redis: SENTINEL });
    expect(ofKind(hpa, 'HorizontalPodAutoscaler').map((h) => [h.spec.scaleTargetRef.name, h.spec.metrics[0].resource.name])).toEqual([
      ['roster-connector', 'cpu'],
      ['roster-mapper', 'cpu'],
    ]);
    expect(envOf(containerOf(deploymentOf(hpa, 'connector')))).toMatchObject({ REDIS_SENTINELS: 's-0:26379,s-1:26379', REDIS_SENTINEL_MASTER: 'roster' });
    const keda = render({ ...EVERYTHING, redis: SENTINEL });
    expect(ofKind(keda, 'ScaledObject')[0].spec.triggers[0]).toMatchObject({ type: 'redis-sentinel', metadata: { addresses: 's-0:26379,s-1:26379', sentinelMaster: 'roster' } });
    expect(() => render({ ...MINIMAL, redis: { mode: 'cluster' } })).toThrow(/redis.mode cluster is not supported: standalone, or sentinel for high availability/);
  });

  it('ships the alert rules and the dashboard of deploy/ as a PrometheusRule and a ConfigMap, and scrapes the pipeline services', () => {
    const manifests = render(EVERYTHING);
    const [rule] = ofKind(manifests, 'PrometheusRule');
    expect(rule.spec).toEqual(parse(readFileSync(join(CHART, '..', '..', 'prometheus', 'roster-alerts.yml'), 'utf8')));
    const [dashboard] = ofKind(manifests, 'ConfigMap');
    expect(JSON.parse(dashboard.data['roster-dashboard.json'])).toEqual(JSON.parse(readFileSync(join(CHART, '..', '..', 'grafana', 'roster-dashboard.json'), 'utf8')));
    expect(dashboard.metadata.labels).toMatchObject({ grafana_dashboard: '1' });
    const [monitor] = ofKind(manifests, 'ServiceMonitor');
    const scraped = ofKind(manifests, 'Service').filter((s) => Object.entries(monitor.spec.selector.matchLabels).every(([k, v]) => s.metadata.labels?.[k] === v));
    expect(scraped.map((s) => s.metadata.name).sort()).toEqual(['roster-audit', 'roster-connector', 'roster-directory-watcher', 'roster-mapper']);
  });

  // Where Helm (and kubeconform) are installed, the chart is also rendered and checked by them, and
  // the test renderer above must agree with Helm object for object.
  const withHelm = installed('helm') ? it : it.skip;
  withHelm.each(variants)('renders the same objects with helm template, which helm lint and kubeconform accept (%s)', (_, values) => {
    const helm = helmTemplate(CHART, { values });
    const key = (m: RenderedManifest) => `${m.object.kind}/${m.object.metadata.name}`;
    const byKey = (ms: RenderedManifest[]) => Object.fromEntries(ms.map((m) => [key(m), m.object]));
    expect(byKey(helm.manifests)).toEqual(byKey(render(values)));
    execFileSync('helm', ['lint', CHART, '--set', 'goto.clientId=x'], { stdio: 'pipe' });
    if (installed('kubeconform')) {
      execFileSync('kubeconform', ['-strict', '-summary', '-skip', 'ScaledObject,TriggerAuthentication,ServiceMonitor,PrometheusRule', '-'], { input: helm.text, stdio: 'pipe' });
    }
  });
});

import { z } from 'zod';

/**
 * The Kubernetes (and KEDA, Prometheus Operator) objects Roster's chart renders, as their published
 * schemas define the fields the chart uses. Objects are strict: a misspelt or misplaced field
 * (`livenesProbe`, `resources` on the pod) fails as kubeconform would fail it, and a value of the
 * wrong type (a port as a string, an env value as a number) too. Fields the chart never sets are not
 * listed, so using one means adding it here from the API reference first.
 */

const name = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, 'a DNS-1123 name').max(253);
const label = z.string().max(63).regex(/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/, 'a label value');
const labels = z.record(z.string().max(317), label);
const quantity = z.union([z.string().regex(/^\d+(\.\d+)?(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/, 'a quantity'), z.number()]);
const intOrString = z.union([z.number().int(), z.string().regex(/^(\d+%?|[a-z][-a-z0-9]*)$/)]);

const metadata = z.strictObject({
  name,
  namespace: name.optional(),
  labels: labels.optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});

const selector = z.strictObject({ matchLabels: labels });

const secretKeyRef = z.strictObject({ name, key: z.string().min(1), optional: z.boolean().optional() });
const envVar = z.union([
  z.strictObject({ name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), value: z.string() }),
  z.strictObject({
    name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
    valueFrom: z.union([
      z.strictObject({ secretKeyRef }),
      z.strictObject({ fieldRef: z.strictObject({ fieldPath: z.string() }) }),
      z.strictObject({ configMapKeyRef: secretKeyRef }),
    ]),
  }),
]);

const httpProbe = z.strictObject({
  httpGet: z.strictObject({ path: z.string().startsWith('/'), port: intOrString }),
  initialDelaySeconds: z.number().int().min(0).optional(),
  periodSeconds: z.number().int().min(1).optional(),
  timeoutSeconds: z.number().int().min(1).optional(),
  failureThreshold: z.number().int().min(1).optional(),
  successThreshold: z.number().int().min(1).optional(),
});

const resources = z.strictObject({
  requests: z.strictObject({ cpu: quantity, memory: quantity }).partial().optional(),
  limits: z.strictObject({ cpu: quantity, memory: quantity }).partial().optional(),
});

const containerSecurityContext = z.strictObject({
  runAsNonRoot: z.boolean().optional(),
  runAsUser: z.number().int().optional(),
  runAsGroup: z.number().int().optional(),
  allowPrivilegeEscalation: z.boolean().optional(),
  readOnlyRootFilesystem: z.boolean().optional(),
  capabilities: z.strictObject({ drop: z.array(z.string()).optional(), add: z.array(z.string()).optional() }).optional(),
  seccompProfile: z.strictObject({ type: z.enum(['RuntimeDefault', 'Localhost', 'Unconfined']) }).optional(),
});

export const containerSchema = z.strictObject({
  name,
  image: z.string().min(1),
  imagePullPolicy: z.enum(['Always', 'IfNotPresent', 'Never']).optional(),
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
  env: z.array(envVar).optional(),
  ports: z.array(z.strictObject({ name: z.string().max(15).optional(), containerPort: z.number().int().min(1).max(65535), protocol: z.enum(['TCP', 'UDP']).optional() })).optional(),
  livenessProbe: httpProbe.optional(),
  readinessProbe: httpProbe.optional(),
  startupProbe: httpProbe.optional(),
  resources: resources.optional(),
  securityContext: containerSecurityContext.optional(),
  volumeMounts: z.array(z.strictObject({ name, mountPath: z.string().startsWith('/'), readOnly: z.boolean().optional() })).optional(),
});

const podSpec = z.strictObject({
  serviceAccountName: name.optional(),
  automountServiceAccountToken: z.boolean().optional(),
  terminationGracePeriodSeconds: z.number().int().min(0).optional(),
  restartPolicy: z.enum(['Always', 'OnFailure', 'Never']).optional(),
  securityContext: z
    .strictObject({
      runAsNonRoot: z.boolean().optional(),
      runAsUser: z.number().int().optional(),
      runAsGroup: z.number().int().optional(),
      fsGroup: z.number().int().optional(),
      seccompProfile: z.strictObject({ type: z.enum(['RuntimeDefault', 'Localhost', 'Unconfined']) }).optional(),
    })
    .optional(),
  imagePullSecrets: z.array(z.strictObject({ name })).optional(),
  initContainers: z.array(containerSchema).optional(),
  containers: z.array(containerSchema).min(1),
  volumes: z.array(z.strictObject({ name, emptyDir: z.strictObject({ medium: z.string().optional(), sizeLimit: quantity.optional() }) })).optional(),
  nodeSelector: z.record(z.string(), z.string()).optional(),
  tolerations: z.array(z.record(z.string(), z.unknown())).optional(),
  affinity: z.record(z.string(), z.unknown()).optional(),
  topologySpreadConstraints: z
    .array(
      z.strictObject({
        maxSkew: z.number().int().min(1),
        topologyKey: z.string(),
        whenUnsatisfiable: z.enum(['DoNotSchedule', 'ScheduleAnyway']),
        labelSelector: selector,
      }),
    )
    .optional(),
});

const podTemplate = z.strictObject({
  metadata: z.strictObject({ labels, annotations: z.record(z.string(), z.string()).optional() }),
  spec: podSpec,
});

const deployment = z.strictObject({
  apiVersion: z.literal('apps/v1'),
  kind: z.literal('Deployment'),
  metadata,
  spec: z.strictObject({
    replicas: z.number().int().min(0).optional(),
    revisionHistoryLimit: z.number().int().min(0).optional(),
    selector,
    strategy: z
      .strictObject({ type: z.enum(['RollingUpdate', 'Recreate']), rollingUpdate: z.strictObject({ maxSurge: intOrString, maxUnavailable: intOrString }).partial().optional() })
      .optional(),
    template: podTemplate,
  }),
});

const service = z.strictObject({
  apiVersion: z.literal('v1'),
  kind: z.literal('Service'),
  metadata,
  spec: z.strictObject({
    type: z.enum(['ClusterIP', 'NodePort', 'LoadBalancer']).optional(),
    selector: labels,
    ports: z.array(z.strictObject({ name: z.string().max(15), port: z.number().int().min(1).max(65535), targetPort: intOrString, protocol: z.enum(['TCP', 'UDP']).optional() })).min(1),
  }),
});

const pdb = z.strictObject({
  apiVersion: z.literal('policy/v1'),
  kind: z.literal('PodDisruptionBudget'),
  metadata,
  spec: z.union([z.strictObject({ selector, minAvailable: intOrString }), z.strictObject({ selector, maxUnavailable: intOrString })]),
});

const job = z.strictObject({
  apiVersion: z.literal('batch/v1'),
  kind: z.literal('Job'),
  metadata,
  spec: z.strictObject({
    backoffLimit: z.number().int().min(0).optional(),
    activeDeadlineSeconds: z.number().int().min(1).optional(),
    ttlSecondsAfterFinished: z.number().int().min(0).optional(),
    template: podTemplate,
  }),
});

const metricTarget = z.strictObject({ type: z.enum(['Utilization', 'AverageValue', 'Value']), averageUtilization: z.number().int().min(1).optional() });
const hpa = z.strictObject({
  apiVersion: z.literal('autoscaling/v2'),
  kind: z.literal('HorizontalPodAutoscaler'),
  metadata,
  spec: z.strictObject({
    scaleTargetRef: z.strictObject({ apiVersion: z.literal('apps/v1'), kind: z.literal('Deployment'), name }),
    minReplicas: z.number().int().min(1),
    maxReplicas: z.number().int().min(1),
    metrics: z.array(z.strictObject({ type: z.literal('Resource'), resource: z.strictObject({ name: z.enum(['cpu', 'memory']), target: metricTarget }) })).min(1),
  }),
});

const kedaTrigger = z.strictObject({
  type: z.enum(['redis', 'redis-sentinel', 'cpu']),
  metricType: z.enum(['Utilization', 'AverageValue', 'Value']).optional(),
  metadata: z.record(z.string(), z.string()),
  authenticationRef: z.strictObject({ name }).optional(),
});

const scaledObject = z.strictObject({
  apiVersion: z.literal('keda.sh/v1alpha1'),
  kind: z.literal('ScaledObject'),
  metadata,
  spec: z.strictObject({
    scaleTargetRef: z.strictObject({ name }),
    minReplicaCount: z.number().int().min(0),
    maxReplicaCount: z.number().int().min(1),
    pollingInterval: z.number().int().min(1).optional(),
    cooldownPeriod: z.number().int().min(0).optional(),
    fallback: z.strictObject({ failureThreshold: z.number().int().min(1), replicas: z.number().int().min(1) }).optional(),
    triggers: z.array(kedaTrigger).min(1),
  }),
});

const triggerAuthentication = z.strictObject({
  apiVersion: z.literal('keda.sh/v1alpha1'),
  kind: z.literal('TriggerAuthentication'),
  metadata,
  spec: z.strictObject({ secretTargetRef: z.array(z.strictObject({ parameter: z.string(), name, key: z.string() })).min(1) }),
});

const serviceMonitor = z.strictObject({
  apiVersion: z.literal('monitoring.coreos.com/v1'),
  kind: z.literal('ServiceMonitor'),
  metadata,
  spec: z.strictObject({
    selector,
    endpoints: z.array(z.strictObject({ port: z.string(), path: z.string().startsWith('/'), interval: z.string().regex(/^\d+[smh]$/).optional() })).min(1),
  }),
});

const prometheusRule = z.strictObject({
  apiVersion: z.literal('monitoring.coreos.com/v1'),
  kind: z.literal('PrometheusRule'),
  metadata,
  spec: z.strictObject({
    groups: z.array(
      z.strictObject({
        name: z.string(),
        rules: z.array(
          z.strictObject({ alert: z.string(), expr: z.string(), for: z.string().optional(), labels: z.record(z.string(), z.string()).optional(), annotations: z.record(z.string(), z.string()).optional() }),
        ),
      }),
    ),
  }),
});

const configMap = z.strictObject({ apiVersion: z.literal('v1'), kind: z.literal('ConfigMap'), metadata, data: z.record(z.string(), z.string()) });

const SCHEMAS: Record<string, z.ZodType> = {
  Deployment: deployment,
  Service: service,
  PodDisruptionBudget: pdb,
  Job: job,
  HorizontalPodAutoscaler: hpa,
  ScaledObject: scaledObject,
  TriggerAuthentication: triggerAuthentication,
  ServiceMonitor: serviceMonitor,
  PrometheusRule: prometheusRule,
  ConfigMap: configMap,
};

/** The problems of one rendered object against its kind's schema (an unknown kind is one). */
export function kubernetesObjectProblems(object: { kind?: unknown }): string[] {
  const schema = SCHEMAS[String(object.kind)];
  if (!schema) return [`kind ${String(object.kind)} is not one the chart is known to render`];
  const result = schema.safeParse(object);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

export type KubernetesContainer = z.infer<typeof containerSchema>;
/** The rendered objects by kind, typed as their schemas check them. */
export interface KubernetesObjects {
  Deployment: z.infer<typeof deployment>;
  Service: z.infer<typeof service>;
  PodDisruptionBudget: z.infer<typeof pdb>;
  Job: z.infer<typeof job>;
  HorizontalPodAutoscaler: z.infer<typeof hpa>;
  ScaledObject: z.infer<typeof scaledObject>;
  TriggerAuthentication: z.infer<typeof triggerAuthentication>;
  ServiceMonitor: z.infer<typeof serviceMonitor>;
  PrometheusRule: z.infer<typeof prometheusRule>;
  ConfigMap: z.infer<typeof configMap>;
  Secret: { metadata: { name: string } };
}

import { kubernetesObjectProblems, type KubernetesObjects } from './kubernetes-objects';

/** The smallest Deployment the API server accepts with the fields the chart sets. */
function aDeployment(): KubernetesObjects['Deployment'] {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'roster-mapper', labels: { 'app.kubernetes.io/component': 'mapper' } },
    spec: {
      selector: { matchLabels: { app: 'mapper' } },
      template: {
        metadata: { labels: { app: 'mapper' } },
        spec: {
          containers: [
            {
              name: 'mapper',
              image: 'roster:1',
              ports: [{ name: 'http', containerPort: 3002 }],
              env: [{ name: 'SERVICE', value: 'mapper' }, { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'roster-database', key: 'url' } } }],
              livenessProbe: { httpGet: { path: '/health/live', port: 'http' } },
              resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '384Mi' } },
            },
          ],
        },
      },
    },
  };
}

/** The chart test's check fails each mistake kubeconform -strict fails, at the path of the mistake. */
describe('kubernetesObjectProblems (schemas of the kinds the chart renders)', () => {
  /** The problems of the Deployment with the field at `path` set to `value` (removed when undefined). */
  const problemsWith = (path: (string | number)[], value: unknown) => {
    const object = aDeployment() as unknown as Record<string | number, unknown>;
    const parent = path.slice(0, -1).reduce((o, key) => o[key] as Record<string | number, unknown>, object);
    if (value === undefined) delete parent[path.at(-1)!];
    else parent[path.at(-1)!] = value;
    return kubernetesObjectProblems(object);
  };
  const CONTAINER = ['spec', 'template', 'spec', 'containers', 0];
  const probe = { httpGet: { path: '/health/live', port: 'http' } };

  it('accepts a well-formed object', () => {
    expect(kubernetesObjectProblems(aDeployment())).toEqual([]);
  });

  it('refuses a misspelt or misplaced field', () => {
    expect(problemsWith([...CONTAINER, 'livenesProbe'], probe)).toEqual([expect.stringMatching(/^spec\.template\.spec\.containers\.0: .*livenesProbe/)]);
    expect(problemsWith(['spec', 'template', 'spec', 'resources'], {})).toEqual([expect.stringMatching(/^spec\.template\.spec: .*resources/)]);
  });

  it('refuses a value of the wrong type or form', () => {
    expect(problemsWith([...CONTAINER, 'ports', 0, 'containerPort'], '3002')).toEqual([expect.stringMatching(/^spec\.template\.spec\.containers\.0\.ports\.0\.containerPort: /)]);
    expect(problemsWith([...CONTAINER, 'env', 0, 'value'], 3)).not.toEqual([]);
    expect(problemsWith([...CONTAINER, 'resources', 'limits', 'memory'], '384 MB')).toEqual([expect.stringMatching(/limits\.memory: .*quantity/)]);
    expect(problemsWith(['metadata', 'name'], 'Roster_Mapper')).toEqual([expect.stringMatching(/^metadata\.name: .*DNS-1123/)]);
    expect(problemsWith(['apiVersion'], 'extensions/v1beta1')).toEqual([expect.stringMatching(/^apiVersion: /)]);
  });

  it('refuses an object without a required field', () => {
    expect(problemsWith(['spec', 'selector'], undefined)).toEqual([expect.stringMatching(/^spec\.selector: /)]);
    expect(problemsWith(['spec', 'template', 'spec', 'containers'], [])).toEqual([expect.stringMatching(/^spec\.template\.spec\.containers: /)]);
    expect(problemsWith([...CONTAINER, 'name'], undefined)).toEqual([expect.stringMatching(/^spec\.template\.spec\.containers\.0\.name: /)]);
  });

  it('refuses a kind it has no schema for, and a PodDisruptionBudget with both or neither bound', () => {
    expect(kubernetesObjectProblems({ kind: 'StatefulSet' })).toEqual(['kind StatefulSet is not one the chart is known to render']);
    const pdb = (spec: object) => ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'roster-mapper' }, spec: { selector: { matchLabels: { app: 'mapper' } }, ...spec } });
    expect(kubernetesObjectProblems(pdb({ maxUnavailable: 1 }))).toEqual([]);
    expect(kubernetesObjectProblems(pdb({ maxUnavailable: 1, minAvailable: 1 }))).not.toEqual([]);
    expect(kubernetesObjectProblems(pdb({}))).not.toEqual([]);
  });
});

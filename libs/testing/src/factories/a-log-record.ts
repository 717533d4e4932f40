import type { AuditRecord } from '@roster/contracts';
import { TEST_JOB_ID, userNameOf } from './a-command';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** The SCIM attributes of user `n` as the default mapping writes them. */
export function targetAttributesOf(n: number, department = 'R&D'): Record<string, string | boolean> {
  return {
    userName: userNameOf(n),
    externalId: `0f8c${String(n).padStart(8, '0')}-4d2e-4b7a-9c1e-5a6b7c8d9e0f`,
    active: true,
    'name.givenName': 'Ada',
    'name.familyName': `Lovelace${n}`,
    displayName: `Ada Lovelace${n}`,
    [`${ENTERPRISE}:department`]: department,
    [`${ENTERPRISE}:employeeNumber`]: `E${n}`,
  };
}

export interface ChangeSpec {
  /** The user. */
  n: number;
  /** A create, or an update of two attributes (family name and department). */
  kind: 'create' | 'update';
  /** When the watcher saw the change; the later steps follow within a second. */
  at: Date;
  cycle?: string;
  order?: number;
  jobId?: string;
}

/**
 * The records the pipeline writes for one directory change, as each service writes them: the
 * watcher's import, the mapper's decision (whole states before and after, its steps), and the
 * connector's attempted and executed write (the attributes it sends).
 */
export function logRecordsOfChange({ n, kind, at, cycle = '1', order = n, jobId = TEST_JOB_ID }: ChangeSpec): AuditRecord[] {
  const change = `${jobId}/${order}`;
  const time = (ms: number) => new Date(at.getTime() + ms).toISOString();
  const action = kind === 'create' ? 'Create' : 'Update';
  const command = `${change}/user.${kind}`;
  const before = kind === 'create' ? {} : targetAttributesOf(n);
  const after = kind === 'create' ? targetAttributesOf(n) : { ...targetAttributesOf(n, 'Computing'), 'name.familyName': `Byron${n}` };
  const sent = kind === 'create' ? after : { 'name.familyName': `Byron${n}`, [`${ENTERPRISE}:department`]: 'Computing' };
  const common = { version: 1 as const, provisioningJobId: jobId, correlationId: change, cycleId: cycle, source: { id: `dir-${n}`, displayName: userNameOf(n) } };
  const connector = (step: 'attempted' | 'executed', ms: number): AuditRecord => ({
    ...common,
    id: `connector/${step}/${action}/${command}/once`,
    occurredAt: time(ms),
    service: 'connector',
    messageId: command,
    action,
    step,
    status: step === 'attempted' ? 'pending' : 'success',
    reason: step === 'executed' ? (kind === 'create' ? 'created' : `updated ${Object.keys(sent).length} attributes`) : undefined,
    source: { id: `dir-${n}` },
    target: { id: step === 'executed' ? `goto-${n}` : undefined, userName: userNameOf(n) },
    attempt: 1,
    // From the attempt to GoTo's answer.
    durationMs: step === 'executed' ? ms - 80 : undefined,
    after: sent,
  });
  return [
    {
      ...common,
      id: `directory-watcher/computed/Import/${change}/1`,
      occurredAt: time(0),
      service: 'directory-watcher',
      messageId: change,
      action: 'Import',
      step: 'computed',
      status: 'success',
      reason: `directory change: ${kind === 'create' ? 'user.assigned' : 'user.attributes-changed'}`,
      source: { id: `dir-${n}` },
      details: { event: kind === 'create' ? 'user.assigned' : 'user.attributes-changed', order: String(order) },
    },
    {
      ...common,
      id: `mapper/computed/${action}/${change}/1`,
      occurredAt: time(40),
      service: 'mapper',
      messageId: change,
      action,
      step: 'computed',
      status: 'success',
      target: { userName: userNameOf(n) },
      before,
      after,
      details: {
        command: `user.${kind}`,
        commandId: command,
        configVersion: 1,
        ...(kind === 'update' ? { changed: Object.keys(sent) } : {}),
        steps: [
          { type: 'import', status: 'success', description: `received ${kind === 'create' ? 'user.assigned' : 'user.attributes-changed'}` },
          { type: 'scoping', status: 'success', description: 'in scope: no scoping filters' },
          { type: 'matching', status: 'success', description: `userName = "${userNameOf(n)}" (precedence 1)` },
          { type: 'processing', status: 'success', description: `user.${kind}` },
        ],
      },
    },
    connector('attempted', 80),
    connector('executed', 400),
  ];
}

import { aCommand } from '@roster/testing';
import type { AuditEmitter, AuditEntry } from '@roster/platform';
import { TargetError, type TargetConnector } from '../goto/target-connector';
import { LicenseAssigner } from './license-assigner';

const MEETING = '4730126558413921284';

function assigner(setLicenses: () => Promise<void>) {
  const warnings: AuditEntry[] = [];
  const calls: string[][] = [];
  const target = {
    setLicenses: async (_id: string, keys: string[]) => {
      calls.push(keys);
      await setLicenses();
    },
  } as unknown as TargetConnector;
  const audit = { record: async (entry: AuditEntry) => void warnings.push(entry) } as unknown as AuditEmitter;
  return { licenses: new LicenseAssigner(target, audit), warnings, calls };
}

const command = { ...aCommand({ n: 1, run: 'lic' }), version: 2 as const, licenseKeys: [MEETING] };
const about = { provisioningJobId: 'gotomeeting', correlationId: 'c', messageId: command.idempotencyKey };
const fresh = { licenses: null, licenseWarning: null };

describe('LicenseAssigner', () => {
  it('sends the set unless it is what was last set, and leaves licenses alone for a command without keys', async () => {
    const { licenses, calls } = assigner(async () => undefined);
    expect(await licenses.assign(command, 'a1', fresh, about)).toEqual({ licenses: [MEETING], licenseWarning: null, note: `licenses set: ${MEETING}` });
    expect(await licenses.assign(command, 'a1', { licenses: [MEETING], licenseWarning: null }, about)).toEqual({ licenses: [MEETING], licenseWarning: null });
    expect(await licenses.assign(aCommand({ n: 1, run: 'lic' }), 'a1', fresh, about)).toEqual(fresh);
    expect(calls).toEqual([[MEETING]]);
  });

  it('warns of a refusal once per set and status, and keeps what was set before', async () => {
    const noSeat = new TargetError("assign licenses: no seats left on license '…'", 'conflict', { status: 409 });
    const { licenses, warnings } = assigner(async () => Promise.reject(noSeat));
    const first = await licenses.assign(command, 'a1', fresh, about);
    expect(first).toEqual({ licenses: null, licenseWarning: `${MEETING}|409` });
    expect(await licenses.assign(command, 'a1', first, about)).toEqual(first);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ action: 'Other', status: 'warning', error: { kind: 'conflict', status: 409 } });
  });

  it.each([
    ['a rate limit', 429, 'transient'],
    ['a server error', 503, 'transient'],
    ['a token refused after renewal', 401, 'fatal'],
  ] as const)('lets %s go up, to be retried or to quarantine the job', async (_case, status, kind) => {
    const { licenses, warnings } = assigner(async () => Promise.reject(new TargetError('assign licenses', kind, { status })));
    await expect(licenses.assign(command, 'a1', fresh, about)).rejects.toBeInstanceOf(TargetError);
    expect(warnings).toEqual([]);
  });
});

import type { AuditEntry } from '@roster/platform';
import type { PendingGroupChange } from './group-membership.repository';

type Step = { step: 'attempted'; status: 'pending' } | { step: 'executed'; status: 'success' } | { step: 'skipped'; status: 'skipped' };

export const ATTEMPTED: Step = { step: 'attempted', status: 'pending' };
export const EXECUTED: Step = { step: 'executed', status: 'success' };
export const SKIPPED: Step = { step: 'skipped', status: 'skipped' };

/**
 * The log records of membership changes at one step, from the record each command left when it was
 * accepted. `write` (a PATCH's mark) names the write a record is about: one record per write, however
 * often the change's command ran; a step without one is logged once per command. The record's own
 * reason (a repair's cause, `drift`) leads.
 */
export function membershipRecords(changes: readonly Pick<PendingGroupChange, 'record'>[], step: Step, { reason, write }: { reason?: string; write?: string } = {}): AuditEntry[] {
  return changes.flatMap(({ record }) =>
    record ? [{ ...record, ...step, once: write === undefined ? true : `patch-${write}`, reason: [record.reason, reason].filter(Boolean).join(': ') || undefined }] : [],
  );
}

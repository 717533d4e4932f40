import type { EmulatedUser, RequestLogEntry } from '@roster/goto-emulator';
import { MismatchReport } from './mismatch-report';

/** The fields of a provisioning-log record (GET /provisioning-logs) the check reads. */
export interface ExecutedRecord {
  id: string;
  service: string;
  action: string;
  step: string;
  reason: string | null;
  targetId: string | null;
  targetUserName: string | null;
}

const USER_ACTIONS = new Set(['Create', 'Update', 'Enable', 'Disable', 'Delete']);

/**
 * An executed record that says GoTo had nothing to change claims no write. The connector says so
 * in its reason (`no account in GoTo; nothing to disable`).
 */
const claimsNoWrite = (record: ExecutedRecord) => /^no account in GoTo/.test(record.reason ?? '');

/**
 * Every write GoTo applied (its request log, answer lost or not) must appear in the provisioning
 * log once as `executed`, and every `executed` record must have its write. Writes and records are
 * paired per account userName and kind: a user write (create, patch, put, delete) with
 * Create/Update/Enable/Disable/Delete, a member added or removed by a group PATCH with
 * AddMember/RemoveMember. `ignorePrincipals` leaves out writes made by someone else than Roster
 * (an admin changing GoTo by hand in a drift test).
 */
export function checkLog(
  writes: readonly RequestLogEntry[],
  records: readonly ExecutedRecord[],
  accounts: Iterable<EmulatedUser>,
  { ignorePrincipals = [] as readonly string[] } = {},
): MismatchReport {
  const userNameOf = new Map<string, string>();
  for (const account of accounts) userNameOf.set(account.id, account.userName.toLowerCase());
  const applied = writes.filter((w) => w.write && !ignorePrincipals.includes(w.principal ?? ''));
  for (const { write } of applied) if (write!.resource === 'User' && write!.userName) userNameOf.set(write!.id, write!.userName.toLowerCase());

  const counts = new Map<string, { writes: number; records: number; reasons: string[] }>();
  const count = (key: string, field: 'writes' | 'records', reason?: string | null) => {
    const entry = counts.get(key) ?? { writes: 0, records: 0, reasons: [] };
    entry[field] += 1;
    if (reason) entry.reasons.push(reason);
    counts.set(key, entry);
  };
  for (const { write } of applied) {
    if (write!.resource === 'User') count(`user write to ${userNameOf.get(write!.id) ?? write!.id}`, 'writes');
    for (const member of write!.addedMembers ?? []) count(`member added ${userNameOf.get(member) ?? member}`, 'writes');
    for (const member of write!.removedMembers ?? []) count(`member removed ${userNameOf.get(member) ?? member}`, 'writes');
  }
  for (const record of records) {
    if (record.service !== 'connector' || record.step !== 'executed' || claimsNoWrite(record)) continue;
    // A record may name the account by GoTo id only (a stranger removed from a group).
    const who = (record.targetUserName ?? userNameOf.get(record.targetId ?? '') ?? record.targetId ?? '?').toLowerCase();
    if (USER_ACTIONS.has(record.action)) count(`user write to ${who}`, 'records', record.reason);
    else if (record.action === 'AddMember') count(`member added ${who}`, 'records', record.reason);
    else if (record.action === 'RemoveMember') count(`member removed ${who}`, 'records', record.reason);
  }
  const report = new MismatchReport();
  for (const [key, { writes: w, records: r, reasons }] of counts) {
    for (let i = r; i < w; i++) report.add('write GoTo applied without an executed record', key);
    const said = reasons.length ? ` (reason: ${reasons.join(' / ')})` : '';
    for (let i = w; i < r; i++) report.add('executed record without its write', `${key}${said}`);
  }
  return report;
}

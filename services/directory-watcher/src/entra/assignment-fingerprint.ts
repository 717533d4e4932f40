import { hash } from 'node:crypto';
import type { AppRoleAssignment } from '@roster/graph-client';

/**
 * An order-independent digest of the app's assignment list (count, and two 32-bit sums of per-row
 * hashes), so a cycle can tell "unchanged" from a streamed read without writing or holding the list.
 * Plain 32-bit arithmetic: a list of 100,000 rows is fingerprinted on every cycle.
 */
export class AssignmentFingerprint {
  private count = 0;
  private high = 0;
  private low = 0;

  add(assignments: readonly Pick<AppRoleAssignment, 'id' | 'principalId' | 'principalType' | 'appRoleId'>[]): void {
    for (const a of assignments) {
      const digest = hash('sha1', `${a.id}|${a.principalId}|${a.principalType}|${a.appRoleId}`, 'buffer');
      this.high = (this.high + digest.readUInt32BE(0)) >>> 0;
      this.low = (this.low + digest.readUInt32BE(4)) >>> 0;
      this.count++;
    }
  }

  get value(): string {
    return `${this.count}:${this.high.toString(36)}.${this.low.toString(36)}`;
  }
}

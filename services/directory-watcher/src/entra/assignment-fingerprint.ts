import { createHash } from 'node:crypto';
import type { AppRoleAssignment } from '@roster/graph-client';

const MASK = (1n << 64n) - 1n;

/**
 * An order-independent digest of the app's assignment list (count, and the sum of per-row hashes),
 * so a cycle can tell "unchanged" from a streamed read without writing or holding the list.
 */
export class AssignmentFingerprint {
  private count = 0;
  private sum = 0n;

  add(assignments: readonly Pick<AppRoleAssignment, 'id' | 'principalId' | 'principalType' | 'appRoleId'>[]): void {
    for (const a of assignments) {
      const digest = createHash('sha1').update(`${a.id}|${a.principalId}|${a.principalType}|${a.appRoleId}`).digest();
      this.sum = (this.sum + digest.readBigUInt64BE(0)) & MASK;
      this.count++;
    }
  }

  get value(): string {
    return `${this.count}:${this.sum.toString(36)}`;
  }
}

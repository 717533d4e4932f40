import type { ConnectionSections } from '@roster/contracts';

/** What a check adds to a successful Test Connection: its reply section and notes for the admin. */
export interface ConnectionCheckResult {
  sections?: Partial<ConnectionSections>;
  notes?: string[];
}

/**
 * A check an admin's Test Connection runs after the verdict is OK (reading the target's schema,
 * its licenses, …). A check that throws becomes a note naming it: it never turns the verdict.
 * Register one by adding its provider to CONNECTION_CHECKS in connection/connection.module.ts. Kept
 * here, with the profile the checks read, so the checks' folders need not depend on connection/.
 */
export interface ConnectionCheck {
  readonly name: string;
  run(): Promise<ConnectionCheckResult>;
}

export const CONNECTION_CHECKS = Symbol('CONNECTION_CHECKS');

import type { WorkMeter } from './text/work-meter';
import type { ExpressionValue } from './values';

/** One of the user's app role assignments for the application being provisioned. */
export interface AppRoleAssignment {
  readonly id: string;
  /** The app role's `value` (the roles-claim string). */
  readonly value?: string | null;
  readonly displayName?: string | null;
}

/**
 * Everything an expression may read. Evaluation is a pure function of this object: the same context
 * always gives the same result, whichever other attributes changed since the last cycle.
 */
export interface EvaluationContext {
  /** The source user: values are string | number | boolean | string[] | null/undefined. */
  readonly attributes: Readonly<Record<string, unknown>>;
  /** Clock for Now() and DateDiff(…, Now(), …); defaults to the system clock. */
  readonly now?: () => Date;
  /** Source of randomness in [0, 1) for Guid() and RandomString(); defaults to crypto randomness. */
  readonly random?: () => number;
  /** Read by `[IsSoftDeleted]`; false when not given. */
  readonly isSoftDeleted?: boolean;
  /** Read by `[appRoleAssignments]`, SingleAppRoleAssignment and AppRoleAssignmentsComplex. */
  readonly appRoleAssignments?: readonly AppRoleAssignment[];
  /** Whether a SelectUniqueValue candidate is still free in the target; every candidate is, by default. */
  readonly isUnique?: (value: string) => boolean;
  /** The tenant's default verified domain, returned by DefaultDomain(). */
  readonly defaultDomain?: string;
  /**
   * Counts the evaluation's steps against its budget (see WorkMeter); a fresh meter with the default
   * budget when not given. Tests pass one to read the steps taken or to set a smaller budget.
   */
  readonly meter?: WorkMeter;
}

export interface EvaluationResult {
  readonly value: ExpressionValue;
  /** `skip`: IgnoreFlowIfNullOrEmpty met a null or empty value, so the target attribute is left out. */
  readonly flow: 'continue' | 'skip';
  /** The expression uses Redact: logs must show "[Redact]" instead of the value. */
  readonly redacted: boolean;
}

/** Attributes that come from the context rather than from the directory object's properties. */
export const CONTEXT_ATTRIBUTES: readonly string[] = ['IsSoftDeleted', 'appRoleAssignments'];

/**
 * Entra's scoping-filter operators, spelled exactly as Entra spells them, followed by Roster's
 * additions. Names are matched case-sensitively, as in Entra's schema.
 */
export type ScopingOperator =
  | '&'
  | '!&'
  | 'ENDS_WITH'
  | 'EQUALS'
  | 'NOT EQUALS'
  | 'Greater_Than'
  | 'Greater_Than_OR_EQUALS'
  | 'Includes'
  | 'IS TRUE'
  | 'IS FALSE'
  | 'IS NULL'
  | 'IS NOT NULL'
  | 'REGEX MATCH'
  | 'NOT REGEX MATCH'
  // beyond Entra:
  | 'LESS_THAN'
  | 'LESS_THAN_OR_EQUALS'
  | 'STARTS_WITH'
  | 'IS MEMBER OF'
  | 'IS NOT MEMBER OF';

/** The attribute that membership clauses must name, so a config reads as what it tests. */
export const MEMBERSHIP_ATTRIBUTE = 'memberOf';

export interface ScopingClause {
  /** Looked up exactly as written (case-sensitive); `memberOf` for the membership operators. */
  attribute: string;
  operator: ScopingOperator;
  value?: string;
}

/** Its clauses are ANDed. A job's filters are ORed, and a job without filters scopes in everyone assigned. */
export interface ScopingFilter {
  name?: string;
  clauses: ScopingClause[];
}

export type ScopeAttributeValue = string | number | boolean | null | (string | number | boolean)[];

export interface ScopeSubject {
  attributes: Record<string, ScopeAttributeValue>;
  /** The groups membership clauses test: direct or transitive, as the caller resolved them. */
  groupIds: readonly string[];
}

export interface ClauseVerdict {
  clause: ScopingClause;
  passed: boolean;
  /** The attribute value as read (null when absent), or the subject's group ids for membership clauses. */
  actual: unknown;
}

export interface FilterVerdict {
  /** The filter's name, or `filter N` (1-based) when it has none. */
  name: string;
  passed: boolean;
  clauses: ClauseVerdict[];
}

export interface ScopeVerdict {
  inScope: boolean;
  /** One line for the provisioning log. */
  reason: string;
  filters: FilterVerdict[];
}

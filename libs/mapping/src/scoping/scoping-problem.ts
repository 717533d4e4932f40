export type ScopingProblemCode =
  | 'NOT_A_LIST'
  | 'INVALID_SHAPE'
  | 'NO_CLAUSES'
  | 'UNKNOWN_OPERATOR'
  | 'MISSING_VALUE'
  | 'UNEXPECTED_VALUE'
  | 'INVALID_VALUE'
  | 'NOT_MEMBERSHIP_ATTRIBUTE';

/** One reason a list of scoping filters can't be used. Indexes are 0-based; the message counts from 1, as admins do. */
export interface ScopingProblem {
  code: ScopingProblemCode;
  /** null when the list itself is wrong. */
  filterIndex: number | null;
  filterName: string | null;
  /** null for a problem with the whole filter. */
  clauseIndex: number | null;
  attribute: string | null;
  /** e.g. `filter 1 ("Sales only"), clause 2 (department): EQUALS needs a value`. */
  message: string;
}

/** compileScopingFilters was given filters that validateScopingFilters rejects; every problem is listed. */
export class ScopingFilterError extends Error {
  override readonly name = 'ScopingFilterError';
  constructor(readonly problems: readonly ScopingProblem[]) {
    super(`invalid scoping filters: ${problems.map((p) => p.message).join('; ')}`);
  }
}

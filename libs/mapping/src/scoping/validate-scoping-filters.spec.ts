import { compileScopingFilters } from './compiled-scope';
import type { ScopingFilter, ScopingOperator } from './scoping-filter';
import { SCOPING_OPERATORS } from './scoping-operators';
import { ScopingFilterError, type ScopingProblem } from './scoping-problem';
import { validateScopingFilters } from './validate-scoping-filters';

const messagesFor = (filters: unknown) => validateScopingFilters(filters).map((p) => p.message);
const oneClause = (clause: Record<string, unknown>, name = 'Sales only') => [{ name, clauses: [clause] }];

const UNARY: ScopingOperator[] = ['IS TRUE', 'IS FALSE', 'IS NULL', 'IS NOT NULL'];
const INTEGER: ScopingOperator[] = ['Greater_Than', 'Greater_Than_OR_EQUALS', 'LESS_THAN', 'LESS_THAN_OR_EQUALS'];
const MEMBERSHIP: ScopingOperator[] = ['IS MEMBER OF', 'IS NOT MEMBER OF'];
const WITH_VALUE = SCOPING_OPERATORS.filter((op) => !UNARY.includes(op) && !MEMBERSHIP.includes(op));

describe('validateScopingFilters', () => {
  it('accepts every operator used as intended, and an empty list', () => {
    const clause = (operator: ScopingOperator) => {
      if (UNARY.includes(operator)) return { attribute: 'accountEnabled', operator };
      if (MEMBERSHIP.includes(operator)) return { attribute: 'memberOf', operator, value: 'a1b2c3d4-0000-4000-8000-000000000001' };
      return { attribute: 'employeeId', operator, value: '1000' };
    };
    expect(validateScopingFilters([{ clauses: SCOPING_OPERATORS.map(clause) }])).toEqual([]);
    expect(validateScopingFilters([])).toEqual([]);
  });

  it('locates a problem by filter and clause, with 0-based indexes and a 1-based message', () => {
    const filters = [
      { name: 'Engineering', clauses: [{ attribute: 'department', operator: 'EQUALS', value: 'Engineering' }] },
      {
        name: 'Sales only',
        clauses: [
          { attribute: 'department', operator: 'EQUALS', value: 'Sales' },
          { attribute: 'employeeId', operator: 'Greater_Than', value: 'ten' },
        ],
      },
    ];
    expect(validateScopingFilters(filters)).toEqual<ScopingProblem[]>([
      {
        code: 'INVALID_VALUE',
        filterIndex: 1,
        filterName: 'Sales only',
        clauseIndex: 1,
        attribute: 'employeeId',
        message: 'filter 2 ("Sales only"), clause 2 (employeeId): Greater_Than: "ten" is not an integer',
      },
    ]);
  });

  it('reports every problem in every filter, and names unnamed filters by number', () => {
    const filters = [
      { clauses: [{ attribute: 'a', operator: 'EQUALS' }, { attribute: 'b', operator: 'IS NULL', value: 'x' }] },
      { name: 'Second', clauses: [] },
    ];
    expect(validateScopingFilters(filters).map((p) => [p.code, p.message])).toEqual([
      ['MISSING_VALUE', 'filter 1, clause 1 (a): EQUALS needs a value'],
      ['UNEXPECTED_VALUE', 'filter 1, clause 2 (b): IS NULL takes no value, got "x"'],
      ['NO_CLAUSES', 'filter 2 ("Second"): has no clauses; to scope everyone in, remove the filter instead'],
    ]);
  });

  describe('the list and its filters', () => {
    it.each([
      [{}, 'scoping filters must be a list, got object'],
      [null, 'scoping filters must be a list, got null'],
      ['EQUALS', 'scoping filters must be a list, got string'],
    ])('rejects %j as the list', (input, message) => {
      expect(validateScopingFilters(input)).toEqual([
        { code: 'NOT_A_LIST', filterIndex: null, filterName: null, clauseIndex: null, attribute: null, message },
      ]);
    });

    it.each([
      ['Sales', 'filter 1: Invalid input: expected object, received string'],
      [{ name: 'Sales' }, 'filter 1: clauses: Invalid input: expected array, received undefined'],
      [{ clauses: {} }, 'filter 1: clauses: Invalid input: expected array, received object'],
      [{ name: '', clauses: [] }, 'filter 1: name: Too small: expected string to have >=1 characters'],
      [{ name: 7, clauses: [] }, 'filter 1: name: Invalid input: expected string, received number'],
      [{ title: 'Sales', clauses: [] }, 'filter 1: Unrecognized key: "title"'],
    ])('rejects the filter %j', (filter, message) => {
      const problems = validateScopingFilters([filter]);
      expect(problems.map((p) => p.message)).toEqual([message]);
      expect(problems[0]).toMatchObject({ code: 'INVALID_SHAPE', filterIndex: 0, clauseIndex: null });
    });

    it('rejects a filter without clauses', () => {
      expect(validateScopingFilters([{ name: 'Sales only', clauses: [] }])).toEqual([
        {
          code: 'NO_CLAUSES',
          filterIndex: 0,
          filterName: 'Sales only',
          clauseIndex: null,
          attribute: null,
          message: 'filter 1 ("Sales only"): has no clauses; to scope everyone in, remove the filter instead',
        },
      ]);
    });
  });

  describe('clauses', () => {
    it.each([
      ['EQUALS', 'filter 1 ("Sales only"), clause 1: Invalid input: expected object, received string'],
      [{ operator: 'EQUALS', value: 'x' }, 'filter 1 ("Sales only"), clause 1: attribute: Invalid input: expected string, received undefined'],
      [{ attribute: '', operator: 'IS NULL' }, 'filter 1 ("Sales only"), clause 1: attribute: Too small: expected string to have >=1 characters'],
      [{ attribute: 'a' }, 'filter 1 ("Sales only"), clause 1: operator: Invalid input: expected string, received undefined'],
      [{ attribute: 'a', operator: 'Greater_Than', value: 5 }, 'filter 1 ("Sales only"), clause 1: value: Invalid input: expected string, received number'],
      [{ attribute: 'a', operator: 'IS NULL', negate: true }, 'filter 1 ("Sales only"), clause 1: Unrecognized key: "negate"'],
    ])('rejects the malformed clause %j', (clause, message) => {
      const problems = validateScopingFilters(oneClause(clause as Record<string, unknown>));
      expect(problems.map((p) => p.message)).toEqual([message]);
      expect(problems[0]).toMatchObject({ code: 'INVALID_SHAPE', filterIndex: 0, clauseIndex: 0, attribute: null });
    });

    it('rejects an unknown operator, listing the known ones', () => {
      expect(messagesFor(oneClause({ attribute: 'department', operator: 'CONTAINS', value: 'S' }))).toEqual([
        `filter 1 ("Sales only"), clause 1 (department): unknown operator "CONTAINS"; expected one of ${SCOPING_OPERATORS.join(', ')}`,
      ]);
    });

    it.each([
      ['equals', 'EQUALS'],
      ['greater_than', 'Greater_Than'],
      ['Is Null', 'IS NULL'],
    ])('rejects %s, pointing at %s since operators are case-sensitive', (operator, known) => {
      expect(validateScopingFilters(oneClause({ attribute: 'department', operator, value: 'S' }))).toEqual([
        expect.objectContaining({
          code: 'UNKNOWN_OPERATOR',
          attribute: 'department',
          message: `filter 1 ("Sales only"), clause 1 (department): unknown operator "${operator}"; did you mean "${known}"? operators are case-sensitive`,
        }),
      ]);
    });

    it.each(WITH_VALUE.flatMap((operator) => [undefined, ''].map((value) => [operator, value] as const)))('%s with value %j is missing its value', (operator, value) => {
      expect(validateScopingFilters(oneClause({ attribute: 'department', operator, value }))).toEqual([
        expect.objectContaining({ code: 'MISSING_VALUE', message: `filter 1 ("Sales only"), clause 1 (department): ${operator} needs a value` }),
      ]);
    });

    it.each(UNARY)('%s takes no value', (operator) => {
      expect(messagesFor(oneClause({ attribute: 'accountEnabled', operator, value: 'true' }))).toEqual([
        `filter 1 ("Sales only"), clause 1 (accountEnabled): ${operator} takes no value, got "true"`,
      ]);
      expect(validateScopingFilters(oneClause({ attribute: 'accountEnabled', operator, value: '' }))).toEqual([]);
    });

    it.each(INTEGER.flatMap((operator) => ['1.5', 'ten', '1e3', '0x10', '1,000', ' '].map((value) => [operator, value] as const)))(
      '%s rejects the non-integer %j',
      (operator, value) => {
        expect(validateScopingFilters(oneClause({ attribute: 'employeeId', operator, value }))).toEqual([
          expect.objectContaining({
            code: 'INVALID_VALUE',
            message: `filter 1 ("Sales only"), clause 1 (employeeId): ${operator}: ${JSON.stringify(value)} is not an integer`,
          }),
        ]);
      },
    );

    it.each(INTEGER.flatMap((operator) => ['0', '-12', '+7', ' 42 ', '123456789012345678901234567890'].map((value) => [operator, value] as const)))(
      '%s accepts the integer %j',
      (operator, value) => {
        expect(validateScopingFilters(oneClause({ attribute: 'employeeId', operator, value }))).toEqual([]);
      },
    );

    it.each([
      ['REGEX MATCH', '(', 'is not a valid regular expression (missing closing ))'],
      ['REGEX MATCH', '[a-', 'is not a valid regular expression (missing closing ])'],
      ['NOT REGEX MATCH', '*sales', 'is not a valid regular expression (missing argument to repetition operator)'],
      // Constructs that need backtracking are named, so the admin knows what to rewrite.
      ['REGEX MATCH', '(a)\\1', "uses a backreference, which Roster's linear-time regular expressions (RE2) do not support"],
      ['REGEX MATCH', '^(?!test)', "uses lookahead or lookbehind, which Roster's linear-time regular expressions (RE2) do not support"],
      ['NOT REGEX MATCH', '(?<=@)contoso', "uses lookahead or lookbehind, which Roster's linear-time regular expressions (RE2) do not support"],
    ])('%s rejects the regex %j with the reason', (operator, value, reason) => {
      expect(validateScopingFilters(oneClause({ attribute: 'upn', operator, value }))).toEqual([
        expect.objectContaining({
          code: 'INVALID_VALUE',
          message: `filter 1 ("Sales only"), clause 1 (upn): ${operator}: ${JSON.stringify(value)} ${reason}`,
        }),
      ]);
    });

    it('accepts .NET inline options such as (?i), which RE2 reads the same way', () => {
      expect(validateScopingFilters(oneClause({ attribute: 'upn', operator: 'REGEX MATCH', value: '(?i)sales' }))).toEqual([]);
    });

    it.each(MEMBERSHIP)('%s must name the memberOf attribute and a group', (operator) => {
      expect(validateScopingFilters(oneClause({ attribute: 'department', operator }))).toEqual([
        expect.objectContaining({ code: 'MISSING_VALUE', message: `filter 1 ("Sales only"), clause 1 (department): ${operator} needs a value` }),
        expect.objectContaining({
          code: 'NOT_MEMBERSHIP_ATTRIBUTE',
          message: `filter 1 ("Sales only"), clause 1 (department): ${operator} tests group membership, so its attribute must be "memberOf"`,
        }),
      ]);
    });
  });
});

describe('compileScopingFilters on invalid filters', () => {
  it('throws a ScopingFilterError carrying every problem', () => {
    const filters = [
      { name: 'Bad', clauses: [{ attribute: 'upn', operator: 'REGEX MATCH', value: '(' }] },
      { clauses: [{ attribute: 'n', operator: 'LESS_THAN', value: 'x' }] },
    ] as ScopingFilter[];
    let thrown: unknown;
    try {
      compileScopingFilters(filters);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ScopingFilterError);
    const error = thrown as ScopingFilterError;
    expect(error.name).toBe('ScopingFilterError');
    expect(error.problems).toEqual(validateScopingFilters(filters));
    expect(error.message).toBe(
      'invalid scoping filters: filter 1 ("Bad"), clause 1 (upn): REGEX MATCH: "(" is not a valid regular expression (missing closing )); ' +
        'filter 2, clause 1 (n): LESS_THAN: "x" is not an integer',
    );
  });
});

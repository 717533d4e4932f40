import fc from 'fast-check';
import { clauseHolds } from './__fixtures__/single-clause';
import { compileScopingFilters } from './compiled-scope';
import { MEMBERSHIP_ATTRIBUTE, type ScopeAttributeValue, type ScopingClause, type ScopingFilter, type ScopingOperator } from './scoping-filter';
import { operatorDefinition, SCOPING_OPERATORS, type OperandKind } from './scoping-operators';
import { validateScopingFilters } from './validate-scoping-filters';

const isValidRegex = (value: string) => validateScopingFilters([{ clauses: [{ attribute: 'a', operator: 'REGEX MATCH', value }] }]).length === 0;

const text = fc.string({ minLength: 1, maxLength: 12 });
const integerText = fc.oneof(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }).map(String), fc.integer({ min: -200, max: 200 }).map(String));
const regex = fc.oneof(fc.constantFrom('^S', 'ales$', '[0-9]+', '(a|b)c?', '.*@contoso\\.com', '^$'), text.filter(isValidRegex));
const groupId = fc.constantFrom('g1', 'G1', 'g2', 'a1b2c3d4-0000-4000-8000-000000000001');

const operandOf: Record<OperandKind, fc.Arbitrary<string | undefined>> = {
  none: fc.constant(undefined),
  text,
  integer: integerText,
  regex,
  groupId,
};

const attributeName = fc.oneof(fc.constantFrom('department', 'employeeId', 'accountEnabled', 'constructor', '__proto__', 'toString'), text);

const clauseFor = (operator: ScopingOperator): fc.Arbitrary<ScopingClause> => {
  const kind = operatorDefinition(operator)!.operand;
  const attribute = kind === 'groupId' ? fc.constant(MEMBERSHIP_ATTRIBUTE) : attributeName;
  return fc.record({ attribute, value: operandOf[kind] }).map(({ attribute, value }) => ({ attribute, operator, ...(value !== undefined && { value }) }));
};

const clause = fc.constantFrom(...SCOPING_OPERATORS).chain(clauseFor);
const filters: fc.Arbitrary<ScopingFilter[]> = fc.array(
  fc.record({ name: fc.option(text, { nil: undefined }), clauses: fc.array(clause, { minLength: 1, maxLength: 4 }) }, { requiredKeys: ['clauses'] }),
  { maxLength: 4 },
);

const scalar = fc.oneof(fc.string({ maxLength: 12 }), integerText, fc.integer(), fc.double(), fc.boolean(), fc.constantFrom('true', 'False', 'Sales'));
const attributeValue: fc.Arbitrary<ScopeAttributeValue> = fc.oneof(
  fc.constant(null),
  scalar,
  fc.array(scalar, { maxLength: 4 }),
  // Beyond the declared types, as a misbehaving directory adapter might send.
  fc.anything() as fc.Arbitrary<ScopeAttributeValue>,
);
const subject = fc.record({
  attributes: fc.dictionary(attributeName, attributeValue, { maxKeys: 6 }),
  groupIds: fc.array(fc.oneof(groupId, fc.string({ maxLength: 8 })), { maxLength: 4 }),
});

describe('scoping properties', () => {
  it('validates what the generators build, so the other properties run on valid filters', () => {
    fc.assert(fc.property(filters, (generated) => validateScopingFilters(generated).length === 0));
  });

  it('evaluate never throws, and its verdict agrees with itself', () => {
    fc.assert(
      fc.property(filters, subject, (generated, s) => {
        const verdict = compileScopingFilters(generated).evaluate(s);
        expect(verdict.filters).toHaveLength(generated.length);
        expect(verdict.inScope).toBe(generated.length === 0 || verdict.filters.some((f) => f.passed));
        verdict.filters.forEach((f, i) => {
          expect(f.clauses).toHaveLength(generated[i]!.clauses.length);
          expect(f.passed).toBe(f.clauses.every((c) => c.passed));
        });
        expect(verdict.reason.startsWith(verdict.inScope ? 'in scope: ' : 'out of scope: ')).toBe(true);
        expect(verdict.reason).not.toMatch(/[\r\n]/);
      }),
    );
  });

  // A single value that is neither null nor empty, biased so that the positive operator sometimes holds.
  const singleValue = (operand: string) => fc.oneof(fc.constant(operand), fc.string({ minLength: 1, maxLength: 12 }), fc.integer(), fc.boolean(), fc.constantFrom('Sales', 'S'));

  it.each<[ScopingOperator, ScopingOperator, fc.Arbitrary<string>]>([
    ['EQUALS', 'NOT EQUALS', text],
    ['&', '!&', text],
    ['REGEX MATCH', 'NOT REGEX MATCH', regex],
  ])('%s and %s are complements on non-null single values', (positive, negated, operand) => {
    fc.assert(
      fc.property(
        operand.chain((value) => fc.tuple(fc.constant(value), singleValue(value))),
        ([value, actual]) => clauseHolds({ attribute: 'a', operator: positive, value }, actual) !== clauseHolds({ attribute: 'a', operator: negated, value }, actual),
      ),
    );
  });

  it.each<[ScopingOperator, ScopingOperator]>([
    ['Greater_Than', 'LESS_THAN_OR_EQUALS'],
    ['Greater_Than_OR_EQUALS', 'LESS_THAN'],
  ])('%s and %s are complements on integer values', (positive, negated) => {
    const integer = fc.oneof(integerText, fc.integer());
    fc.assert(
      fc.property(integerText, integer, (value, actual) => {
        return clauseHolds({ attribute: 'n', operator: positive, value }, actual) !== clauseHolds({ attribute: 'n', operator: negated, value }, actual);
      }),
    );
  });

  it('IS NULL and IS NOT NULL are complements on every value', () => {
    fc.assert(
      fc.property(fc.option(attributeValue, { nil: undefined }), (actual) => {
        return clauseHolds({ attribute: 'a', operator: 'IS NULL' }, actual) !== clauseHolds({ attribute: 'a', operator: 'IS NOT NULL' }, actual);
      }),
    );
  });

  it('IS MEMBER OF and IS NOT MEMBER OF are complements on every list of groups', () => {
    fc.assert(
      fc.property(groupId, subject, (value, { groupIds }) => {
        const holds = (operator: ScopingOperator) => clauseHolds({ attribute: MEMBERSHIP_ATTRIBUTE, operator, value }, undefined, groupIds);
        return holds('IS MEMBER OF') !== holds('IS NOT MEMBER OF');
      }),
    );
  });
});

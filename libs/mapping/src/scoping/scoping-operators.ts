import { compileRegex, type Fail } from '@roster/expressions';
import { booleanOf, integerOf, textOf, type Scalar } from './scope-values';
import type { ScopingOperator } from './scoping-filter';

/** What a clause's value must be: nothing, any text, an integer, a .NET regex, or a group id. */
export type OperandKind = 'none' | 'text' | 'integer' | 'regex' | 'groupId';

/** Decides a clause from the values it reads (the attribute's, or the subject's group ids). */
export type ValuesTest = (values: readonly Scalar[]) => boolean;

export interface OperatorDefinition {
  operand: OperandKind;
  /** Builds the test once per clause; `value` has already been checked present or absent as `operand` requires. */
  compile(value: string, fail: Fail): ValuesTest;
}

type ValueTest = (value: Scalar) => boolean;
type Quantifier = (test: ValueTest) => ValuesTest;

/** Positive operators hold when any value passes; an empty attribute has none, which is Entra's null rule. */
const anyValue: Quantifier = (test) => (values) => values.some(test);

/**
 * Negated operators hold when no value passes the positive test, but still need a value: Entra makes
 * every clause false on null or empty, and its docs say so for NOT REGEX MATCH in particular. So
 * `department NOT EQUALS "Sales"` does not admit users without a department; add an IS NULL filter for that.
 */
const noValuePresent: Quantifier = (test) => (values) => values.length > 0 && !values.some(test);

/** No group memberships is a definite "not a member", not a null attribute. */
const noValue: Quantifier = (test) => (values) => !values.some(test);

const textTest =
  (holds: (actual: string, operand: string) => boolean) =>
  (operand: string): ValueTest =>
  (value) =>
    holds(textOf(value), operand);

const equals = textTest((actual, operand) => actual === operand);
const contains = textTest((actual, operand) => actual.includes(operand));
// Entra's "&": the attribute value appears in the clause's string (the reverse of Includes), e.g. "Sales" & "Sales,Marketing".
const appearsIn = textTest((actual, operand) => operand.includes(actual));
const startsWith = textTest((actual, operand) => actual.startsWith(operand));
const endsWith = textTest((actual, operand) => actual.endsWith(operand));

const text = (quantify: Quantifier, test: (operand: string) => ValueTest): OperatorDefinition => ({
  operand: 'text',
  compile: (value) => quantify(test(value)),
});

// Unanchored like .NET's Regex.IsMatch, and in linear time: compileRegex runs on RE2, so a clause
// cannot stall a cycle whatever the attribute holds.
const regex = (quantify: Quantifier): OperatorDefinition => ({
  operand: 'regex',
  compile: (value, fail) => {
    // The clause's value is the admin's own configuration, so the reason may quote it.
    const pattern = compileRegex(value, (reason) => fail(`${JSON.stringify(value)} ${reason}`));
    return quantify((v) => pattern.test(textOf(v)));
  },
});

const integer = (holds: (actual: bigint, operand: bigint) => boolean): OperatorDefinition => ({
  operand: 'integer',
  compile: (value, fail) => {
    const operand = integerOf(value) ?? fail(`${JSON.stringify(value)} is not an integer`);
    return anyValue((v) => {
      const actual = integerOf(v);
      return actual !== undefined && holds(actual, operand);
    });
  },
});

const unary = (test: ValuesTest): OperatorDefinition => ({ operand: 'none', compile: () => test });

// Directory object ids are GUIDs, which Graph writes in lower case and PowerShell in upper case; a case
// mismatch must not drop everyone out of scope.
const membership = (quantify: Quantifier): OperatorDefinition => ({
  operand: 'groupId',
  compile: (value) => {
    const wanted = value.toLowerCase();
    return quantify((groupId) => textOf(groupId).toLowerCase() === wanted);
  },
});

const OPERATORS: Record<ScopingOperator, OperatorDefinition> = {
  '&': text(anyValue, appearsIn),
  '!&': text(noValuePresent, appearsIn),
  ENDS_WITH: text(anyValue, endsWith),
  EQUALS: text(anyValue, equals),
  'NOT EQUALS': text(noValuePresent, equals),
  Greater_Than: integer((actual, operand) => actual > operand),
  Greater_Than_OR_EQUALS: integer((actual, operand) => actual >= operand),
  Includes: text(anyValue, contains),
  'IS TRUE': unary(anyValue((v) => booleanOf(v) === true)),
  'IS FALSE': unary(anyValue((v) => booleanOf(v) === false)),
  'IS NULL': unary((values) => values.length === 0),
  'IS NOT NULL': unary((values) => values.length > 0),
  'REGEX MATCH': regex(anyValue),
  'NOT REGEX MATCH': regex(noValuePresent),
  LESS_THAN: integer((actual, operand) => actual < operand),
  LESS_THAN_OR_EQUALS: integer((actual, operand) => actual <= operand),
  STARTS_WITH: text(anyValue, startsWith),
  'IS MEMBER OF': membership(anyValue),
  'IS NOT MEMBER OF': membership(noValue),
};

export const SCOPING_OPERATORS = Object.keys(OPERATORS) as readonly ScopingOperator[];

export function operatorDefinition(name: string): OperatorDefinition | undefined {
  return Object.hasOwn(OPERATORS, name) ? OPERATORS[name as ScopingOperator] : undefined;
}

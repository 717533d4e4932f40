import fc from 'fast-check';
import { withoutSpans } from './__fixtures__/without-spans';
import type { Argument, ComparisonOperator, ExpressionNode } from './ast';
import { findConstant } from './constants';
import { arityOf } from './functions/function-definition';
import { FUNCTIONS } from './functions/registry';
import {
  evaluateExpression,
  ExpressionEvaluationError,
  ExpressionSyntaxError,
  MAX_EXPRESSION_LENGTH,
  parseExpression,
  printExpression,
  validateExpression,
  WorkMeter,
  type AppRoleAssignment,
  type EvaluationContext,
} from './index';

// Generated trees carry no spans; fast-check arbitraries are built as plain objects and cast once.
type Tree = ExpressionNode;
const asTree = (node: unknown) => node as Tree;

const OPERATORS: ComparisonOperator[] = ['=', '<>', '<', '<=', '>', '>='];
const FUNCTION_NAMES = FUNCTIONS.map((definition) => definition.name);
const KNOWN_NAMES = new Set(FUNCTION_NAMES.map((name) => name.toLowerCase()));

/** Names that print back exactly: neither a function nor a constant under another casing. */
const plainName = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/).filter((name) => !KNOWN_NAMES.has(name.toLowerCase()) && findConstant(name) === undefined);
const attributeName = fc
  .string({ unit: 'binary', minLength: 1, maxLength: 12 })
  .filter((name) => !/[[\]"\r\n]/.test(name) && name.trim() === name && name !== '');
const stringLiteral = fc.string({ unit: 'binary', maxLength: 16 }).map((value) => asTree({ kind: 'string', value }));
const numberLiteral = fc
  .oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.maxSafeInteger())
  .map((value) => asTree({ kind: 'number', value: value === 0 ? 0 : value }));
const identifier = fc.oneof(fc.constantFrom('vbBinaryCompare', 'vbTextCompare'), plainName).map((name) => asTree({ kind: 'identifier', name }));
const omitted = fc.constant({ kind: 'omitted' } as Argument);

/** Any syntactically possible tree, known functions or not. */
const anyTree = fc.letrec<{ expression: Tree; operand: Tree; call: Tree }>((tie) => ({
  expression: fc.oneof({ depthSize: 'small' }, tie('operand'), fc.record({ kind: fc.constant('comparison'), operator: fc.constantFrom(...OPERATORS), left: tie('operand'), right: tie('operand') }).map(asTree)),
  operand: fc.oneof({ depthSize: 'small', maxDepth: 4 }, stringLiteral, numberLiteral, attributeName.map((name) => asTree({ kind: 'attribute', name })), identifier, tie('call')),
  call: fc
    .record({
      kind: fc.constant('call'),
      name: fc.oneof(fc.constantFrom(...FUNCTION_NAMES), plainName),
      args: fc.array(fc.oneof(tie('expression') as fc.Arbitrary<Argument>, omitted), { maxLength: 4 }),
    })
    // A lone empty argument has no text of its own: F() is a call without arguments.
    .filter((call) => !(call.args.length === 1 && call.args[0]!.kind === 'omitted'))
    .map(asTree),
})).expression;

const INTERESTING_TEXT = ['', ' ', 'True', 'false', '0', '-1', '3', '1.5', 'abc', 'ÀÉÎõü', '2021-08-24', '8/25/2021 5:41:18 PM', '2021-02-30', 'yyyy-MM-dd', 'd', 'ww', '[a-z]+', '(?<g>.)', '(', '$1${g}', '"', '\\'];
const ATTRIBUTES = ['a', 'b', 'm', 'n', 'IsSoftDeleted', 'appRoleAssignments', 'constructor'];

/** Trees biased towards known functions with about the right number of arguments, so evaluation goes deep. */
const evaluableTree = fc.letrec<{ expression: Tree; operand: Tree; call: Tree }>((tie) => {
  const leaf = fc.oneof(
    fc.constantFrom(...INTERESTING_TEXT).map((value) => asTree({ kind: 'string', value })),
    stringLiteral,
    numberLiteral,
    fc.constantFrom(...ATTRIBUTES).map((name) => asTree({ kind: 'attribute', name })),
    identifier,
  );
  return {
    expression: fc.oneof({ depthSize: 'small' }, tie('operand'), fc.record({ kind: fc.constant('comparison'), operator: fc.constantFrom(...OPERATORS), left: tie('operand'), right: leaf }).map(asTree)),
    operand: fc.oneof({ depthSize: 'small', maxDepth: 4 }, leaf, tie('call')),
    call: fc.constantFrom(...FUNCTIONS).chain((definition) => {
      const { min, max } = arityOf(definition);
      return fc
        .array(fc.oneof({ arbitrary: tie('expression') as fc.Arbitrary<Argument>, weight: 6 }, { arbitrary: omitted, weight: 1 }), {
          minLength: Math.max(0, min - 1),
          maxLength: Math.min(max, min + 2),
        })
        .filter((args) => !(args.length === 1 && args[0]!.kind === 'omitted'))
        .map((args) => asTree({ kind: 'call', name: definition.name, args }));
    }),
  };
}).expression;

const attributeValue = fc.oneof(
  fc.constantFrom(...INTERESTING_TEXT),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.array(fc.oneof(fc.constantFrom(...INTERESTING_TEXT), fc.integer(), fc.constant(null)), { maxLength: 4 }),
  fc.bigInt(),
  fc.date({ noInvalidDate: false }),
  fc.object({ maxDepth: 1 }),
);

const appRoleAssignment: fc.Arbitrary<AppRoleAssignment> = fc.record({
  id: fc.string(),
  value: fc.option(fc.string(), { nil: undefined }),
  displayName: fc.option(fc.string(), { nil: undefined }),
});

const context: fc.Arbitrary<EvaluationContext> = fc.record(
  {
    attributes: fc.dictionary(fc.constantFrom(...ATTRIBUTES.filter((name) => name !== 'constructor')), attributeValue),
    now: fc.date({ noInvalidDate: false }).map((date) => () => date),
    random: fc.oneof(fc.double().map((r) => () => r), fc.constant(() => 0.999999)),
    isSoftDeleted: fc.boolean(),
    appRoleAssignments: fc.array(appRoleAssignment, { maxLength: 3 }),
    isUnique: fc.func(fc.boolean()),
    defaultDomain: fc.string(),
  },
  { requiredKeys: ['attributes'] },
);

describe('properties', () => {
  it('parseExpression(printExpression(tree)) gives back the tree', () => {
    fc.assert(
      fc.property(anyTree, (tree) => {
        const printed = printExpression(tree);
        fc.pre(printed.length <= MAX_EXPRESSION_LENGTH);
        expect(withoutSpans(parseExpression(printed))).toEqual(tree);
      }),
      { numRuns: 300 },
    );
  });

  it('evaluation returns a result or throws ExpressionEvaluationError, for any expression and any user', () => {
    fc.assert(
      fc.property(evaluableTree, context, (tree, evaluationContext) => {
        const text = printExpression(tree);
        fc.pre(text.length <= MAX_EXPRESSION_LENGTH);
        try {
          const result = evaluateExpression(parseExpression(text), evaluationContext);
          expect(['continue', 'skip']).toContain(result.flow);
          expect(typeof result.redacted).toBe('boolean');
        } catch (error) {
          expect(error).toBeInstanceOf(ExpressionEvaluationError);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('no expression and no user makes evaluation do more steps than its budget', () => {
    fc.assert(
      fc.property(evaluableTree, context, fc.integer({ min: 1, max: 5000 }), (tree, evaluationContext, budget) => {
        const text = printExpression(tree);
        fc.pre(text.length <= MAX_EXPRESSION_LENGTH);
        const meter = new WorkMeter(budget);
        try {
          evaluateExpression(parseExpression(text), { ...evaluationContext, meter });
        } catch (error) {
          expect(error).toBeInstanceOf(ExpressionEvaluationError);
        }
        expect(meter.used).toBeLessThanOrEqual(budget);
      }),
      { numRuns: 300 },
    );
  });

  it('hostile patterns over long values finish within the step budget, with a value or a typed error', () => {
    // Pieces of the patterns that make backtracking engines exponential or quadratic, and of those RE2 refuses.
    const piece = fc.constantFrom('a', 'b', '(', ')', '(?:', '+', '*', '?', '|', '{2,}', '\\w', '.', '^', '$', '\\1', '(?=', '(?<n>', '${n}');
    const pattern = fc.array(piece, { minLength: 1, maxLength: 12 }).map((pieces) => pieces.join(''));
    const value = fc.tuple(fc.integer({ min: 0, max: 3000 }), fc.constantFrom('', '!', 'b', 'ab')).map(([n, tail]) => `${'a'.repeat(n)}${tail}`);
    const expression = fc.constantFrom('Replace([s], , [p], , "x", , )', 'Replace([s], , [p], "n", "x", , )', 'Replace("", , [p], "n", , [s], )');
    const budget = 100_000;
    fc.assert(
      fc.property(expression, pattern, value, (text, p, s) => {
        const meter = new WorkMeter(budget);
        try {
          evaluateExpression(parseExpression(text), { attributes: { p, s }, meter });
        } catch (error) {
          expect(error).toBeInstanceOf(ExpressionEvaluationError);
          expect(['INVALID_ARGUMENT', 'TOO_MUCH_WORK']).toContain((error as ExpressionEvaluationError).code);
        }
        expect(meter.used).toBeLessThanOrEqual(budget);
      }),
      { numRuns: 300 },
    );
  });

  it('evaluation of arbitrary trees with unknown names and wrong arity fails only with the typed error', () => {
    fc.assert(
      fc.property(anyTree, context, (tree, evaluationContext) => {
        const text = printExpression(tree);
        fc.pre(text.length <= MAX_EXPRESSION_LENGTH);
        try {
          evaluateExpression(parseExpression(text), evaluationContext);
        } catch (error) {
          expect(error).toBeInstanceOf(ExpressionEvaluationError);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('arbitrary text either parses or raises ExpressionSyntaxError, and validateExpression never throws', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc.array(fc.constantFrom('Join(', 'IIF(', '[a]', '"x"', '"', ',', ')', '(', ' ', '=', '<>', '-1', '&HF', 'vbTextCompare', '\n', '[', ']'), { maxLength: 20 }).map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(text, (input) => {
        expect(() => validateExpression(input)).not.toThrow();
        try {
          parseExpression(input);
        } catch (error) {
          expect(error).toBeInstanceOf(ExpressionSyntaxError);
        }
      }),
      { numRuns: 600 },
    );
  });
});

import type { Argument, CallExpression } from '../ast';
import { attributesIn, callsIn } from '../ast-walk';
import { isNullOrEmpty, isNullValue, describeKind, type ExpressionValue } from '../values';
import type { FunctionDefinition, ReportProblem } from './function-definition';
import type { FunctionCall } from './function-call';

const expression = { name: 'Expression' };
const NULL_TESTS = new Set(['isnull', 'isnullorempty', 'ispresent']);

/** VB CBool: True/False in any case, or a number that is non-zero; null is False. */
function toBoolean(call: FunctionCall, index: number): boolean {
  const value = call.value(index);
  if (value === null || typeof value === 'boolean') return value === true;
  if (typeof value === 'number') return value !== 0;
  if (Array.isArray(value)) return call.fail(`${call.label(index)} must be a single value, got ${describeKind(value)}`, index);
  const text = (value as string).trim().toLowerCase();
  if (text === 'true' || text === 'false') return text === 'true';
  return call.number(index) !== 0;
}

function isNullTest(node: Argument | undefined): node is CallExpression {
  return node?.kind === 'call' && NULL_TESTS.has(node.name.toLowerCase());
}

function warn(report: ReportProblem, node: Argument, reason: string): void {
  report({ severity: 'warning', code: 'UNSUPPORTED_IN_ENTRA', reason, span: node.span });
}

/** The docs list these IIF conditions as unsupported: Entra fails the check when the attribute is empty. */
function checkIifCondition(call: CallExpression, report: ReportProblem): void {
  const condition = call.args[0];
  if (condition === undefined || condition.kind === 'omitted') return;
  const sides = condition.kind === 'comparison' ? [condition.left, condition.right] : [];
  const emptyTest = sides.some((side) => side.kind === 'string' && side.value === '');
  if (isNullTest(condition) || emptyTest) {
    warn(
      report,
      condition,
      'Entra fails IIF conditions on null or empty attributes, so this test never sees them; ' +
        'use Switch([attr], [attr], "", "default") instead',
    );
  }
  if (callsIn(condition).some((inner) => inner.name.toLowerCase() === 'ignoreflowifnullorempty')) {
    warn(report, condition, 'IgnoreFlowIfNullOrEmpty is not supported in an IIF condition; wrap the IIF instead');
  }
}

export const LOGIC_FUNCTIONS: readonly FunctionDefinition[] = [
  {
    name: 'BitAnd',
    params: [
      { name: 'value1', integer: true },
      { name: 'value2', integer: true },
    ],
    // BigInt keeps 64-bit flag words (userAccountControl and the like) exact past 32 bits.
    evaluate: (call) => Number(BigInt(call.integer(0)) & BigInt(call.integer(1))),
  },
  {
    name: 'CBool',
    params: [expression],
    evaluate: (call) => toBoolean(call, 0),
  },
  {
    name: 'Coalesce',
    params: [{ name: 'source', variadic: true, lazy: true }],
    // The trailing defaultValue is just the last candidate: it is returned when every source is null.
    evaluate: (call) => {
      for (let i = 0; i < call.count; i++) {
        const value = call.value(i);
        if (!isNullValue(value)) return value;
      }
      return null;
    },
  },
  {
    name: 'CStr',
    params: [{ name: 'value' }],
    evaluate: (call) => call.text(0),
  },
  {
    name: 'IgnoreFlowIfNullOrEmpty',
    params: [expression],
    evaluate: (call) => {
      const value = call.value(0);
      if (!isNullOrEmpty(value)) return value;
      call.skipFlow();
      return null;
    },
  },
  {
    name: 'IIF',
    params: [
      { name: 'condition' },
      { name: 'valueIfTrue', lazy: true },
      { name: 'valueIfFalse', lazy: true },
    ],
    check: checkIifCondition,
    evaluate: (call) => {
      const condition = call.argument(0);
      if (condition !== undefined && condition.kind !== 'omitted') {
        for (const attribute of attributesIn(condition)) {
          if (isNullOrEmpty(call.evaluate(attribute))) {
            const name = `[${attribute.name}]`;
            call.fail(
              `the condition reads ${name}, which is null or empty; Entra fails such checks, ` +
                `so test it with Switch(${name}, ${name}, "", "…") instead`,
              0,
              'CONDITION_ON_EMPTY_ATTRIBUTE',
            );
          }
        }
      }
      return toBoolean(call, 0) ? call.value(1) : call.value(2);
    },
  },
  {
    name: 'IsNull',
    params: [expression],
    evaluate: (call) => isNullValue(call.value(0)),
  },
  {
    name: 'IsNullOrEmpty',
    params: [expression],
    evaluate: (call) => isNullOrEmpty(call.value(0)),
  },
  {
    name: 'IsPresent',
    params: [expression],
    evaluate: (call) => !isNullOrEmpty(call.value(0)),
  },
  {
    name: 'IsString',
    params: [expression],
    evaluate: (call) => {
      const value = call.value(0);
      return value !== null && !Array.isArray(value);
    },
  },
  {
    name: 'Not',
    params: [{ name: 'source' }],
    // Documented as: True gives False, anything else gives True.
    evaluate: (call) => (call.text(0) ?? '').trim().toLowerCase() !== 'true',
  },
  {
    name: 'Redact',
    params: [{ name: 'value' }],
    evaluate: (call) => call.value(0),
  },
  {
    name: 'SelectUniqueValue',
    params: [{ name: 'uniqueValueRule', variadic: true, lazy: true }],
    minRepeats: 2,
    topLevelOnly: true,
    // An empty candidate can't identify anyone, so it is passed over like a null one.
    evaluate: (call) => {
      const isUnique = call.context.isUnique ?? (() => true);
      for (let i = 0; i < call.count; i++) {
        const candidate = call.text(i);
        if (candidate !== null && candidate !== '' && isUnique(candidate) === true) return candidate;
      }
      return call.fail(`every one of the ${call.count} candidate values is already taken in the target`, undefined, 'NO_UNIQUE_VALUE');
    },
  },
  {
    name: 'Switch',
    params: [
      { name: 'source' },
      { name: 'defaultValue', optional: true, lazy: true },
      { name: 'key', variadic: true, lazy: true },
      { name: 'value', variadic: true, lazy: true },
    ],
    check: (call, report) => {
      const source = call.args[0];
      if (isNullTest(source)) warn(report, source, 'the docs say not to use IsPresent, IsNull or IsNullOrEmpty as the Switch source');
    },
    // A null source compares as "", so a "" key catches absent attributes too (the docs' workaround for IIF).
    // The result depends on this call's own arguments only; Entra's known bug, where a Switch whose
    // source did not change evaluates to null when another attribute changes, has no counterpart here.
    evaluate: (call): ExpressionValue => {
      const source = call.text(0) ?? '';
      for (let key = 2; key + 1 < call.count; key += 2) {
        if ((call.text(key) ?? '') === source) return call.value(key + 1);
      }
      return call.value(1);
    },
  },
];

import type { AttributeRef, CallExpression, Comparison, ExpressionNode, Span } from './ast';
import { nodesOf } from './ast-walk';
import { findConstant } from './constants';
import type { EvaluationContext, EvaluationResult } from './evaluation-context';
import { ExpressionEvaluationError } from './expression-error';
import { APP_ROLE_ASSIGNMENTS, roleName } from './functions/directory-functions';
import { FunctionCall, type CallEnvironment } from './functions/function-call';
import { paramAt } from './functions/function-definition';
import { findFunction } from './functions/registry';
import { WorkBudgetExceeded, WorkMeter } from './text/work-meter';
import { validateAst } from './validator';
import { describeKind, scalarText, toNumber, type ExpressionValue } from './values';

const SOFT_DELETED = 'IsSoftDeleted';

function attributeError(node: AttributeRef, reason: string): ExpressionEvaluationError {
  return new ExpressionEvaluationError('INVALID_ATTRIBUTE_VALUE', null, node.span, `attribute [${node.name}] ${reason}`);
}

/** Turns whatever the caller put in `attributes` into an expression value, or a typed error. */
function toExpressionValue(raw: unknown, node: AttributeRef): ExpressionValue {
  if (raw === undefined || raw === null) return null;
  if (typeof raw === 'string' || typeof raw === 'boolean') return raw;
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) throw attributeError(node, 'holds a number that is not finite');
    return raw === 0 ? 0 : raw;
  }
  if (typeof raw === 'bigint') return raw.toString();
  if (raw instanceof Date) {
    if (Number.isNaN(raw.getTime())) throw attributeError(node, 'holds an invalid Date');
    return raw.toISOString();
  }
  if (Array.isArray(raw)) {
    return raw
      .filter((item) => item !== null && item !== undefined)
      .map((item: unknown) => {
        if (typeof item === 'string') return item;
        if ((typeof item === 'number' && Number.isFinite(item)) || typeof item === 'boolean') return scalarText(item);
        throw attributeError(node, 'holds a list with a value that is not text, a number or a boolean');
      });
  }
  throw attributeError(node, `holds ${typeof raw === 'object' ? 'an object' : `a ${typeof raw}`}, which expressions can't read`);
}

function readAttribute(context: EvaluationContext, node: AttributeRef): ExpressionValue {
  const { attributes } = context;
  if (node.name === SOFT_DELETED && context.isSoftDeleted !== undefined) return context.isSoftDeleted === true;
  if (node.name === APP_ROLE_ASSIGNMENTS && Array.isArray(context.appRoleAssignments)) {
    return context.appRoleAssignments.flatMap((assignment) => roleName(assignment) ?? []);
  }
  // Own properties only: `[constructor]` must not find Object.prototype.constructor.
  const raw = Object.prototype.hasOwnProperty.call(attributes, node.name) ? attributes[node.name] : undefined;
  return raw === undefined && node.name === SOFT_DELETED ? false : toExpressionValue(raw, node);
}

/** Numbers compare numerically when either side is a number; otherwise texts compare ordinally (case-sensitive). */
function compare(node: Comparison, left: ExpressionValue, right: ExpressionValue): boolean {
  if (Array.isArray(left) || Array.isArray(right)) {
    const reason = `'${node.operator}' can't compare ${describeKind(Array.isArray(left) ? left : right)}`;
    throw new ExpressionEvaluationError('INVALID_ARGUMENT', null, node.span, reason);
  }
  const [a, b] = [left, right] as (string | number | boolean | null)[];
  let order: number;
  if (typeof a === 'number' || typeof b === 'number') {
    const [x, y] = [toNumber(a), toNumber(b)];
    if (Number.isNaN(x!) || Number.isNaN(y!)) {
      const reason = `'${node.operator}' can't compare a number with a value that is not numeric`;
      throw new ExpressionEvaluationError('INVALID_ARGUMENT', null, node.span, reason);
    }
    order = Math.sign(x! - y!);
  } else {
    const [x, y] = [a, b].map((side) => (side === null ? '' : scalarText(side)));
    order = x! < y! ? -1 : x! > y! ? 1 : 0;
  }
  switch (node.operator) {
    case '=':
      return order === 0;
    case '<>':
      return order !== 0;
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
  }
}

/** The children evaluated before their parent: everything except the arguments a function reads lazily. */
function eagerChildren(node: ExpressionNode): ExpressionNode[] {
  if (node.kind === 'comparison') return [node.left, node.right];
  if (node.kind !== 'call') return [];
  const definition = findFunction(node.name);
  if (definition === undefined) return [];
  return node.args.filter((arg, index): arg is ExpressionNode => arg.kind !== 'omitted' && !paramAt(definition, index, node.args.length).lazy);
}

/**
 * Evaluates children before parents from an explicit stack, so nesting is limited by the text length
 * rather than the call stack; only lazily read arguments (IIF branches and the like) recurse.
 */
class Evaluation implements CallEnvironment {
  flow: 'continue' | 'skip' = 'continue';
  readonly meter: WorkMeter;

  constructor(readonly context: EvaluationContext) {
    this.meter = context.meter instanceof WorkMeter ? context.meter : new WorkMeter();
  }

  skipFlow(): void {
    this.flow = 'skip';
  }

  evaluate(root: ExpressionNode): ExpressionValue {
    const values = new Map<ExpressionNode, ExpressionValue>();
    const pending: { node: ExpressionNode; childrenQueued: boolean }[] = [{ node: root, childrenQueued: false }];
    while (pending.length > 0) {
      const top = pending.at(-1)!;
      if (!top.childrenQueued) {
        top.childrenQueued = true;
        for (const child of eagerChildren(top.node).reverse()) pending.push({ node: child, childrenQueued: false });
      } else {
        pending.pop();
        const value = this.evaluateNode(top.node, values);
        this.meter.charge(1 + sizeOf(value));
        values.set(top.node, value);
      }
    }
    return values.get(root)!;
  }

  private evaluateNode(node: ExpressionNode, values: ReadonlyMap<ExpressionNode, ExpressionValue>): ExpressionValue {
    switch (node.kind) {
      case 'string':
      case 'number':
        return node.value;
      case 'identifier': {
        const constant = findConstant(node.name);
        if (constant !== undefined) return constant.value;
        throw new ExpressionEvaluationError('INVALID_EXPRESSION', null, node.span, `unknown name '${node.name}'`);
      }
      case 'attribute':
        return readAttribute(this.context, node);
      case 'comparison':
        return compare(node, values.get(node.left)!, values.get(node.right)!);
      case 'call':
        return this.call(node, values);
    }
  }

  /** Every function runs inside this guard, so a slip in one becomes a typed error naming it. */
  private call(node: CallExpression, values: ReadonlyMap<ExpressionNode, ExpressionValue>): ExpressionValue {
    const definition = findFunction(node.name);
    if (definition === undefined) {
      throw new ExpressionEvaluationError('INVALID_EXPRESSION', node.name, node.span, `unknown function '${node.name}'`);
    }
    const argumentValues = new Map<number, ExpressionValue>();
    node.args.forEach((arg, index) => {
      if (arg.kind !== 'omitted' && values.has(arg)) argumentValues.set(index, values.get(arg)!);
    });
    try {
      return definition.evaluate(new FunctionCall(definition, node, this, argumentValues));
    } catch (error) {
      throw asEvaluationError(error, definition.name, node.span);
    }
  }
}

/** Text a node produces counts towards the budget, so nested calls that double a text soon stop. */
function sizeOf(value: ExpressionValue): number {
  if (typeof value === 'string') return value.length;
  return Array.isArray(value) ? value.reduce((sum: number, item) => sum + (typeof item === 'string' ? item.length : 1), 0) : 0;
}

function asEvaluationError(error: unknown, functionName: string | null, span: Span): ExpressionEvaluationError {
  if (error instanceof ExpressionEvaluationError) return error;
  if (error instanceof WorkBudgetExceeded) {
    const reason = `${error.message} (regular expression searches and text produced); this user's value is not computed`;
    return new ExpressionEvaluationError('TOO_MUCH_WORK', functionName, span, reason);
  }
  const tooDeep = error instanceof RangeError && /call stack/i.test(error.message);
  const reason = tooDeep ? 'the expression is nested too deeply' : 'failed unexpectedly';
  return new ExpressionEvaluationError('INTERNAL', functionName, span, `${reason} (${error instanceof Error ? error.name : typeof error})`);
}

const NO_SPAN: Span = { start: { offset: 0, line: 1, column: 1 }, end: { offset: 0, line: 1, column: 1 } };

/** The root's span, or 1:1 when the caller passed something that is not a node at all. */
function rootSpan(ast: unknown): Span {
  return typeof ast === 'object' && ast !== null && 'span' in ast ? (ast as ExpressionNode).span : NO_SPAN;
}

function isContext(context: unknown): context is EvaluationContext {
  if (typeof context !== 'object' || context === null) return false;
  const { attributes } = context as { attributes?: unknown };
  return typeof attributes === 'object' && attributes !== null;
}

export function usesRedact(ast: ExpressionNode): boolean {
  for (const node of nodesOf(ast)) if (node.kind === 'call' && node.name.toLowerCase() === 'redact') return true;
  return false;
}

/** Evaluates an AST already known to be valid; compileExpression calls this for every evaluation. */
export function evaluateValidated(ast: ExpressionNode, context: EvaluationContext, redacted: boolean): EvaluationResult {
  if (!isContext(context)) {
    throw new ExpressionEvaluationError('INVALID_CONTEXT', null, rootSpan(ast), 'the context needs an attributes object');
  }
  const evaluation = new Evaluation(context);
  try {
    const value = evaluation.evaluate(ast);
    return { value: evaluation.flow === 'skip' ? null : value, flow: evaluation.flow, redacted };
  } catch (error) {
    throw asEvaluationError(error, null, rootSpan(ast));
  }
}

/**
 * Evaluates an expression for one source object. Throws ExpressionEvaluationError, and nothing else,
 * when the expression is invalid or an input can't be used.
 */
export function evaluateExpression(ast: ExpressionNode, context: EvaluationContext): EvaluationResult {
  let firstError;
  let redacted;
  try {
    firstError = validateAst(ast).find((problem) => problem.severity === 'error');
    redacted = usesRedact(ast);
  } catch (error) {
    throw asEvaluationError(error, null, rootSpan(ast));
  }
  if (firstError !== undefined) {
    throw new ExpressionEvaluationError('INVALID_EXPRESSION', firstError.functionName, firstError.span, firstError.reason);
  }
  return evaluateValidated(ast, context, redacted);
}

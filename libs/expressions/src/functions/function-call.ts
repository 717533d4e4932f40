import type { Argument, CallExpression, ExpressionNode } from '../ast';
import type { EvaluationContext } from '../evaluation-context';
import { ExpressionEvaluationError, type EvaluationErrorCode } from '../expression-error';
import { describeKind, scalarText, toNumber, type ExpressionValue } from '../values';
import type { WorkMeter } from '../text/work-meter';
import { paramAt, type FunctionDefinition } from './function-definition';

/** What a function implementation may ask of the evaluator. */
export interface CallEnvironment {
  readonly context: EvaluationContext;
  readonly meter: Pick<WorkMeter, 'charge'>;
  evaluate(node: ExpressionNode): ExpressionValue;
  skipFlow(): void;
}

/**
 * One call being evaluated. `values` holds the arguments evaluated beforehand; lazy ones are evaluated
 * on first read, which gives IIF, Switch, Coalesce and SelectUniqueValue their short-circuit behaviour.
 * The typed readers turn a wrong kind of value into an ExpressionEvaluationError naming the function
 * and the argument.
 */
export class FunctionCall {
  constructor(
    readonly definition: FunctionDefinition,
    readonly node: CallExpression,
    private readonly environment: CallEnvironment,
    private readonly values: Map<number, ExpressionValue>,
  ) {}

  get context(): EvaluationContext {
    return this.environment.context;
  }

  /** Functions whose work is not bounded by the size of their arguments (repeated regex searches) charge it here. */
  get meter(): Pick<WorkMeter, 'charge'> {
    return this.environment.meter;
  }

  get count(): number {
    return this.node.args.length;
  }

  argument(index: number): Argument | undefined {
    return this.node.args[index];
  }

  /** False when the argument is left off or left empty between commas. */
  isGiven(index: number): boolean {
    const node = this.node.args[index];
    return node !== undefined && node.kind !== 'omitted';
  }

  evaluate(node: ExpressionNode): ExpressionValue {
    return this.environment.evaluate(node);
  }

  skipFlow(): void {
    this.environment.skipFlow();
  }

  /** The argument's value; null when it was not given. */
  value(index: number): ExpressionValue {
    if (!this.values.has(index)) {
      const node = this.node.args[index];
      this.values.set(index, node === undefined || node.kind === 'omitted' ? null : this.environment.evaluate(node));
    }
    return this.values.get(index)!;
  }

  /** A single value as text; null stays null. */
  text(index: number): string | null {
    const value = this.value(index);
    if (value === null) return null;
    if (Array.isArray(value)) return this.fail(`${this.label(index)} must be a single value, got ${describeKind(value)}`, index);
    return scalarText(value as string | number | boolean);
  }

  requiredText(index: number): string {
    return this.text(index) ?? this.fail(`${this.label(index)} is null`, index);
  }

  integer(index: number): number {
    const value = this.number(index);
    if (!Number.isInteger(value)) this.fail(`${this.label(index)} must be a whole number`, index);
    return value;
  }

  number(index: number): number {
    const value = this.value(index);
    const parsed = toNumber(value);
    if (!Number.isFinite(parsed)) {
      const problem = value === null ? 'is null' : `must be a number, got ${describeKind(value)}`;
      this.fail(`${this.label(index)} ${problem}`, index);
    }
    return parsed === 0 ? 0 : parsed;
  }

  /** The values of a multi-valued argument; a single value counts as one, null as none. */
  textValues(index: number): readonly string[] {
    const value = this.value(index);
    if (value === null) return [];
    if (!Array.isArray(value)) return [scalarText(value as string | number | boolean)];
    if (value.some((item) => typeof item !== 'string')) this.fail(`${this.label(index)} must hold text values`, index);
    return value as readonly string[];
  }

  fail(reason: string, index?: number, code: EvaluationErrorCode = 'INVALID_ARGUMENT'): never {
    const node = index === undefined ? undefined : this.node.args[index];
    throw new ExpressionEvaluationError(code, this.definition.name, node?.span ?? this.node.span, reason);
  }

  label(index: number): string {
    return `argument ${index + 1} (${paramAt(this.definition, index, this.count).name})`;
  }
}

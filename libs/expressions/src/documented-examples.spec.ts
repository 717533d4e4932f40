import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { compileExpression, ExpressionEvaluationError, formatValue, validateExpression, type EvaluationContext } from './index';

/** The shape of __fixtures__/entra-expression-examples.json (see its "about"). */
interface Expectation {
  readonly value?: unknown;
  readonly flow?: 'skip';
  readonly pattern?: string;
  readonly redacted?: boolean;
  readonly evaluationError?: string;
}
interface Check {
  readonly attributes: Record<string, unknown>;
  readonly expect: Expectation;
  readonly now?: string;
  readonly defaultDomain?: string;
  readonly why?: string;
}
interface Example {
  readonly function: string;
  readonly expression: string;
  readonly inputs: Record<string, unknown>;
  readonly output: unknown;
  readonly sources: readonly string[];
  readonly validation?: { readonly error?: string; readonly warning?: string };
  readonly checks: readonly Check[];
}
interface ReferenceFile {
  readonly sources: readonly { readonly id: string; readonly ref: string }[];
  readonly functions: readonly { readonly name: string; readonly examples: readonly Omit<Example, 'function' | 'checks'>[] }[];
}

const fixture = JSON.parse(readFileSync(resolve(__dirname, '__fixtures__/entra-expression-examples.json'), 'utf8')) as { examples: Example[] };
const REFERENCE_PATH = resolve(__dirname, '../../..', '../shared/reference/entra-expression-examples.json');

function contextOf(check: Check): EvaluationContext {
  return {
    attributes: check.attributes,
    now: check.now === undefined ? undefined : () => new Date(check.now!),
    defaultDomain: check.defaultDomain,
  };
}

function verify(example: Example, check: Check): void {
  const compiled = compileExpression(example.expression);
  const { expect: expected } = check;
  if (expected.evaluationError !== undefined) {
    expect(() => compiled.evaluate(contextOf(check))).toThrow(ExpressionEvaluationError);
    expect(() => compiled.evaluate(contextOf(check))).toThrow(expect.objectContaining({ code: expected.evaluationError }));
    return;
  }
  const result = compiled.evaluate(contextOf(check));
  expect(result.flow).toBe(expected.flow ?? 'continue');
  if ('value' in expected) {
    expect(Array.isArray(expected.value) ? result.value : formatValue(result.value)).toEqual(expected.value);
  }
  if (expected.pattern !== undefined) expect(formatValue(result.value)).toMatch(new RegExp(expected.pattern));
  expect(result.redacted).toBe(expected.redacted ?? false);
}

describe('documented Entra examples (fixture copy)', () => {
  const cases = fixture.examples.map((example, index) => ({ ...example, title: `#${index} ${example.function}: ${example.expression.replace(/\s+/g, ' ')}` }));

  it.each(cases)('$title validates as expected', (example) => {
    const problems = validateExpression(example.expression);
    const errors = problems.filter((p) => p.severity === 'error').map((p) => p.code);
    const warnings = problems.filter((p) => p.severity === 'warning').map((p) => p.code);
    expect(errors).toEqual(example.validation?.error === undefined ? [] : [example.validation.error]);
    expect(warnings).toEqual(example.validation?.warning === undefined ? [] : [example.validation.warning]);
  });

  const checks = cases.flatMap((example) =>
    example.checks.map((check, i) => ({ example, check, title: `${example.title} [check ${i + 1}${check.why ? `: ${check.why}` : ''}]` })),
  );
  it.each(checks)('$title', ({ example, check }) => verify(example, check));
});

const describeIfReference = existsSync(REFERENCE_PATH) ? describe : describe.skip;

describeIfReference('fixture against /work/shared/reference', () => {
  it('holds every reference example unchanged', () => {
    const reference = JSON.parse(readFileSync(REFERENCE_PATH, 'utf8')) as ReferenceFile;
    const ids = new Map(reference.sources.map((source) => [source.ref, source.id]));
    const documented = reference.functions.flatMap((fn) =>
      fn.examples.map((example) => ({
        function: fn.name,
        expression: example.expression,
        inputs: example.inputs,
        output: example.output,
        sources: example.sources ?? (example as unknown as { source: string[] }).source.map((ref) => ids.get(ref) ?? ref),
      })),
    );
    const copied = fixture.examples.map(({ function: fn, expression, inputs, output, sources }) => ({ function: fn, expression, inputs, output, sources }));
    expect(copied).toEqual(documented);
  });
});

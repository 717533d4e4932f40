import { compileExpression, ExpressionEvaluationError, validateExpression, WorkMeter } from '../index';

const UNSUPPORTED = "which Roster's linear-time regular expressions (RE2) do not support";

function evaluate(text: string, attributes: Record<string, unknown>, meter?: WorkMeter): unknown {
  return compileExpression(text).evaluate({ attributes, meter }).value;
}

function evaluationError(text: string, attributes: Record<string, unknown>, meter?: WorkMeter): ExpressionEvaluationError {
  try {
    evaluate(text, attributes, meter);
  } catch (error) {
    if (error instanceof ExpressionEvaluationError) return error;
    throw error;
  }
  throw new Error(`${text} evaluated without error`);
}

describe('Replace with a regular expression from hostile input', () => {
  // The case: 32 characters blocked a backtracking engine for 17 s, doubling with each more.
  // Finishing is the check; nothing here measures time.
  it('runs a nested-quantifier pattern over a long value in linear time', () => {
    expect(evaluate('Replace([givenName], , "^(a+)+$", , "x", , )', { givenName: `${'a'.repeat(5000)}!` })).toBe(`${'a'.repeat(5000)}!`);
    expect(evaluate('Replace([givenName], , "^(a+)+$", , "x", , )', { givenName: 'a'.repeat(5000) })).toBe('x');
  });

  it('runs such a pattern when it comes from a directory attribute', () => {
    const attributes = { givenName: `${'a'.repeat(5000)}!`, pattern: '(a|aa)+$' };
    expect(evaluate('Replace([givenName], , [pattern], , "x", , )', attributes)).toBe(attributes.givenName);
  });

  it.each([
    ['(?<first>\\\\w)\\\\k<first>', 'a backreference'],
    ['(a)\\\\1', 'a backreference'],
    ['^(?=a)', 'lookahead or lookbehind'],
    ['(?<!@)x', 'lookahead or lookbehind'],
    ['(?>a+)b', 'an atomic group'],
    ['a++', 'a possessive quantifier'],
  ])('refuses %s when the mapping is saved, naming %s', (pattern, construct) => {
    const [problem] = validateExpression(`Replace([a], , "${pattern}", , "", , )`);
    expect(problem).toEqual(expect.objectContaining({ code: 'INVALID_ARGUMENT', reason: `argument 3 of Replace uses ${construct}, ${UNSUPPORTED}` }));
  });

  it('fails only the user whose attribute holds a pattern RE2 cannot run, without quoting it', () => {
    const expression = compileExpression('Replace([mail], , [pattern], , "", , )');
    const users = [
      { mail: 'ann@contoso.com', pattern: '@.*' },
      { mail: 'bob@contoso.com', pattern: '(secret)\\1' },
      { mail: 'cy@contoso.com', pattern: '@.*' },
    ];
    const outcomes = users.map((attributes) => {
      try {
        return expression.evaluate({ attributes }).value;
      } catch (error) {
        return error instanceof ExpressionEvaluationError ? `${error.code}: ${error.message}` : error;
      }
    });
    expect(outcomes).toEqual(['ann', `INVALID_ARGUMENT: Replace: argument 3 (regexPattern) uses a backreference, ${UNSUPPORTED} at 1:19`, 'cy']);
  });
});

describe('Replace keeps the .NET semantics the docs rely on', () => {
  it.each([
    ['Replace([p], , "\\\\+(?<isdCode>\\\\d* )(?<phoneNumber>\\\\d{10})", , "${phoneNumber}", , )', { p: '+1 4255551234' }, '4255551234'],
    ['Replace([p], , "(\\\\d+)-(\\\\d+)", , "$2-$1 ($&, $$)", , )', { p: '12-34' }, '34-12 (12-34, $)'],
    ['Replace([p], , "(?<Suffix>@(.)*)", "Suffix", "", , )', { p: 'ann@contoso.com' }, 'ann'],
    ['Replace([p], , "a*", , "-", , )', { p: 'baab' }, '-b--b-'],
    ['Replace([p], , "\\\\u00e9", , "e", , )', { p: 'José' }, 'Jose'],
    ['Replace([p], , "(?i)JOSÉ", , "x", , )', { p: 'josé' }, 'x'],
    ['Replace([p], , "${missing}", , "x", , )', { p: 'a' }, 'a'],
    ['Replace([p], , "(?<n>\\\\d+)", , "${n}${other}$9", , )', { p: 'a1' }, 'a1${other}$9'],
    ['Replace([p], , "\\\\+(?<isdCode>\\\\d* )(?<phoneNumber>\\\\d{10})", "phoneNumber", , [mobile], )', { mobile: '+1 4255551234' }, '4255551234'],
  ])('%s', (text, attributes, expected) => {
    expect(evaluate(text, attributes)).toBe(expected);
  });
});

describe('the work budget', () => {
  it('stops a replace-all whose searches would scan more than the budget, for that evaluation only', () => {
    const text = 'Replace([p], , "a*b|a", , "x", , )';
    const meter = new WorkMeter(50_000);
    const error = evaluationError(text, { p: 'a'.repeat(1000) }, meter);
    expect(error.code).toBe('TOO_MUCH_WORK');
    expect(error.message).toBe(
      "Replace: the evaluation needs more than 50000 steps (regular expression searches and text produced); this user's value is not computed at 1:1",
    );
    expect(meter.used).toBeLessThanOrEqual(meter.budget);
    expect(evaluate(text, { p: 'a'.repeat(20) }, new WorkMeter(50_000))).toBe('x'.repeat(20));
  });

  it('stops text doubled by nested calls before it takes the memory', () => {
    let text = '[a]';
    for (let i = 0; i < 40; i++) text = `Replace(${text}, "@", , , , , "@@")`;
    expect(evaluationError(text, { a: 'abcdefgh' }).code).toBe('TOO_MUCH_WORK');
  });

  it('counts steps, not time: a search is charged for the text it may scan', () => {
    const steps = (length: number) => {
      const meter = new WorkMeter();
      evaluate('Replace([p], , "^(a+)+$", , "x", , )', { p: 'a'.repeat(length) }, meter);
      return meter.used;
    };
    // Linear in the value's length: twice the text, twice the steps (give or take the fixed part).
    expect(steps(3000) - steps(2000)).toBe(steps(2000) - steps(1000));
  });
});

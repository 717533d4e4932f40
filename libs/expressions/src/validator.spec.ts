import { compileExpression, ExpressionSyntaxError, ExpressionValidationError, validateExpression } from './index';

function messages(text: string): string[] {
  return validateExpression(text).map((problem) => `${problem.severity} ${problem.code}: ${problem.message}`);
}

describe('validateExpression', () => {
  it('accepts valid expressions, whatever the case of function names', () => {
    expect(validateExpression('IgnoreFlowIfNullOrEmpty(switch([companyName], [companyName], "Company A", "A"))')).toEqual([]);
    expect(validateExpression('join(",", [a], [b])')).toEqual([]);
  });

  it.each([
    ['Apend([a], "x")', ["error UNKNOWN_FUNCTION: unknown function 'Apend'; did you mean Append? at 1:1"]],
    ['Frobnicate([a])', ["error UNKNOWN_FUNCTION: unknown function 'Frobnicate' at 1:1"]],
    ['Left("x")', ['error WRONG_ARITY: Left expects 2 arguments (String, NumChars), got 1 at 1:1']],
    ['Guid(1)', ['error WRONG_ARITY: Guid expects 0 arguments (), got 1 at 1:1']],
    ['InStr("a")', ['error WRONG_ARITY: InStr expects 2 to 4 arguments (value1, value2, start?, compareType?), got 1 at 1:1']],
    ['Join(",")', ['error WRONG_ARITY: Join expects at least 2 arguments (separator, source, …), got 1 at 1:1']],
    [
      'Switch([a], "d", "k")',
      ['error WRONG_ARITY: Switch expects at least 4 arguments (source, defaultValue?, key, value, …); key and value come in groups, got 3 at 1:1'],
    ],
    [
      'FormatDateTime([d], "yyyy")',
      ['error WRONG_ARITY: FormatDateTime expects 4 arguments (source, dateTimeStyles?, inputFormat, outputFormat) or 3 (source, inputFormat, outputFormat), got 2 at 1:1'],
    ],
    ['Append(, "x")', ["error MISSING_ARGUMENT: argument 1 (source) of Append can't be left empty at 1:8"]],
    ['Mid("abc", "one", 2)', ['error INVALID_ARGUMENT: argument 2 (start) of Mid must be a whole number at 1:12']],
    ['Left("abc", 1.5)', ['error INVALID_ARGUMENT: argument 2 (NumChars) of Left must be a whole number at 1:13']],
    ['Item([m], 0)', ['error INVALID_ARGUMENT: Item indexes start at 1 at 1:11']],
    ['ToLower(SelectUniqueValue([a], [b]))', ['error MISPLACED_FUNCTION: SelectUniqueValue must be the whole expression, not nested in another call at 1:9']],
    ['SingleAppRoleAssignment([roles])', ['error INVALID_ARGUMENT: the argument of SingleAppRoleAssignment must be [appRoleAssignments] at 1:25']],
    ['DateAdd("q", 1, Now())', ["error INVALID_ARGUMENT: argument 1 of DateAdd is not an interval; use one of yyyy, m, d, ww, h, n, s at 1:9"]],
    ['FormatDateTime([d], , "yyyy\'", "d")', [
      'error INVALID_ARGUMENT: argument 3 of FormatDateTime has a quote at position 5 that is never closed at 1:23',
      'error INVALID_ARGUMENT: argument 4 of FormatDateTime is a one-letter standard format other than o, s or u; put % before a single field at 1:32',
    ]],
    ['FormatDateTime([d], "Sometimes", "yyyy", "yyyy")', ["error INVALID_ARGUMENT: argument 2 of FormatDateTime names an unknown DateTimeStyles value at 1:21"]],
    ['ToUpper([a], "not a culture")', ["error INVALID_ARGUMENT: argument 2 of ToUpper is not an RFC 4646 culture name such as en-US at 1:14"]],
    ['Replace([a], "x", , , , , )', [
      'error INVALID_ARGUMENT: Replace needs oldValue with replacementValue or template, or regexPattern with replacementValue, or regexPattern and regexGroupName with replacementValue or replacementAttributeName at 1:1',
    ]],
    ['Replace([a], , "(?<x>a", , "", , )', ['error INVALID_ARGUMENT: argument 3 of Replace is not a valid regular expression (missing closing )) at 1:16']],
    ['Replace([a], , "(?<x>a)", "y", "", , )', ["error INVALID_ARGUMENT: argument 3 of Replace has no group named 'y' at 1:16"]],
    ['InStr("a", "b", 1, vbFastCompare)', ["error UNKNOWN_NAME: unknown name 'vbFastCompare': text needs double quotes, and a function call needs () at 1:20"]],
    ['IIF(IsPresent([country]), [country], "Other")', [
      'warning UNSUPPORTED_IN_ENTRA: Entra fails IIF conditions on null or empty attributes, so this test never sees them; use Switch([attr], [attr], "", "default") instead at 1:5',
    ]],
    ['IIF([country] = "", "Other", [country])', [
      'warning UNSUPPORTED_IN_ENTRA: Entra fails IIF conditions on null or empty attributes, so this test never sees them; use Switch([attr], [attr], "", "default") instead at 1:5',
    ]],
    ['IIF(IgnoreFlowIfNullOrEmpty([country]), [country], "Other")', [
      'warning UNSUPPORTED_IN_ENTRA: IgnoreFlowIfNullOrEmpty is not supported in an IIF condition; wrap the IIF instead at 1:5',
    ]],
    ['Switch(IsNull([a]), "x", "True", "y")', ['warning UNSUPPORTED_IN_ENTRA: the docs say not to use IsPresent, IsNull or IsNullOrEmpty as the Switch source at 1:8']],
    ['Join(",", [a]', ["error UNEXPECTED_TOKEN: expected ')' after argument 2 of Join at 1:14"]],
  ])('%s', (text, expected) => {
    expect(messages(text)).toEqual(expected);
  });

  it('reports every problem at once, naming the function each belongs to', () => {
    const problems = validateExpression('Join(",",\n  Lefft([a], 1),\n  Mid([b], 0.5, 1))');
    expect(problems.map((p) => [p.code, p.functionName, p.span.start.line, p.span.start.column])).toEqual([
      ['UNKNOWN_FUNCTION', 'Lefft', 2, 3],
      ['INVALID_ARGUMENT', 'Mid', 3, 12],
    ]);
  });
});

describe('compileExpression', () => {
  it('throws ExpressionValidationError listing the problems, and ExpressionSyntaxError for bad syntax', () => {
    expect(() => compileExpression('Left("x")')).toThrow(ExpressionValidationError);
    expect(() => compileExpression('Left("x")')).toThrow('Left expects 2 arguments (String, NumChars), got 1 at 1:1');
    expect(() => compileExpression('Left("x"')).toThrow(ExpressionSyntaxError);
  });

  it('keeps warnings, the canonical text and the attributes read', () => {
    const compiled = compileExpression('iif(IsPresent([country]),[country],Coalesce([region], [country]))');
    expect(compiled.canonicalText).toBe('IIF(IsPresent([country]), [country], Coalesce([region], [country]))');
    expect(compiled.referencedAttributes).toEqual(['country', 'region']);
    expect(compiled.warnings.map((w) => w.code)).toEqual(['UNSUPPORTED_IN_ENTRA']);
    expect(compiled.redacted).toBe(false);
  });
});

import { compileExpression, ExpressionEvaluationError, printExpression, parseExpression, validateExpression } from '../index';

describe("FormatDateTime's three-argument form (Entra's 2020 docs)", () => {
  const evaluate = (text: string, d: string) => compileExpression(text).evaluate({ attributes: { d } }).value;

  it('gives what the four-argument form gives with dateTimeStyles left empty', () => {
    const cases = [
      ['20150123105347.1Z', 'yyyyMMddHHmmss.fZ', 'yyyy-MM-dd'],
      ['2020-12-31+08:00', 'yyyy-MM-ddzzz', 'dd MMM yyyy HH:mm'],
      ['2/5/2024', 'M/d/yyyy', 'yyyyMMdd'],
    ];
    for (const [d, input, output] of cases) {
      expect(evaluate(`FormatDateTime([d], "${input}", "${output}")`, d!)).toBe(evaluate(`FormatDateTime([d], , "${input}", "${output}")`, d!));
    }
  });

  it('names its own parameters in errors and validation', () => {
    expect(() => evaluate('FormatDateTime([d], "yyyy-MM-dd", "yyyy")', '31/12/2020')).toThrow(ExpressionEvaluationError);
    expect(() => evaluate('FormatDateTime([d], [d], "yyyy")', '')).toThrow(/^FormatDateTime: argument 2 \(inputFormat\) is an empty date format/);
    expect(validateExpression('FormatDateTime([d], "yyyy-MM-dd", "%")')).toEqual([
      expect.objectContaining({ code: 'INVALID_ARGUMENT', reason: expect.stringMatching(/^argument 3 of FormatDateTime /) }),
    ]);
  });

  it('is printed as written, and a wrong count names both forms', () => {
    expect(printExpression(parseExpression('FormatDateTime([d], "yyyy", "yy")'))).toBe('FormatDateTime([d], "yyyy", "yy")');
    expect(validateExpression('FormatDateTime([d], "yyyy")')).toEqual([
      expect.objectContaining({
        code: 'WRONG_ARITY',
        reason: 'FormatDateTime expects 4 arguments (source, dateTimeStyles?, inputFormat, outputFormat) or 3 (source, inputFormat, outputFormat), got 2',
      }),
    ]);
  });
});

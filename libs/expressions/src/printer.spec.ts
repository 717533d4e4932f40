import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { withoutSpans } from './__fixtures__/without-spans';
import { FUNCTION_NAMES, parseExpression, printExpression } from './index';

const examples = (JSON.parse(readFileSync(resolve(__dirname, '__fixtures__/entra-expression-examples.json'), 'utf8')) as { examples: { expression: string }[] }).examples
  .map((example) => example.expression)
  .filter((expression) => !expression.includes('...'));

const CANONICAL = new Map(FUNCTION_NAMES.map((name) => [name.toLowerCase(), name]));

/** The tree as the printer sees it: no positions, function names in documented casing. */
function canonicalTree(text: string): unknown {
  return JSON.parse(JSON.stringify(withoutSpans(parseExpression(text)), (key, value: unknown) => (key === 'name' && typeof value === 'string' ? (CANONICAL.get(value.toLowerCase()) ?? value) : value)));
}

describe('printExpression', () => {
  it.each([
    ['join ( "," ,[a] )', 'Join(",", [a])'],
    ['REPLACE([mail], "@contoso.com", , ,"", ,)', 'Replace([mail], "@contoso.com", , , "", , )'],
    ['BitAnd(&HF, &HF7)', 'BitAnd(15, 247)'],
    ['IIF([a]="b",[c],[d])', 'IIF([a] = "b", [c], [d])'],
    ['InStr("a","b",1,VBBINARYCOMPARE)', 'InStr("a", "b", 1, vbBinaryCompare)'],
    ['"say \\"hi\\" C:\\\\ \\d"', '"say \\"hi\\" C:\\\\ \\\\d"'],
    ['Custom( [x] ,1.50)', 'Custom([x], 1.5)'],
    ['Guid( )', 'Guid()'],
    ['F(,)', 'F(, )'],
  ])('prints %s as %s', (text, canonical) => {
    expect(printExpression(parseExpression(text))).toBe(canonical);
  });

  it.each(examples)('round-trips the documented example %j', (text) => {
    const printed = printExpression(parseExpression(text));
    expect(canonicalTree(printed)).toEqual(canonicalTree(text));
    expect(printExpression(parseExpression(printed))).toBe(printed);
  });
});

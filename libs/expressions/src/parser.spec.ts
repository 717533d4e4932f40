import { withoutSpans } from './__fixtures__/without-spans';
import { ExpressionSyntaxError, MAX_EXPRESSION_LENGTH, parseExpression, type CallExpression } from './index';

function syntaxError(text: string): ExpressionSyntaxError {
  try {
    parseExpression(text);
  } catch (error) {
    if (error instanceof ExpressionSyntaxError) return error;
    throw error;
  }
  throw new Error(`expected a syntax error for ${text}`);
}

describe('parseExpression', () => {
  it('builds calls, attributes and literals with source positions', () => {
    const ast = parseExpression('Join(",",\n  [surname], 7)') as CallExpression;
    expect(ast).toEqual({
      kind: 'call',
      name: 'Join',
      span: { start: { offset: 0, line: 1, column: 1 }, end: { offset: 25, line: 2, column: 16 } },
      args: [
        { kind: 'string', value: ',', span: { start: { offset: 5, line: 1, column: 6 }, end: { offset: 8, line: 1, column: 9 } } },
        { kind: 'attribute', name: 'surname', span: { start: { offset: 12, line: 2, column: 3 }, end: { offset: 21, line: 2, column: 12 } } },
        { kind: 'number', value: 7, span: { start: { offset: 23, line: 2, column: 14 }, end: { offset: 24, line: 2, column: 15 } } },
      ],
    });
  });

  it('ignores whitespace and line breaks between tokens', () => {
    expect(withoutSpans(parseExpression('  Join ( "," ,\r\n\t[a] )  '))).toEqual(withoutSpans(parseExpression('Join(",",[a])')));
  });

  it('reads backslash escapes in strings and keeps other backslashes', () => {
    expect(parseExpression('"Company name: \\"Contoso\\""')).toMatchObject({ value: 'Company name: "Contoso"' });
    expect(parseExpression('"C:\\\\dir"')).toMatchObject({ value: 'C:\\dir' });
    expect(parseExpression('"[()\\s-]+"')).toMatchObject({ value: '[()\\s-]+' });
    expect(parseExpression('"line\nbreak"')).toMatchObject({ value: 'line\nbreak' });
  });

  it.each([
    ['[extensionAttribute1]', 'extensionAttribute1'],
    ['[manager.mail]', 'manager.mail'],
    ['[extension_9d98ed114c4840d298fad781915f27e4_employeeID]', 'extension_9d98ed114c4840d298fad781915f27e4_employeeID'],
    ['[urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber]', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber'],
    ['[Display Name]', 'Display Name'],
  ])('reads the attribute %s', (text, name) => {
    expect(parseExpression(text)).toMatchObject({ kind: 'attribute', name });
  });

  it.each([
    ['-10', -10],
    ['1.5', 1.5],
    ['&HF7', 247],
    ['&hff', 255],
    ['1e3', 1000],
    ['129699324000000000', 129699324000000000],
    ['-0', 0],
  ])('reads the number %s', (text, value) => {
    expect(parseExpression(text)).toMatchObject({ kind: 'number', value });
  });

  it('reads empty arguments between commas, and () as no arguments', () => {
    const ast = parseExpression('Replace([mail], , "x", ,)') as CallExpression;
    expect(ast.args.map((arg) => arg.kind)).toEqual(['attribute', 'omitted', 'string', 'omitted', 'omitted']);
    expect((parseExpression('Guid( )') as CallExpression).args).toEqual([]);
    expect((parseExpression('F(,)') as CallExpression).args.map((arg) => arg.kind)).toEqual(['omitted', 'omitted']);
  });

  it.each(['=', '<>', '<', '<=', '>', '>='])('reads the comparison %s', (operator) => {
    expect(parseExpression(`Len([a]) ${operator} 5`)).toMatchObject({ kind: 'comparison', operator, left: { kind: 'call' }, right: { value: 5 } });
  });

  it('reads bare names as identifiers and names before ( as calls', () => {
    expect(parseExpression('vbTextCompare')).toMatchObject({ kind: 'identifier', name: 'vbTextCompare' });
    expect(parseExpression('Join ("", [a])')).toMatchObject({ kind: 'call', name: 'Join' });
  });

  it('nests to any depth the length limit allows', () => {
    const depth = Math.floor((MAX_EXPRESSION_LENGTH - 6) / 5);
    const text = `${'Not('.repeat(depth)}"True"${')'.repeat(depth)}`;
    let node = parseExpression(text);
    for (let level = 0; level < depth; level++) node = (node as CallExpression).args[0] as CallExpression;
    expect(node).toMatchObject({ kind: 'string', value: 'True' });
  });

  it('reports an unclosed call 5,000 levels deep as a syntax error', () => {
    const error = syntaxError('X('.repeat(MAX_EXPRESSION_LENGTH / 2));
    expect(error.message).toBe('expected argument 1 of X, found the end of the expression at 1:10001');
  });

  it('parses an expression of exactly 10,000 characters', () => {
    const prefix = 'Join(",", "';
    const text = `${prefix}${'x'.repeat(MAX_EXPRESSION_LENGTH - prefix.length - 2)}")`;
    expect(text).toHaveLength(MAX_EXPRESSION_LENGTH);
    expect(parseExpression(text)).toMatchObject({ kind: 'call', name: 'Join' });
  });
});

describe('syntax errors', () => {
  it.each([
    ['Join(",", "abc', 'INVALID_TOKEN', `unclosed string: the '"' here has no closing '"' at 1:11`],
    ['Append([givenName, ".x")', 'INVALID_TOKEN', "unclosed attribute: expected ']' to close the '[' here at 1:8"],
    ['Append([givenName', 'INVALID_TOKEN', "unclosed attribute: expected ']' to close the '[' here at 1:8"],
    ['Join("," [a])', 'UNEXPECTED_TOKEN', "expected ',' or ')' after argument 1 of Join, found attribute [a] at 1:10"],
    ['Join(",", [a], [b]', 'UNEXPECTED_TOKEN', "expected ')' after argument 3 of Join at 1:19"],
    ['Join(",",\n  Mid([a], 1, 2\n)', 'UNEXPECTED_TOKEN', "expected ')' after argument 2 of Join at 3:2"],
    ['Append([a], "x") extra', 'UNEXPECTED_TOKEN', "unexpected name 'extra' after the end of the expression at 1:18"],
    ['Append([a], "x"))', 'UNEXPECTED_TOKEN', "unexpected ')' after the end of the expression at 1:17"],
    ['Append(, ', 'UNEXPECTED_TOKEN', 'expected argument 2 of Append, found the end of the expression at 1:10'],
    ['[a] = )', 'UNEXPECTED_TOKEN', "expected a value after '=', found ')' at 1:7"],
    ['[a] = [b] = [c]', 'UNEXPECTED_TOKEN', "comparisons cannot be chained; nest IIF calls instead at 1:11"],
    ['', 'EMPTY_EXPRESSION', 'the expression is empty at 1:1'],
    ['  \n ', 'EMPTY_EXPRESSION', 'the expression is empty at 2:2'],
    ['[]', 'INVALID_TOKEN', 'empty attribute name at 1:1'],
    ['[ a]', 'INVALID_TOKEN', "attribute name ' a' starts or ends with whitespace at 1:1"],
    ['Left(“John”, 2)', 'INVALID_TOKEN', `unexpected character '“': strings need straight double quotes (") at 1:6`],
    ['[a] & "x"', 'INVALID_TOKEN', "unexpected character '&': join strings with Join or Append at 1:5"],
    ['Left("a", 12abc)', 'INVALID_TOKEN', "invalid number '12a' at 1:11"],
    ['Mid("a", 1e999, 1)', 'INVALID_TOKEN', 'number 1e999 is out of range at 1:10'],
    ['IIF([a] == "x", 1, 2)', 'UNEXPECTED_TOKEN', "expected a value after '=', found '=' at 1:10"],
    ['Join(",", #)', 'INVALID_TOKEN', "unexpected character '#' at 1:11"],
  ])('%j → %s', (text, code, message) => {
    const error = syntaxError(text);
    expect(error.code).toBe(code);
    expect(error.message).toBe(message);
  });

  it('rejects more than 10,000 characters with the position of the first character past the limit', () => {
    const text = `Join(",", "${'x'.repeat(MAX_EXPRESSION_LENGTH)}")`;
    const error = syntaxError(text);
    expect(error.code).toBe('EXPRESSION_TOO_LONG');
    expect(error.position).toEqual({ offset: 10_000, line: 1, column: 10_001 });
    expect(error.message).toBe(`the expression is ${text.length} characters long; the limit is 10000 at 1:10001`);
  });
});

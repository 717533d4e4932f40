import {
  auditText,
  compileExpression,
  CONTEXT_ATTRIBUTES,
  evaluateExpression,
  ExpressionEvaluationError,
  MAX_EXPRESSION_LENGTH,
  parseExpression,
  printExpression,
  referencedAttributes,
  validateExpression,
  type EvaluationContext,
} from './index';

function evaluate(text: string, attributes: Record<string, unknown> = {}, context: Partial<EvaluationContext> = {}) {
  return evaluateExpression(parseExpression(text), { attributes, ...context });
}

function evaluationError(run: () => unknown): ExpressionEvaluationError {
  try {
    run();
  } catch (error) {
    if (error instanceof ExpressionEvaluationError) return error;
    throw error;
  }
  throw new Error('expected an ExpressionEvaluationError');
}

describe('evaluateExpression', () => {
  it('is a pure function of the source user: a Switch keeps its value when other attributes change (unlike Entra)', () => {
    const mapping = compileExpression('Switch([companyName], "External", "Company A", "A", "Company B", "B")');
    const before = { companyName: 'Company A', department: 'Sales', jobTitle: 'Rep' };
    const after = { ...before, department: 'Marketing', jobTitle: 'Lead' };
    expect(mapping.evaluate({ attributes: before }).value).toBe('A');
    expect(mapping.evaluate({ attributes: after }).value).toBe('A');
    expect(mapping.evaluate({ attributes: before })).toEqual(mapping.evaluate({ attributes: after }));
  });

  it('validates an AST it was handed and reports problems as typed errors', () => {
    const error = evaluationError(() => evaluate('Join(",",\n Lefft([a], 1))'));
    expect(error.code).toBe('INVALID_EXPRESSION');
    expect(error.functionName).toBe('Lefft');
    expect(error.position).toEqual({ offset: 11, line: 2, column: 2 });
    expect(error.message).toBe('Lefft: unknown function \'Lefft\'; did you mean Left? at 2:2');
  });

  it('names the function and the argument position of a bad input', () => {
    const error = evaluationError(() => evaluate('Append("x",\n  Mid([a], [start], 2))', { a: 'abc', start: 'first' }));
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', functionName: 'Mid', reason: 'argument 2 (start) must be a number, got a string' });
    expect(error.position).toEqual({ offset: 23, line: 2, column: 12 });
  });

  it.each([
    'Redact(CDate([secret]))',
    'CDate([date])',
    'FormatDateTime([secret], , "yyyy-MM-dd", "yyyy")',
    'FormatDateTime([date], , [secret], "yyyy")',
    'ToLower("x", [secret])',
    'DateAdd([secret], 1, Now())',
    'Replace("x", , [secret], , "", , )',
    'Left("x", [secret])',
    '[secret] > 1',
  ])('never quotes attribute values in errors, so redacted data stays out of logs: %s', (text) => {
    const error = evaluationError(() => evaluate(text, { secret: 'hunter2 (', date: '2021-02-29' }));
    expect(error.message).not.toMatch(/hunter2|2021|02|29/);
  });

  it('evaluates only the branch IIF picks and stops Coalesce at the first value', () => {
    expect(evaluate('IIF("True", "ok", Mid("x", 0, 1))').value).toBe('ok');
    expect(evaluate('Coalesce("first", Mid("x", 0, 1))').value).toBe('first');
    expect(evaluate('Switch("a", Mid("x", 0, 1), "a", "matched")').value).toBe('matched');
  });

  describe('nesting as deep as 10,000 characters allow', () => {
    /** `open` repeated, then `inner`, then `close` repeated, as many times as the length limit allows. */
    const nested = (open: string, inner: string, close: string): string => {
      const depth = Math.floor((MAX_EXPRESSION_LENGTH - inner.length) / (open.length + close.length));
      return `${open.repeat(depth)}${inner}${close.repeat(depth)}`;
    };

    it.each([
      ['Not (1,999 levels, an odd number)', nested('Not(', '[a]', ')'), { a: 'True' }, false],
      ['IIF branches (lazy)', nested('IIF(1 = 1, ', '[a]', ', 0)'), { a: 'x' }, 'x'],
      ['Coalesce (lazy)', nested('Coalesce([none], ', '[a]', ')'), { a: 'x' }, 'x'],
      ['Join', nested('Join("", ', '[a]', ')'), { a: 'x' }, 'x'],
    ])('%s', (_label, text, attributes, expected) => {
      expect(text.length).toBeGreaterThan(MAX_EXPRESSION_LENGTH - 20);
      const compiled = compileExpression(text);
      expect(compiled.evaluate({ attributes }).value).toBe(expected);
      expect(compiled.referencedAttributes).toContain('a');
    });

    it('validates and prints 3,333 levels of unknown calls', () => {
      const text = nested('X(', '', ')');
      expect(validateExpression(text)).toHaveLength(3333);
      expect(printExpression(parseExpression(text))).toBe(text);
    });
  });

  it('skips the whole attribute when IgnoreFlowIfNullOrEmpty meets an empty value anywhere', () => {
    expect(evaluate('Join(",", IgnoreFlowIfNullOrEmpty([a]), "b")')).toEqual({ value: null, flow: 'skip', redacted: false });
  });

  describe('comparisons', () => {
    it.each([
      ['Len([a]) > 2', { a: 'abc' }, true],
      ['[n] = 10', { n: '10' }, true],
      ['[n] < 9', { n: 10 }, false],
      ['[s] < "b"', { s: 'a' }, true],
      ['[s] = "abc"', { s: 'ABC' }, false],
      ['[flag] = "True"', { flag: true }, true],
      ['[a] <> [b]', { a: 'x' }, true],
      ['[a] >= [b]', { a: 'b', b: 'b' }, true],
      ['[a] <= [b]', { a: 'c', b: 'b' }, false],
    ])('%s with %j is %s', (text, attributes, expected) => {
      expect(evaluate(text, attributes).value).toBe(expected);
    });

    it('rejects comparing multi-valued attributes or non-numbers with numbers', () => {
      expect(evaluationError(() => evaluate('[m] = "a"', { m: ['a'] })).code).toBe('INVALID_ARGUMENT');
      expect(evaluationError(() => evaluate('[a] > 1', { a: 'one' })).code).toBe('INVALID_ARGUMENT');
    });
  });

  describe('attribute values', () => {
    it.each([
      [{ v: 5 }, 5],
      [{ v: true }, true],
      [{ v: 123n }, '123'],
      [{ v: new Date('2021-01-02T03:04:05Z') }, '2021-01-02T03:04:05.000Z'],
      [{ v: ['a', 1, false, null] }, ['a', '1', 'False']],
      [{ v: undefined }, null],
      [{}, null],
    ])('reads %j', (attributes, expected) => {
      expect(evaluate('[v]', attributes).value).toEqual(expected);
    });

    it('reads only own properties, so [constructor] is simply absent', () => {
      expect(evaluate('IsNull([constructor])').value).toBe(true);
      expect(evaluate('IsNull([__proto__])').value).toBe(true);
    });

    it.each([[{ v: { nested: true } }], [{ v: Number.NaN }], [{ v: [{}] }], [{ v: new Date(Number.NaN) }], [{ v: Symbol('s') }]])(
      'rejects %p as a typed error at the attribute',
      (attributes) => {
        const error = evaluationError(() => evaluate('Append("x", [v])', attributes));
        expect(error.code).toBe('INVALID_ATTRIBUTE_VALUE');
        expect(error.position.column).toBe(13);
      },
    );

    it('takes IsSoftDeleted and appRoleAssignments from the context', () => {
      expect(evaluate('[IsSoftDeleted]').value).toBe(false);
      expect(evaluate('[IsSoftDeleted]', {}, { isSoftDeleted: true }).value).toBe(true);
      expect(evaluate('[IsSoftDeleted]', { IsSoftDeleted: 'True' }).value).toBe('True');
      const appRoleAssignments = [{ id: '1', value: 'Admin' }, { id: '2', displayName: 'Reader' }];
      expect(evaluate('Join(",", [appRoleAssignments])', {}, { appRoleAssignments }).value).toBe('Admin,Reader');
      expect(CONTEXT_ATTRIBUTES).toEqual(['IsSoftDeleted', 'appRoleAssignments']);
    });
  });

  describe('bad contexts become typed errors', () => {
    it.each<[string, unknown, string]>([
      ['no context', null, 'INVALID_CONTEXT'],
      ['no attributes', { attributes: null }, 'INVALID_CONTEXT'],
      ['a clock that throws', { attributes: {}, now: () => { throw new Error('clock'); } }, 'INTERNAL'],
      ['a clock that returns text', { attributes: {}, now: () => 'today' }, 'INVALID_CONTEXT'],
    ])('%s', (_label, context, code) => {
      expect(evaluationError(() => evaluateExpression(parseExpression('Now()'), context as EvaluationContext)).code).toBe(code);
    });

    it('a uniqueness check that throws', () => {
      const context = { attributes: {}, isUnique: () => { throw new Error('db down'); } };
      const error = evaluationError(() => evaluateExpression(parseExpression('SelectUniqueValue("a", "b")'), context));
      expect(error).toMatchObject({ code: 'INTERNAL', functionName: 'SelectUniqueValue' });
    });
  });
});

describe('referencedAttributes', () => {
  it('lists each attribute once, in order of first use, including Replace fallbacks and context attributes', () => {
    const ast = parseExpression(
      'Join(",", Replace([telephoneNumber], , "(?<n>\\\\d+)", "n", , [mobile], ), [mobile], Switch([IsSoftDeleted], , "False", [givenName]), SingleAppRoleAssignment([appRoleAssignments]))',
    );
    expect(referencedAttributes(ast)).toEqual(['telephoneNumber', 'mobile', 'IsSoftDeleted', 'givenName', 'appRoleAssignments']);
  });

  it('is empty for constant expressions', () => {
    expect(referencedAttributes(parseExpression('Join("@", "a", Now())'))).toEqual([]);
  });
});

describe('auditText', () => {
  it('shows [Redact] for any expression that uses Redact, and the value otherwise', () => {
    const redacted = compileExpression('Join("", "x", Redact([password]))').evaluate({ attributes: { password: 'p@ss' } });
    expect(redacted).toEqual({ value: 'xp@ss', flow: 'continue', redacted: true });
    expect(auditText(redacted)).toBe('[Redact]');
    expect(auditText(compileExpression('IsNull([a])').evaluate({ attributes: {} }))).toBe('True');
    expect(auditText(compileExpression('Split("a,b", ",")').evaluate({ attributes: {} }))).toBe('["a","b"]');
    expect(auditText(compileExpression('[a]').evaluate({ attributes: {} }))).toBeNull();
  });
});

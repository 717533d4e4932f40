import { DEFAULT_GOTOMEETING_MAPPING } from './default-gotomeeting.mapping';
import { MappingConfigError, validateMappingConfig } from './validate-mapping-config';

function problemsOf(input: unknown): string[] {
  try {
    validateMappingConfig(input);
    return [];
  } catch (error) {
    if (!(error instanceof MappingConfigError)) throw error;
    return error.problems.map((p) => `${p.path}: ${p.message}`);
  }
}

describe('validateMappingConfig', () => {
  it('accepts the default GoToMeeting mapping', () => {
    expect(problemsOf(DEFAULT_GOTOMEETING_MAPPING)).toEqual([]);
  });

  it('names the mapping and the position of an expression syntax error', () => {
    const problems = problemsOf({
      attributeMappings: [
        { target: 'userName', type: 'Direct', source: 'userPrincipalName', matchingPrecedence: 1 },
        { target: 'displayName', type: 'Expression', expression: 'Join(" ", [givenName] [surname])' },
      ],
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^attributeMappings\[1\] \(displayName\)\.expression: .*1:\d+/);
  });

  it('reports unknown functions, missing fields, duplicates and missing matching attributes together', () => {
    const problems = problemsOf({
      attributeMappings: [
        { target: 'userName', type: 'Direct' },
        { target: 'userName', type: 'Constant', constant: 'x' },
        { target: 'title', type: 'Expression', expression: 'Frobnicate([x])' },
      ],
    });
    expect(problems).toEqual([
      'attributeMappings[0] (userName): a Direct mapping needs "source"',
      'attributeMappings[1] (userName): target "userName" is already mapped by attributeMappings[0]',
      expect.stringMatching(/^attributeMappings\[2\] \(title\)\.expression: .*Frobnicate/),
      'attributeMappings: no matching attribute: mark at least one mapping with matchingPrecedence',
    ]);
  });

  it('rejects unknown fields and wrong types with their paths', () => {
    const problems = problemsOf({ attributeMappings: [{ target: 'userName', type: 'Direct', source: 'upn', colour: 'red' }], deletionThreshold: -1 });
    expect(problems.join('\n')).toMatch(/attributeMappings\[0\].*colour/);
    expect(problems.join('\n')).toMatch(/deletionThreshold/);
  });

  it('accepts an expression of 10,000 characters and rejects a longer one', () => {
    const long = (n: number) => `Join("", ${Array.from({ length: n }, () => '"x"').join(', ')})`;
    const at = (expr: string) => ({
      attributeMappings: [
        { target: 'userName', type: 'Direct', source: 'upn', matchingPrecedence: 1 },
        { target: 'title', type: 'Expression', expression: expr },
      ],
    });
    const fits = long(1); const pad = 10_000 - fits.length;
    expect(problemsOf(at(fits.replace('Join(', `Join(${' '.repeat(pad)}`)))).toEqual([]);
    expect(problemsOf(at(long(2600))).join()).toMatch(/10,?000/);
  });
});

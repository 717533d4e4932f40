import { mappingIndexOf, offsetOf, problemPosition } from './mapping-problems';

describe('mapping problems', () => {
  it('finds the expression position at the end of a message, and the mapping a path names', () => {
    expect(problemPosition('expected ")" at 1:21')).toEqual({ line: 1, column: 21 });
    expect(problemPosition('unknown attribute "x"')).toBeNull();
    expect(mappingIndexOf({ path: 'attributeMappings[3].expression', message: '' })).toBe(3);
    expect(mappingIndexOf({ path: 'deletionThreshold', message: '' })).toBeNull();
  });

  it('turns a line and column into an offset, never past the text', () => {
    expect(offsetOf('Join(" ", [a]', { line: 1, column: 5 })).toBe(4);
    expect(offsetOf('a\nbc', { line: 2, column: 2 })).toBe(3);
    expect(offsetOf('ab', { line: 1, column: 9 })).toBe(2);
  });
});

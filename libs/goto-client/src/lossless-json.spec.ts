import { parseJsonLosslessly } from './lossless-json';

describe('parseJsonLosslessly', () => {
  it('keeps integers beyond 2^53 exact, as strings', () => {
    expect(parseJsonLosslessly('{"key":8887380153236031176710,"list":[-12345678901234567, 1]}')).toEqual({
      key: '8887380153236031176710',
      list: ['-12345678901234567', 1],
    });
  });

  it('leaves safe numbers, decimals and strings that look like numbers alone', () => {
    expect(parseJsonLosslessly('{"a":9007199254740991,"b":1.5e3,"c":"12345678901234567890","d":"x\\"1234567890123456789"}')).toEqual({
      a: 9007199254740991,
      b: 1500,
      c: '12345678901234567890',
      d: 'x"1234567890123456789',
    });
  });

  it('still refuses invalid JSON', () => {
    expect(() => parseJsonLosslessly('{"a":')).toThrow(SyntaxError);
  });
});

import { parseDateTime } from './parse-date-time';

class Rejected extends Error {}
const fail = (reason: string): never => {
  throw new Rejected(reason);
};
const iso = (text: string) => new Date(parseDateTime(text, fail)).toISOString();

describe('parseDateTime (what CDate reads)', () => {
  it.each([
    ['2020-03-16-07:00', '2020-03-16T07:00:00.000Z'],
    ['2021-06-30+08:00', '2021-06-29T16:00:00.000Z'],
    ['2009-06-15T01:45:30-07:00', '2009-06-15T08:45:30.000Z'],
    ['2009-06-15T01:45:30.1234567Z', '2009-06-15T01:45:30.123Z'],
    ['2020-12-31 23:59:59-0800', '2021-01-01T07:59:59.000Z'],
    ['2021-08-24', '2021-08-24T00:00:00.000Z'],
    [' 8/25/2021 5:41:18 PM ', '2021-08-25T17:41:18.000Z'],
    ['8/25/2021 12:00:00 AM', '2021-08-25T00:00:00.000Z'],
    ['8/25/2021 17:41', '2021-08-25T17:41:00.000Z'],
    ['1/1/0001', '0001-01-01T00:00:00.000Z'],
  ])('%j is %s', (text, expected) => {
    expect(iso(text)).toBe(expected);
  });

  it.each(['', 'tomorrow', '2021-02-29', '13/1/2021', '8/25/2021 13:00 PM', '2021-08-24T24:00', '2021-08-24+15:00', '0001-01-01+01:00', '9999-12-31+00:00Z'])(
    'rejects %j',
    (text) => {
      expect(() => iso(text)).toThrow(Rejected);
    },
  );
});

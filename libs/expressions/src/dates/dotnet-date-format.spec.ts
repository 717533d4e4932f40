import { DEFAULT_PARSE_STYLES, formatDate, parseExact, parseStyles, type ParseStyles } from './dotnet-date-format';

class Rejected extends Error {}
const fail = (reason: string): never => {
  throw new Rejected(reason);
};

const AT = Date.UTC(2009, 5, 15, 13, 45, 30, 50); // Monday 15 June 2009, 13:45:30.050 UTC

describe('formatDate', () => {
  it.each([
    ['M/d/yyyy h:mm:ss tt', '6/15/2009 1:45:30 PM'],
    ['yyyy-MM-ddTHH:mm:ss.fffK', '2009-06-15T13:45:30.050Z'],
    ['dddd, MMMM d, yyyy', 'Monday, June 15, 2009'],
    ['ddd dd MMM yy', 'Mon 15 Jun 09'],
    ['%d', '15'],
    ['%h%t', '1P'],
    ["'Day' d 'of' \"MMMM\"", 'Day 15 of MMMM'],
    ['\\y\\y yyyy', 'yy 2009'],
    ['HH:mm:ss.FFF', '13:45:30.05'],
    ['ss.FFFF zzz zz z', '30.05 +00:00 +00 +0'],
    ['yyyyMMddHHmmss.fZ', '20090615134530.0Z'],
    ['o', '2009-06-15T13:45:30.0500000Z'],
    ['s', '2009-06-15T13:45:30'],
    ['u', '2009-06-15 13:45:30Z'],
    ['yyyyy g', '02009 A.D.'],
  ])('%s', (format, expected) => {
    expect(formatDate(AT, format, fail)).toBe(expected);
  });

  it('drops the separator before an all-zero F fraction', () => {
    expect(formatDate(Date.UTC(2009, 5, 15, 13, 45, 30), 'HH:mm:ss.FFF', fail)).toBe('13:45:30');
  });

  it.each(['', 'd', "yyyy 'open", 'yyyy\\', 'fffffffff', '%q'])('rejects the format %j', (format) => {
    expect(() => formatDate(AT, format, fail)).toThrow(Rejected);
  });
});

describe('parseExact', () => {
  const parse = (text: string, format: string, styles: ParseStyles = DEFAULT_PARSE_STYLES) => new Date(parseExact(text, format, styles, fail)).toISOString();

  it.each([
    ['20150123105347.1Z', 'yyyyMMddHHmmss.fZ', '2015-01-23T10:53:47.100Z'],
    ['2020-12-31-08:00', 'yyyy-MM-ddzzz', '2020-12-31T08:00:00.000Z'],
    ['2020-12-31+0530', 'yyyy-MM-ddzzz', '2020-12-30T18:30:00.000Z'],
    ['12/31/2020 07:00:00 PM', 'M/d/yyyy hh:mm:ss tt', '2020-12-31T19:00:00.000Z'],
    ['1/2/2020 12:05:00 am', 'M/d/yyyy hh:mm:ss tt', '2020-01-02T00:05:00.000Z'],
    ['05 Mar 49', 'dd MMM yy', '2049-03-05T00:00:00.000Z'],
    ['05 March 50', 'dd MMMM yy', '1950-03-05T00:00:00.000Z'],
    ['Tuesday, 9 June 2020', 'dddd, d MMMM yyyy', '2020-06-09T00:00:00.000Z'],
    ['  2020-06-09  ', 'yyyy-MM-dd', '2020-06-09T00:00:00.000Z'],
    ['2020-06-09T10:00:00Z', 'yyyy-MM-ddTHH:mm:ssK', '2020-06-09T10:00:00.000Z'],
    ['2020-06-09T10:00:00', 'yyyy-MM-ddTHH:mm:ssK', '2020-06-09T10:00:00.000Z'],
    ['10:30', 'HH:mm', '0001-01-01T10:30:00.000Z'],
    ['2020-06-09 10:00:00', 'yyyy-MM-dd HH:mm:ss.FFF', '2020-06-09T10:00:00.000Z'],
    ['2020-06-09 10:00:00.25', 'yyyy-MM-dd HH:mm:ss.FFF', '2020-06-09T10:00:00.250Z'],
    ['2020-06-09 A.D.', 'yyyy-MM-dd g', '2020-06-09T00:00:00.000Z'],
  ])('reads %j with %j', (text, format, iso) => {
    expect(parse(text, format)).toBe(iso);
  });

  it('honours the whitespace styles', () => {
    const none = parseStyles('None', fail);
    expect(() => parse(' 2020-06-09', 'yyyy-MM-dd', none)).toThrow(Rejected);
    expect(parse('2020 - 06 - 09', 'yyyy-MM-dd', parseStyles('AllowWhiteSpaces', fail))).toBe('2020-06-09T00:00:00.000Z');
    expect(parseStyles('RoundtripKind, AllowLeadingWhite | allowtrailingwhite', fail)).toEqual(DEFAULT_PARSE_STYLES);
    expect(() => parseStyles('Sideways', fail)).toThrow(Rejected);
  });

  it.each([
    ['2020-13-01', 'yyyy-MM-dd'],
    ['2021-02-29', 'yyyy-MM-dd'],
    ['2020-06-09 extra', 'yyyy-MM-dd'],
    ['20-06-09', 'yyyy-MM-dd'],
    ['13:00 PM', 'hh:mm tt'],
    ['2020-06-09 25:00', 'yyyy-MM-dd HH:mm'],
    ['2020-06-09+15:00', 'yyyy-MM-ddzzz'],
    ['Smarch 2020', 'MMMM yyyy'],
    ['2020-06-09', 'yyyy/MM/dd'],
  ])('rejects %j for %j', (text, format) => {
    expect(() => parse(text, format)).toThrow(Rejected);
  });
});

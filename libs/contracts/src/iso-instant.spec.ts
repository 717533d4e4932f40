import { isoInstantSchema } from './iso-instant';
import { provisioningLogQuerySchema } from './provisioning-log.query';

const from = isoInstantSchema('from');
const to = isoInstantSchema('to');

describe('isoInstantSchema', () => {
  it.each([
    ['2026-12-01T10:00:00Z', '2026-12-01T10:00:00.000Z'],
    ['2026-12-01T10:00:00.5Z', '2026-12-01T10:00:00.500Z'],
    ['2026-12-01T10:00:00.123456Z', '2026-12-01T10:00:00.123Z'],
    ['2026-12-01T10:00:00+01:00', '2026-12-01T09:00:00.000Z'],
    ['2026-12-01T10:00:00-05:30', '2026-12-01T15:30:00.000Z'],
    ['2026-12-01T10:00:00+0100', '2026-12-01T09:00:00.000Z'],
    ['2026-12-01T10:00+01', '2026-12-01T09:00:00.000Z'],
    // An unencoded '+' in a query string arrives as a space.
    ['2026-12-01T10:00:00 01:00', '2026-12-01T09:00:00.000Z'],
    ['2026-12-01t10:00:00z', '2026-12-01T10:00:00.000Z'],
    ['2026-12-01', '2026-12-01T00:00:00.000Z'],
  ])('reads %s as %s', (text, instant) => {
    expect(from.parse(text)).toBe(instant);
  });

  it('reads a plain date as the start of that day for `from` and its last millisecond for `to`', () => {
    expect(from.parse('2026-12-31')).toBe('2026-12-31T00:00:00.000Z');
    expect(to.parse('2026-12-31')).toBe('2026-12-31T23:59:59.999Z');
    expect(to.parse('2026-12-31T10:00:00Z')).toBe('2026-12-31T10:00:00.000Z');
  });

  it.each(['2026-12-01T10:00:00', '2026-02-30', '2026-13-01', '2026-12-01T24:00:00Z', '2026-12-01T10:00:00+25:00', 'yesterday', '', '1', '2026-12-01T10Z'])(
    'refuses %j',
    (text) => {
      expect(from.safeParse(text).success).toBe(false);
    },
  );

  it('lets the log query compare bounds given in different zones', () => {
    expect(provisioningLogQuerySchema.safeParse({ from: '2026-12-01T10:00:00+01:00', to: '2026-12-01T09:30:00Z' }).success).toBe(true);
    expect(provisioningLogQuerySchema.safeParse({ from: '2026-12-01T10:00:00-01:00', to: '2026-12-01T09:30:00Z' }).success).toBe(false);
    expect(provisioningLogQuerySchema.parse({ from: '2026-12-01', to: '2026-12-01' })).toMatchObject({ from: '2026-12-01T00:00:00.000Z', to: '2026-12-01T23:59:59.999Z' });
  });
});

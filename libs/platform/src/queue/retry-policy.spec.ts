import { backoffDelay, isDatabaseUnavailable, isDataError, isPermanent, PermanentError } from './retry-policy';

describe('backoffDelay', () => {
  const policy = { baseDelayMs: 100, maxDelayMs: 1000 };

  it('doubles per attempt within half-to-full jitter, capped at the maximum', () => {
    expect(backoffDelay(1, policy, null, () => 0)).toBe(50);
    expect(backoffDelay(1, policy, null, () => 1)).toBe(100);
    expect(backoffDelay(3, policy, null, () => 1)).toBe(400);
    expect(backoffDelay(10, policy, null, () => 1)).toBe(1000);
  });

  it('never retries sooner than Retry-After', () => {
    expect(backoffDelay(1, policy, { retryAfterMs: 5000 }, () => 0)).toBe(5000);
  });
});

describe('isPermanent', () => {
  /** The shape TypeORM gives a failed query: the driver's fields copied, the original kept. */
  const queryFailed = (code: string) => Object.assign(new Error('query failed'), { code, driverError: { code } });

  it.each([
    ['22021', 'a NUL byte in text (character_not_in_repertoire)'],
    ['22P05', 'a NUL escape in jsonb (untranslatable_character)'],
    ['22003', 'a change order beyond bigint (numeric_value_out_of_range)'],
    ['23505', 'a unique violation'],
    ['23502', 'a not-null violation'],
  ])('treats SQLSTATE %s, %s, as permanent', (code) => {
    expect(isDataError(queryFailed(code))).toBe(true);
    expect(isPermanent(queryFailed(code))).toBe(true);
    expect(isPermanent({ driverError: { code } })).toBe(true);
  });

  it.each([
    ['08006', 'a lost connection'],
    ['40001', 'a serialization failure'],
    ['40P01', 'a deadlock'],
    ['57P01', 'an administrator shutdown'],
    ['53300', 'too many connections'],
  ])('leaves SQLSTATE %s, %s, to be retried', (code) => {
    expect(isPermanent(queryFailed(code))).toBe(false);
  });

  it('keeps PermanentError permanent and anything else transient', () => {
    expect(isPermanent(new PermanentError('no'))).toBe(true);
    expect(isPermanent(new Error('ECONNRESET'))).toBe(false);
    expect(isPermanent(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(false);
    expect(isPermanent(null)).toBe(false);
  });
});

describe('isDatabaseUnavailable', () => {
  const at = (code: string, port?: number) => Object.assign(new Error(`connect ${code}`), { code, port });

  it('is PostgreSQL unreachable or gone: connection SQLSTATEs, a terminated backend, pg losing the connection', () => {
    expect(isDatabaseUnavailable(at('57P01'), 5432)).toBe(true);
    expect(isDatabaseUnavailable(at('08006'), 5432)).toBe(true);
    expect(isDatabaseUnavailable(at('53300'), 5432)).toBe(true);
    expect(isDatabaseUnavailable({ driverError: { code: '57P03' } }, 5432)).toBe(true);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'), 5432)).toBe(true);
    expect(isDatabaseUnavailable(at('ECONNREFUSED', 5432), 5432)).toBe(true);
  });

  it('is not a refused socket elsewhere (GoTo, a webhook), nor the data being wrong', () => {
    expect(isDatabaseUnavailable(at('ECONNREFUSED', 443), 5432)).toBe(false);
    expect(isDatabaseUnavailable(at('22P05'), 5432)).toBe(false);
    expect(isDatabaseUnavailable(new Error('boom'), 5432)).toBe(false);
  });
});

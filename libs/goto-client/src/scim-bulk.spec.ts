import { bulkChunks, bulkLimitsOf, bulkRequest, bulkResults, type BulkOperation } from './scim-bulk';
import { SecretRedactor } from './secret-redactor';

const op = (n: number, size = 0): BulkOperation => ({ method: 'POST', path: '/Users', bulkId: `w${n}`, data: { userName: `u${n}`, pad: 'x'.repeat(size) } });

describe('bulkLimitsOf', () => {
  it('takes the limits of a supported bulk, and nothing from one unsupported, absent or too small to share', () => {
    expect(bulkLimitsOf({ bulk: { supported: true, maxOperations: 50, maxPayloadSize: 1_000 } })).toEqual({ maxOperations: 50, maxPayloadSize: 1_000 });
    expect(bulkLimitsOf({ bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 } })).toBeNull();
    expect(bulkLimitsOf({ bulk: { supported: true } })).toBeNull();
    expect(bulkLimitsOf({ bulk: { supported: true, maxOperations: 1, maxPayloadSize: 1_000 } })).toBeNull();
    expect(bulkLimitsOf({})).toBeNull();
  });
});

describe('bulkChunks', () => {
  it('cuts by maxOperations, in order', () => {
    expect(bulkChunks([0, 1, 2, 3, 4].map((n) => op(n)), { maxOperations: 2, maxPayloadSize: 1e6 })).toEqual([[0, 1], [2, 3], [4]]);
  });

  it('cuts by maxPayloadSize, counting the request exactly as it is sent; an operation too large goes alone', () => {
    const operations = [op(0, 100), op(1, 100), op(2, 100), op(3, 1_000)];
    const twoFit = Buffer.byteLength(JSON.stringify(bulkRequest(operations.slice(0, 2))));
    const chunks = bulkChunks(operations, { maxOperations: 10, maxPayloadSize: twoFit });
    expect(chunks).toEqual([[0, 1], [2], [3]]);
  });
});

describe('bulkResults', () => {
  const redactor = new SecretRedactor();
  const parseUser = (response: unknown) => response as never;
  const patch: BulkOperation = { method: 'PATCH', path: '/Users/9', data: {} };

  it('finds POSTs by bulkId and other operations by place; a refusal becomes the single request’s error', () => {
    const body = {
      Operations: [
        { method: 'POST', bulkId: 'w1', status: '409', response: { status: '409', scimType: 'uniqueness', detail: 'taken' } },
        { method: 'POST', bulkId: 'w0', status: '201', response: { id: '7' } },
        { method: 'PATCH', status: { code: 200 } },
      ],
    };
    const results = bulkResults([op(0), op(1), patch], body, parseUser, redactor);
    expect(results[0]).toEqual({ ok: true, user: { id: '7' } });
    expect(results[1]).toMatchObject({ ok: false, error: { kind: 'permanent', status: 409, operation: 'createUser', message: expect.stringContaining('taken') } });
    expect(results[2]).toEqual({ ok: true });
  });

  it('fails an operation the response does not account for as unanswered (transient, no status)', () => {
    const results = bulkResults([op(0), patch], { Operations: [] }, parseUser, redactor);
    for (const result of results) {
      expect(result).toMatchObject({ ok: false, error: { kind: 'transient' } });
      expect((result as { error: { status?: number } }).error.status).toBeUndefined();
    }
  });
});

import { ApiError } from '../http/api-error';
import { parseBulkRequest, resolveBulkIds, resolvePath } from './scim-bulk-request';

const SCHEMAS = ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'];
const create = { method: 'POST', path: '/Users', bulkId: 'a', data: { userName: 'a@example.com' } };

function refusal(body: Record<string, unknown>): [number, string | undefined] {
  try {
    parseBulkRequest(body);
  } catch (error) {
    if (error instanceof ApiError) return [error.status, error.code];
    throw error;
  }
  throw new Error('accepted');
}

describe('parseBulkRequest', () => {
  it('reads operations and failOnErrors', () => {
    const del = { method: 'DELETE', path: '/Users/7' };
    expect(parseBulkRequest({ schemas: SCHEMAS, Operations: [create, del], failOnErrors: 2 })).toEqual({ operations: [create, del], failOnErrors: 2 });
  });

  it.each([
    ['no schemas', { Operations: [create] }],
    ['an unknown member', { schemas: SCHEMAS, Operations: [create], extra: 1 }],
    ['no operations', { schemas: SCHEMAS, Operations: [] }],
    ['failOnErrors 0', { schemas: SCHEMAS, Operations: [create], failOnErrors: 0 }],
    ['a lower-case method', { schemas: SCHEMAS, Operations: [{ ...create, method: 'post' }] }],
    ['GET', { schemas: SCHEMAS, Operations: [{ method: 'GET', path: '/Users/1' }] }],
    ['a POST without bulkId', { schemas: SCHEMAS, Operations: [{ method: 'POST', path: '/Users', data: {} }] }],
    ['a bulkId on a PATCH', { schemas: SCHEMAS, Operations: [{ method: 'PATCH', path: '/Users/1', bulkId: 'x', data: {} }] }],
    ['a PATCH without data', { schemas: SCHEMAS, Operations: [{ method: 'PATCH', path: '/Users/1' }] }],
    ['data on a DELETE', { schemas: SCHEMAS, Operations: [{ method: 'DELETE', path: '/Users/1', data: {} }] }],
    ['a path with a query', { schemas: SCHEMAS, Operations: [{ ...create, path: '/Users?x=1' }] }],
  ])('refuses %s as invalid syntax', (_what, body) => {
    expect(refusal(body)).toEqual([400, 'invalidSyntax']);
  });

  it('refuses a version (no ETags offered) and a bulkId used twice as invalid values', () => {
    expect(refusal({ schemas: SCHEMAS, Operations: [{ method: 'DELETE', path: '/Users/1', version: 'W/"1"' }] })).toEqual([400, 'invalidValue']);
    expect(refusal({ schemas: SCHEMAS, Operations: [create, create] })).toEqual([400, 'invalidValue']);
  });
});

describe('resolveBulkIds', () => {
  const created = new Map([['a', '42']]);

  it('replaces references in nested data and in path segments, and leaves other strings alone', () => {
    const data = { members: [{ value: 'bulkId:a' }], displayName: 'not bulkId:a', n: 1 };
    expect(resolveBulkIds(data, created)).toEqual({ members: [{ value: '42' }], displayName: 'not bulkId:a', n: 1 });
    expect(resolvePath('/Users/bulkId:a', created)).toBe('/Users/42');
  });

  it('refuses a reference to a bulkId not created earlier (409)', () => {
    expect(() => resolvePath('/Users/bulkId:b', created)).toThrow(expect.objectContaining({ status: 409, code: 'invalidValue' }));
  });
});

import { BadRequestException } from '@nestjs/common';
import { decodeCursor, encodeCursor } from './log-cursor';

const forge = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('log cursor', () => {
  it('reads back what it wrote', () => {
    const cursor = { occurredAt: '2026-12-01T10:00:00.123Z', id: 'connector/executed/Create/k/1' };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  it.each([
    ['a date PostgreSQL cannot read', ['1', 'id']],
    ['a date in another form', ['Tue, 01 Dec 2026 10:00:00 GMT', 'id']],
    ['an id with NUL', ['2026-12-01T10:00:00.000Z', 'a\u0000b']],
    ['an empty id', ['2026-12-01T10:00:00.000Z', '']],
    ['an over-long id', ['2026-12-01T10:00:00.000Z', 'x'.repeat(513)]],
    ['extra parts', ['2026-12-01T10:00:00.000Z', 'id', 'more']],
    ['an object', { occurredAt: '2026-12-01T10:00:00.000Z', id: 'id' }],
    ['a number', 42],
  ])('refuses a forged cursor with %s as a 400', (_what, value) => {
    expect(() => decodeCursor(forge(value))).toThrow(BadRequestException);
  });
});

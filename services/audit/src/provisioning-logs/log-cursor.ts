import { BadRequestException } from '@nestjs/common';

/** Keyset position (occurred_at, id) of the last row of a page, opaque to clients. */
export interface LogCursor {
  occurredAt: string;
  id: string;
}

/** The longest record id the audit contract allows. */
const MAX_ID_LENGTH = 512;

export function encodeCursor(c: LogCursor): string {
  return Buffer.from(JSON.stringify([c.occurredAt, c.id])).toString('base64url');
}

/**
 * Reads a cursor back. It is opaque, not trusted: a forged one that decodes (a date PostgreSQL can't
 * read, an id with NUL) must be a 400, so only what encodeCursor writes is accepted: an instant as
 * toISOString() writes it and an id a record could have.
 */
export function decodeCursor(text: string): LogCursor {
  try {
    const [occurredAt, id, ...rest] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[];
    if (
      rest.length === 0 &&
      typeof occurredAt === 'string' &&
      typeof id === 'string' &&
      isIsoInstant(occurredAt) &&
      id.length > 0 &&
      id.length <= MAX_ID_LENGTH &&
      !id.includes('\u0000')
    ) {
      return { occurredAt, id };
    }
  } catch {
    // fall through to the specific error below
  }
  throw new BadRequestException({ statusCode: 400, message: 'invalid cursor: pass back the nextCursor of a previous page' });
}

function isIsoInstant(text: string): boolean {
  const time = Date.parse(text);
  return !Number.isNaN(time) && new Date(time).toISOString() === text;
}

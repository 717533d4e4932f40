import { BadRequestException } from '@nestjs/common';

/** Keyset position (occurred_at, id) of the last row of a page, opaque to clients. */
export interface LogCursor {
  occurredAt: string;
  id: string;
}

export function encodeCursor(c: LogCursor): string {
  return Buffer.from(JSON.stringify([c.occurredAt, c.id])).toString('base64url');
}

export function decodeCursor(text: string): LogCursor {
  try {
    const [occurredAt, id] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[];
    if (typeof occurredAt === 'string' && typeof id === 'string' && !Number.isNaN(Date.parse(occurredAt))) {
      return { occurredAt, id };
    }
  } catch {
    // fall through to the specific error below
  }
  throw new BadRequestException({ statusCode: 400, message: 'invalid cursor: pass back the nextCursor of a previous page' });
}

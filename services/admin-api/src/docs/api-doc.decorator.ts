import { SetMetadata } from '@nestjs/common';
import type { z } from 'zod';

export const API_DOC = 'roster:api-doc';

/** What the OpenAPI document says of a route; the schemas are the ones its pipes validate with. */
export interface ApiDocOptions {
  summary: string;
  body?: z.ZodType;
  query?: z.ZodType;
  response?: z.ZodType;
  /** Success status when it is not 200. */
  status?: number;
}

export const ApiDoc = (options: ApiDocOptions): MethodDecorator => SetMetadata(API_DOC, options);

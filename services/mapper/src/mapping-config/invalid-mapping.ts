import { BadRequestException } from '@nestjs/common';
import { MappingConfigError } from '@roster/mapping';

/** A refused configuration as a 400 naming every problem; any other error goes on as it is. */
export function invalid(error: unknown): never {
  if (error instanceof MappingConfigError) {
    throw new BadRequestException({ statusCode: 400, message: 'invalid mapping configuration', problems: error.problems });
  }
  throw error;
}

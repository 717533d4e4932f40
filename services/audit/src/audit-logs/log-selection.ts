import { BadRequestException } from '@nestjs/common';
import type { AuditLogFilters } from '@roster/contracts';
import { FilterError, parseFilter } from '@roster/provisioning-log';
import type { LogSelection } from '../provisioning-logs/log-statements';

/** The query's filters with its `$filter` parsed; a `$filter` this resource cannot run is a 400 that says why. */
export function selectionOf({ $filter, $orderby: _order, ...filters }: AuditLogFilters): LogSelection {
  if ($filter === undefined) return { filters };
  try {
    return { filters, expr: parseFilter($filter) };
  } catch (error) {
    if (!(error instanceof FilterError)) throw error;
    throw new BadRequestException({
      statusCode: 400,
      error: 'Bad Request',
      message: 'invalid provisioning-log query',
      issues: [{ path: '$filter', message: error.message }],
    });
  }
}

import { FilterError, parseFilter } from './odata-filter';

describe('parseFilter', () => {
  it('reads comparisons, contains() and and/or with OData precedence and parentheses', () => {
    expect(parseFilter(`jobId eq 'gotomeeting' and contains(sourceIdentity/displayName, 'O''Brien') or provisioningAction eq 'create'`)).toEqual({
      kind: 'or',
      left: {
        kind: 'and',
        left: { kind: 'compare', op: 'eq', field: 'jobId', value: 'gotomeeting' },
        right: { kind: 'contains', field: 'sourceIdentity/displayName', value: "O'Brien" },
      },
      right: { kind: 'compare', op: 'eq', field: 'provisioningAction', value: 'create' },
    });
    expect(parseFilter(`(cycleId eq '1' or cycleId eq '2') and provisioningStatusInfo/status eq 'failure'`).kind).toBe('and');
  });

  it('reads date-times unquoted, as OData writes them, and normalises them to UTC', () => {
    expect(parseFilter('activityDateTime gt 2026-12-01T10:00:00+01:00')).toEqual({
      kind: 'compare',
      op: 'gt',
      field: 'activityDateTime',
      value: '2026-12-01T09:00:00.000Z',
    });
  });

  it.each([
    [`jobId ne 'x'`, /operator ne .* not supported/],
    [`activityDateTime ge 2026-12-01T00:00:00Z`, /operator ge .* not supported/],
    [`startswith(jobId, 'x')`, /function startswith\(\) .* not supported/],
    [`not contains(jobId, 'x')`, /operator not .* not supported/],
    [`tenantId eq 'x'`, /unknown or unfilterable property 'tenantId'/],
    [`provisioningAction eq 'Create'`, /provisioningAction is one of create, update/],
    [`provisioningAction gt 'create'`, /supports eq only/],
    [`activityDateTime gt '2026-12-01'`, /compares with a date-time/],
    [`jobId eq 42`, /compares with a quoted string/],
    [`contains(activityDateTime, '2026')`, /applies to text properties/],
    [`jobId eq 'x' and`, /expected a property but found the end/],
    [`jobId eq 'x`, /unterminated string literal/],
    [`jobId eq 'x' jobId`, /unexpected 'jobId'/],
    [`jobId gt null`, /null can only be compared with eq/],
  ])('refuses %s, saying why', (text, reason) => {
    expect(() => parseFilter(text)).toThrow(FilterError);
    expect(() => parseFilter(text)).toThrow(reason);
  });

  it('refuses a filter of more than 64 terms', () => {
    expect(() => parseFilter(Array.from({ length: 65 }, (_, i) => `cycleId eq '${i}'`).join(' or '))).toThrow(/more than 64 terms/);
  });
});

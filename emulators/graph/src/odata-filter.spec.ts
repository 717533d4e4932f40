import { matchesFilter, parseFilter } from './odata-filter';

describe('OData $filter subset', () => {
  const user = { userPrincipalName: 'Ada@Contoso.com', department: 'R&D', accountEnabled: true, mail: null };

  it.each([
    ["userPrincipalName eq 'ada@contoso.com'", true],
    ["department eq 'Sales' or accountEnabled eq true", true],
    ["department eq 'R&D' and (accountEnabled eq false or mail eq null)", true],
    ["startswith(userPrincipalName,'ADA@')", true],
    ["department in ('Sales', 'r&d')", true],
    ["department ne 'R&D'", false],
    ["mail eq 'x''y'", false],
  ])('%s → %s', (filter, expected) => {
    expect(matchesFilter(parseFilter(filter), user)).toBe(expected);
  });

  it('reads doubled quotes inside string literals', () => {
    expect(parseFilter("surname eq 'O''Brien'")).toEqual({ kind: 'compare', op: 'eq', property: 'surname', value: "O'Brien" });
  });

  it.each(["department eq", "department gt 'a'", "(department eq 'a'", "department eq 'a' extra", "startswith(department)"])(
    'rejects %s with a 400',
    (filter) => {
      expect(() => parseFilter(filter)).toThrow(expect.objectContaining({ status: 400, code: 'Request_BadRequest' }));
    },
  );
});

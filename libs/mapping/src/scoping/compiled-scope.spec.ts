import { compileScopingFilters } from './compiled-scope';
import type { ScopeSubject, ScopingClause, ScopingFilter } from './scoping-filter';

const department = (value: string): ScopingClause => ({ attribute: 'department', operator: 'EQUALS', value });
const enabled: ScopingClause = { attribute: 'accountEnabled', operator: 'IS TRUE' };
const salesOnly: ScopingFilter = { name: 'Sales only', clauses: [enabled, department('Sales')] };
const engineers: ScopingFilter = { clauses: [department('Engineering'), { attribute: 'employeeId', operator: 'Greater_Than_OR_EQUALS', value: '1000' }] };

const user = (attributes: ScopeSubject['attributes'], groupIds: string[] = []): ScopeSubject => ({ attributes, groupIds });

describe('compileScopingFilters', () => {
  it('puts everyone in scope when there are no filters', () => {
    expect(compileScopingFilters([]).evaluate(user({}))).toEqual({ inScope: true, reason: 'in scope: no scoping filters', filters: [] });
  });

  describe('clauses of one filter are ANDed', () => {
    const scope = compileScopingFilters([salesOnly]);

    it.each([
      [{ accountEnabled: true, department: 'Sales' }, true],
      [{ accountEnabled: false, department: 'Sales' }, false],
      [{ accountEnabled: true, department: 'R&D' }, false],
      [{ department: 'Sales' }, false],
      [{}, false],
    ])('%j → %s', (attributes, inScope) => {
      expect(scope.evaluate(user(attributes)).inScope).toBe(inScope);
    });
  });

  describe('filters are ORed', () => {
    const scope = compileScopingFilters([salesOnly, engineers]);

    it.each([
      [{ accountEnabled: true, department: 'Sales' }, true],
      [{ department: 'Engineering', employeeId: '1000' }, true],
      [{ department: 'Engineering', employeeId: '999' }, false],
      [{ accountEnabled: true, department: 'Engineering', employeeId: 5000 }, true],
      [{ accountEnabled: true, department: 'HR', employeeId: 5000 }, false],
    ])('%j → %s', (attributes, inScope) => {
      expect(scope.evaluate(user(attributes)).inScope).toBe(inScope);
    });
  });

  describe('the verdict', () => {
    const scope = compileScopingFilters([salesOnly, engineers]);

    it('names the first filter that matched', () => {
      expect(scope.evaluate(user({ accountEnabled: true, department: 'Sales' })).reason).toBe('in scope: filter "Sales only" matched');
      expect(scope.evaluate(user({ department: 'Engineering', employeeId: 1200 })).reason).toBe('in scope: filter 2 matched');
    });

    it('names the first failing clause of every filter, with the value it saw', () => {
      expect(scope.evaluate(user({ accountEnabled: true, department: 'R&D' })).reason).toBe(
        'out of scope: no filter matched; filter "Sales only" failed on clause 2: department EQUALS "Sales" (actual "R&D"); ' +
          'filter 2 failed on clause 1: department EQUALS "Engineering" (actual "R&D")',
      );
      expect(scope.evaluate(user({ department: ['Engineering', 'Ops'], employeeId: 'n/a' })).reason).toBe(
        'out of scope: no filter matched; filter "Sales only" failed on clause 1: accountEnabled IS TRUE (actual null); ' +
          'filter 2 failed on clause 2: employeeId Greater_Than_OR_EQUALS "1000" (actual "n/a")',
      );
    });

    it('quotes group ids as the actual value of a failed membership clause', () => {
      const members = compileScopingFilters([{ name: 'Pilot', clauses: [{ attribute: 'memberOf', operator: 'IS MEMBER OF', value: 'g-pilot' }] }]);
      expect(members.evaluate(user({}, ['g-sales', 'g-all'])).reason).toBe(
        'out of scope: no filter matched; filter "Pilot" failed on clause 1: memberOf IS MEMBER OF "g-pilot" (actual ["g-sales","g-all"])',
      );
    });

    it('lists every clause of every filter, even after the first failure', () => {
      expect(scope.evaluate(user({ accountEnabled: 'false', department: 'Engineering', employeeId: '1500' })).filters).toEqual([
        {
          name: 'Sales only',
          passed: false,
          clauses: [
            { clause: enabled, passed: false, actual: 'false' },
            { clause: department('Sales'), passed: false, actual: 'Engineering' },
          ],
        },
        {
          name: 'filter 2',
          passed: true,
          clauses: [
            { clause: department('Engineering'), passed: true, actual: 'Engineering' },
            { clause: engineers.clauses[1], passed: true, actual: '1500' },
          ],
        },
      ]);
    });
  });

  it('keeps evaluating what it compiled when the caller later edits the filters', () => {
    const filters: ScopingFilter[] = [{ clauses: [department('Sales')] }];
    const scope = compileScopingFilters(filters);
    filters[0]!.clauses[0]!.value = 'R&D';
    filters.push({ clauses: [enabled] });
    const verdict = scope.evaluate(user({ department: 'Sales', accountEnabled: true }));
    expect(verdict.inScope).toBe(true);
    expect(verdict.filters).toHaveLength(1);
    expect(verdict.filters[0]!.clauses[0]!.clause).toEqual(department('Sales'));
  });
});

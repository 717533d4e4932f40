import fc from 'fast-check';
import {
  AuditAction,
  AuditStatus,
  provisioningObjectSummarySchema,
  type AuditLogFilters,
  type AuditRecord,
  type ProvisioningObjectSummary,
  type ProvisioningObjectSummaryPage,
} from '@roster/contracts';
import { ProvisioningJobRecords } from '@roster/platform';
import { FILTER_FIELDS, type FilterExpr, type FilterField } from '@roster/provisioning-log';
import { logRecordsOfChange, matchesFilter, matchesSimpleFilters, waitFor } from '@roster/testing';
import { LogStack } from '../support/log-stack';

/** Graph's provisioningAction and provisioningResult of each of Roster's actions and statuses, as the docs have them. */
const GRAPH_ACTION: Record<AuditAction, string> = {
  Create: 'create',
  Update: 'update',
  Enable: 'update',
  AddMember: 'update',
  RemoveMember: 'update',
  Disable: 'disable',
  Delete: 'delete',
  StagedDelete: 'stagedDelete',
  Import: 'other',
  Other: 'other',
};
const GRAPH_STATUS: Record<AuditStatus, string> = { success: 'success', warning: 'warning', failure: 'failure', skipped: 'skipped', pending: 'unknownFutureValue' };

type SimpleFilters = Omit<AuditLogFilters, '$filter' | '$orderby'>;

const HOUR = 3_600_000;
const NOW = Date.now();

/** A record of `action` ending in `status`, written by the service and at the step that status comes from. */
function roundTripRecord(action: AuditAction, status: AuditStatus, i: number): AuditRecord {
  const base = {
    version: 1 as const,
    id: `rt/${action}/${status}`,
    occurredAt: new Date(NOW - HOUR + i * 1000).toISOString(),
    provisioningJobId: 'roundtrip',
    correlationId: `roundtrip/${i}`,
    cycleId: '7',
    messageId: `roundtrip/${i}/${action}`,
    action,
    status,
    source: { id: `dir-${i}`, displayName: `user${i}@example.com` },
    target: { id: `goto-${i}`, userName: `user${i}@example.com` },
  };
  switch (status) {
    case 'pending':
      return { ...base, service: 'connector', step: 'attempted', attempt: 1, after: { active: true } };
    case 'failure':
      return {
        ...base,
        service: 'connector',
        step: 'failed',
        attempt: 3,
        reason: 'GoTo refused the create: 409',
        error: { kind: 'permanent', status: 409, body: { detail: 'userName exists', password: 'p@ss-in-an-error-body' } },
      };
    case 'warning':
      return { ...base, service: 'connector', step: 'executed', reason: 'no seat left', durationMs: 412, error: { kind: 'license', status: 403 } };
    case 'skipped':
      return {
        ...base,
        service: 'mapper',
        step: 'skipped',
        reason: 'no change to a mapped attribute',
        details: { configVersion: 2, steps: [{ type: 'import', status: 'success', description: 'received user.attributes-changed' }, { type: 'processing', status: 'skipped', description: 'no change' }] },
      };
    case 'success':
      return action === 'Import'
        ? { ...base, service: 'directory-watcher', step: 'computed', target: undefined, reason: 'directory change: user.assigned' }
        : {
            ...base,
            service: 'mapper',
            step: 'computed',
            before: { 'name.familyName': 'Byron', department: 'Maths', active: false, title: 'Countess' },
            after: { 'name.familyName': 'Lovelace', department: 'Maths', active: true, title: 'Countess', password: 'hunter2-in-an-attribute' },
            details: { configVersion: 2, steps: [{ type: 'import', status: 'success', description: 'received' }, { type: 'scoping', status: 'success', description: 'in scope' }, { type: 'matching', status: 'success', description: 'userName' }, { type: 'processing', status: 'success', description: action }] },
          };
  }
}

describe('provisioning log: Graph-shaped API', () => {
  const stack = new LogStack();
  beforeAll(() => stack.start(), 60_000);
  afterAll(() => stack.stop());

  describe('every action and status', () => {
    const records = AuditAction.options.flatMap((action, a) => AuditStatus.options.map((status, s) => roundTripRecord(action, status, a * 10 + s)));
    /** The steps no record above is at, as the services that take them record them. */
    const otherSteps: AuditRecord[] = [
      { ...roundTripRecord('Other', 'success', 100), id: 'rt/step/received', service: 'connector', step: 'received', reason: 're-driven from dead letter 7', details: undefined, before: undefined, after: undefined },
      { ...roundTripRecord('Update', 'warning', 101), id: 'rt/step/retried', step: 'retried', attempt: 1, reason: 'GoTo answered 503; will retry', error: { kind: 'transient', status: 503 } },
      { ...roundTripRecord('Other', 'failure', 102), id: 'rt/step/rejected', service: 'audit', step: 'rejected', reason: 'malformed audit record rejected', error: undefined },
    ];
    let byId: Map<string, ProvisioningObjectSummary>;

    beforeAll(async () => {
      // The job reads Entra tenant `contoso-tenant`: Graph's tenantId of each of its records.
      await stack.api.app.get(ProvisioningJobRecords).insert('roundtrip', {
        source: { kind: 'entra', settings: { tenantId: 'contoso-tenant', clientId: 'graph-app', servicePrincipalId: 'sp-1', scope: 'assigned' } },
        goto: { clientId: 'goto-app', rateLimitPerSecond: 10 },
        schedule: { intervalMinutes: 40 },
        notification: { enabled: false, emails: [], digestMinutes: 15 },
      }, {});
      await stack.send('round-trip', [...records, ...otherSteps]);
      const page = await waitFor(
        async () => {
          const { body } = await stack.read<ProvisioningObjectSummaryPage>('/auditLogs/provisioning?jobId=roundtrip&$top=1000');
          return body.value.length === records.length + otherSteps.length && body;
        },
        { what: `${records.length + otherSteps.length} records through the admin API` },
      );
      byId = new Map(page.value.map((s) => [s.id, s]));
    });

    it('answers each with Graph’s field names and values, and nothing else', () => {
      for (const record of records) {
        const summary = byId.get(record.id)!;
        expect(summary).toEqual(provisioningObjectSummarySchema.parse(summary));
        expect({
          id: summary.id,
          activityDateTime: summary.activityDateTime,
          jobId: summary.jobId,
          cycleId: summary.cycleId,
          changeId: summary.changeId,
          provisioningAction: summary.provisioningAction,
          status: summary.provisioningStatusInfo.status,
          source: [summary.sourceIdentity.id, summary.sourceIdentity.displayName, summary.sourceIdentity.identityType],
          roster: [summary.roster.service, summary.roster.action, summary.roster.step, summary.roster.status, summary.roster.messageId],
        }).toEqual({
          id: record.id,
          activityDateTime: record.occurredAt,
          jobId: 'roundtrip',
          cycleId: '7',
          changeId: record.correlationId,
          provisioningAction: GRAPH_ACTION[record.action],
          status: GRAPH_STATUS[record.status],
          source: [record.source!.id, record.source!.displayName, 'User'],
          roster: [record.service, record.action, record.step, record.status, record.messageId],
        });
        expect(summary.targetIdentity).toEqual(
          record.target ? { id: record.target.id, displayName: record.target.userName, identityType: 'User', details: {} } : { id: '', displayName: '', identityType: '', details: {} },
        );
      }
    });

    it('gives failures and warnings Entra’s error code and the reason, and no error to the rest', () => {
      for (const record of records) {
        const { errorInformation } = byId.get(record.id)!.provisioningStatusInfo;
        if (record.status === 'failure') {
          expect(errorInformation).toMatchObject({ errorCode: 'EntryConflict', reason: 'GoTo refused the create: 409', errorCategory: 'nonServiceFailure' });
        } else if (record.status === 'warning') {
          expect(errorInformation).toMatchObject({ errorCode: 'InsufficientRights', reason: 'no seat left' });
        } else {
          expect(errorInformation).toBeNull();
        }
      }
    });

    it('shows the steps each service took: the mapper’s import, scoping, matching and processing; the connector’s export', () => {
      const stepsOf = (id: string) => byId.get(id)!.provisioningSteps.map((s) => [s.provisioningStepType, s.status]);
      expect(stepsOf('rt/Create/success')).toEqual([['import', 'success'], ['scoping', 'success'], ['matching', 'success'], ['processing', 'success']]);
      expect(byId.get('rt/Create/success')!.provisioningSteps.at(-1)!.name).toBe('EntrySynchronizationAdd');
      expect(stepsOf('rt/Update/skipped')).toEqual([['import', 'success'], ['processing', 'skipped']]);
      expect(stepsOf('rt/Create/failure')).toEqual([['export', 'failure']]);
      expect(byId.get('rt/Create/failure')!.provisioningSteps[0]).toMatchObject({ name: 'EntryExportAdd', details: { ReportableIdentifier: 'user2@example.com' } });
      expect(stepsOf('rt/Disable/pending')).toEqual([['export', 'unknownFutureValue']]);
      expect(stepsOf('rt/Import/success')).toEqual([['import', 'success']]);
    });

    it('shows each other step of Roster’s as Graph’s: a re-drive received, a write retried, a message rejected', () => {
      const shown = otherSteps.map((r) => {
        const s = byId.get(r.id)!;
        return [s.roster.step, s.provisioningAction, s.provisioningSteps.map((p) => [p.name, p.provisioningStepType, p.status]), s.provisioningStatusInfo.errorInformation?.errorCode ?? null];
      });
      expect(shown).toEqual([
        ['received', 'other', [['EntryImport', 'import', 'success']], null],
        ['retried', 'update', [['EntryExportUpdate', 'export', 'warning']], 'ServiceUnavailable'],
        ['rejected', 'other', [['EntrySynchronizationRejected', 'processing', 'failure']], 'InvalidMessage'],
      ]);
    });

    it('keeps only the attributes a change modified, old → new as Graph’s strings, with credentials masked', async () => {
      expect(byId.get('rt/Update/success')!.modifiedProperties).toEqual([
        { displayName: 'name.familyName', oldValue: 'Byron', newValue: 'Lovelace' },
        { displayName: 'active', oldValue: 'False', newValue: 'True' },
        { displayName: 'password', oldValue: null, newValue: '[Redacted]' },
      ]);
      expect(byId.get('rt/Update/failure')!.provisioningStatusInfo.errorInformation!.additionalDetails).toBe(
        JSON.stringify({ detail: 'userName exists', password: '[Redacted]' }),
      );
      const stored = await stack.env.query(`SELECT * FROM provisioning_log WHERE provisioning_job_id = 'roundtrip'`);
      expect(JSON.stringify(stored)).not.toMatch(/hunter2|p@ss/);
    });

    it('gives each record its job’s directory tenant, and a write the time GoTo took', async () => {
      expect(new Set([...byId.values()].map((s) => s.tenantId))).toEqual(new Set(['contoso-tenant']));
      expect(byId.get('rt/Create/warning')!.durationInMilliseconds).toBe(412);
      expect(byId.get('rt/Create/success')!.durationInMilliseconds).toBeNull();
    });

    it('answers one record by its id, and 404 for an unknown one', async () => {
      const one = await stack.read<ProvisioningObjectSummary>(`/auditLogs/provisioning/${encodeURIComponent('rt/Delete/success')}`);
      expect(one).toEqual({ status: 200, body: byId.get('rt/Delete/success') });
      expect((await stack.read('/auditLogs/provisioning/nope')).status).toBe(404);
    });
  });

  it('stores an update that changed two attributes as those two, however whole the states its services sent', async () => {
    const records = logRecordsOfChange({ n: 1, kind: 'update', at: new Date(NOW - 2 * HOUR), jobId: 'lean' });
    await stack.send('lean', records);
    const rows = await waitFor(async () => {
      const found = await stack.env.query<{ service: string; modified: unknown[] }>(`SELECT service, modified FROM provisioning_log WHERE provisioning_job_id = 'lean' ORDER BY occurred_at`);
      return found.length === 4 && found;
    });
    expect(rows.map((r) => [r.service, r.modified?.length ?? 0])).toEqual([['directory-watcher', 0], ['mapper', 2], ['connector', 2], ['connector', 2]]);
    // The enterprise extension's URN stored short: the summaries read it whole.
    expect(rows[1]!.modified).toEqual([
      ['name.familyName', 'Lovelace1', 'Byron1'],
      ['@enterprise:department', 'R&D', 'Computing'],
    ]);
  });

  describe('filters', () => {
    const jobs = ['gotomeeting', 'tenant-b'];
    const names = ['Ada.Lovelace@Example.com', 'grace@example.com', "o'brien@example.com", 'ALAN@example.com', 'Ada.Byron@example.com'];
    /** 400 records drawn from small domains, so filters match some and miss others; several share an instant. */
    const records: AuditRecord[] = Array.from({ length: 400 }, (_, i) => {
      const pick = <T>(xs: readonly T[], salt: number) => xs[(i * 7 + salt * 13 + Math.floor(i / 5)) % xs.length]!;
      const status = pick(AuditStatus.options, 1);
      const hasSource = i % 11 !== 0;
      const hasTarget = i % 3 !== 0;
      return {
        version: 1,
        id: `f/${pick(['connector', 'mapper', 'directory-watcher'], 2)}/${String(i).padStart(3, '0')}`,
        // Three records a second, in the two days before now.
        occurredAt: new Date(NOW - 2 * 24 * HOUR + Math.floor(i / 3) * 7 * 60_000).toISOString(),
        service: pick(['connector', 'mapper', 'directory-watcher', 'audit'] as const, 3),
        provisioningJobId: pick(jobs, 4),
        correlationId: `${pick(jobs, 4)}/${i % 40}`,
        ...(i % 4 === 0 ? {} : { cycleId: String(i % 5) }),
        messageId: `m${i}`,
        action: pick(AuditAction.options, 5),
        step: pick(['received', 'computed', 'skipped', 'attempted', 'executed', 'failed', 'retried', 'rejected'] as const, 6),
        status,
        ...(status === 'failure' || status === 'warning' ? { error: { kind: pick(['permanent', 'timeout', 'fatal'], 7), ...(i % 2 ? { status: pick([400, 409, 429, 500], 8) } : {}) } } : {}),
        ...(hasSource ? { source: { id: `dir-${i % 17}`, ...(i % 5 ? { displayName: pick(names, 9) } : {}) } } : {}),
        ...(hasTarget ? { target: { ...(i % 2 ? { id: `goto-${i % 13}` } : {}), userName: pick(names, 10).toLowerCase() } } : {}),
      };
    });
    let all: ProvisioningObjectSummary[];

    beforeAll(async () => {
      await stack.store(records);
      all = (await stack.readInternal<ProvisioningObjectSummaryPage>('/auditLogs/provisioning?$top=1000&$filter=' + encodeURIComponent(`contains(id, 'f/')`))).body.value;
      expect(all).toHaveLength(records.length);
    });

    /** Every page of a query, following @odata.nextLink, on the audit service itself. */
    async function everyPage(query: URLSearchParams): Promise<ProvisioningObjectSummary[]> {
      const found: ProvisioningObjectSummary[] = [];
      for await (const page of stack.pages(query)) found.push(...page);
      return found;
    }

    const valuesOf = (field: FilterField): string[] =>
      [...new Set(all.map((s) => {
        let v: unknown = s;
        for (const part of field.split('/')) v = v === null || typeof v !== 'object' ? null : (v as Record<string, unknown>)[part];
        return v;
      }).filter((v): v is string => typeof v === 'string'))];

    const literal = (v: string) => `'${v.replace(/'/g, "''")}'`;
    const render = (e: FilterExpr): string => {
      switch (e.kind) {
        case 'and':
        case 'or':
          return `(${render(e.left)}) ${e.kind} (${render(e.right)})`;
        case 'contains':
          return `contains(${e.field}, ${literal(e.value)})`;
        case 'compare':
          return `${e.field} ${e.op} ${e.value === null ? 'null' : FILTER_FIELDS[e.field].type === 'datetime' ? e.value : literal(e.value)}`;
      }
    };

    /** Filters drawn from the values the rows hold (so they match some rows), built once the rows are read. */
    function queryArbitraries() {
      const fields = Object.keys(FILTER_FIELDS) as FilterField[];
      const textFields = fields.filter((f) => FILTER_FIELDS[f].type === 'string');
      const seen = (field: FilterField) => fc.oneof(fc.constantFrom(...valuesOf(field)), fc.string({ maxLength: 3 }));
      const leaf = (): fc.Arbitrary<FilterExpr> =>
        fc.oneof(
          fc.constantFrom(...textFields).chain((field) =>
            fc.oneof(
              fc.record({ kind: fc.constant('compare' as const), op: fc.constantFrom('eq' as const, 'gt' as const, 'lt' as const), field: fc.constant(field), value: seen(field) }),
              fc.record({ kind: fc.constant('compare' as const), op: fc.constant('eq' as const), field: fc.constant(field), value: fc.constant(null) }),
              fc.record({
                kind: fc.constant('contains' as const),
                field: fc.constant(field),
                // Whole addresses too: the index is asked for the local part, the domain still has to match.
                value: fc.oneof(seen(field).map((v) => v.slice(1, 1 + Math.ceil(v.length / 3))), seen(field), fc.constantFrom('', 'grace@nowhere.org')),
              }),
            ),
          ),
          fc.record({
            kind: fc.constant('compare' as const),
            op: fc.constantFrom('eq' as const, 'gt' as const, 'lt' as const),
            field: fc.constant('activityDateTime' as const),
            value: fc.constantFrom(...all.map((s) => s.activityDateTime)),
          }),
          fc.constantFrom('provisioningAction' as const, 'provisioningStatusInfo/status' as const).chain((field) =>
            fc.record({ kind: fc.constant('compare' as const), op: fc.constant('eq' as const), field: fc.constant(field), value: fc.constantFrom(...FILTER_FIELDS[field].values) }),
          ),
        );
      const filterExpr: fc.Arbitrary<FilterExpr> = fc.letrec<{ expr: FilterExpr }>((tie) => ({
        expr: fc.oneof(
          { depthSize: 'small', withCrossShrink: true },
          leaf(),
          fc.record({ kind: fc.constantFrom('and' as const, 'or' as const), left: tie('expr'), right: tie('expr') }),
        ),
      })).expr;

      const instants = () => fc.constantFrom(...all.map((s) => s.activityDateTime));
      const everySimpleFilter = {
        jobId: fc.constantFrom(...jobs, 'none'),
        cycleId: fc.constantFrom('0', '1', '2', '9'),
        changeId: fc.constantFrom(...valuesOf('changeId').slice(0, 10)),
        userId: fc.constantFrom('dir-3', 'goto-5', 'ADA.LOVELACE@EXAMPLE.COM', "o'brien@example.com", 'nobody'),
        search: fc.constantFrom('ada', 'LOVELACE', "'b", 'goto-1', 'xyz', '%', '_', 'Ada.Lovelace@example.COM', "o'brien@exam", 'grace@nowhere.org'),
        action: fc.constantFrom(...AuditAction.options),
        status: fc.constantFrom(...AuditStatus.options),
        step: fc.constantFrom('computed' as const, 'executed' as const, 'failed' as const),
        service: fc.constantFrom('connector', 'mapper'),
        from: instants(),
        to: instants(),
      };
      // At most two simple parameters a query (with the $filter, all ANDed): every parameter at once,
      // as an optional-key record draws them, selected no row in 150 runs out of 150.
      const simpleFilters: fc.Arbitrary<SimpleFilters> = fc
        .tuple(fc.record(everySimpleFilter), fc.subarray(Object.keys(everySimpleFilter) as (keyof typeof everySimpleFilter)[], { maxLength: 2 }))
        .map(([values, names]) => Object.fromEntries(names.map((name) => [name, values[name]])));
      return { filterExpr, simpleFilters };
    }

    /** The rows a query selects through every page, and the rows the in-memory filter selects. */
    async function selectedAndExpected(filters: SimpleFilters, expr: FilterExpr | undefined, top = 100) {
      const query = new URLSearchParams({ $top: String(top), $filter: `contains(id, 'f/')${expr ? ` and (${render(expr)})` : ''}` });
      for (const [name, value] of Object.entries(filters)) query.set(name, value);
      const found = await everyPage(query);
      const times = found.map((s) => s.activityDateTime);
      expect(times).toEqual([...times].sort().reverse());
      const expected = all.filter((s) => (!expr || matchesFilter(expr, s)) && matchesSimpleFilters(filters, s)).map((s) => s.id);
      return { found: found.map((s) => s.id).sort(), expected: expected.sort() };
    }

    it('select, through every page, exactly the rows an in-memory filter of the same rows selects', async () => {
      const { filterExpr, simpleFilters } = queryArbitraries();
      let runs = 0;
      let someButNotAll = 0;
      await fc.assert(
        fc.asyncProperty(fc.option(filterExpr, { nil: undefined }), simpleFilters, fc.integer({ min: 7, max: 150 }), async (expr, filters, top) => {
          fc.pre(!(filters.from && filters.to && filters.from > filters.to));
          const { found, expected } = await selectedAndExpected(filters, expr, top);
          expect(found).toEqual(expected);
          runs++;
          if (expected.length > 0 && expected.length < all.length) someButNotAll++;
        }),
        { numRuns: 150 },
      );
      // Queries that select nothing (or everything) would pass whatever the SQL did.
      expect(someButNotAll).toBeGreaterThanOrEqual(runs / 5);
    });

    /** Each simple parameter and each `$filter` property alone, on a value the rows have, against the in-memory filter. */
    const middle = () => all[all.length / 2]!.activityDateTime;
    const held = (field: FilterField) => valuesOf(field).find((v) => v !== '')!;
    type Alone = [name: string, filters: () => SimpleFilters, expr: () => FilterExpr | undefined];
    const alone: Alone[] = [
      ...(
        [
          ['jobId', () => ({ jobId: 'tenant-b' })],
          ['cycleId', () => ({ cycleId: '1' })],
          ['changeId', () => ({ changeId: held('changeId') })],
          ['userId (a user name in another case)', () => ({ userId: 'ADA.LOVELACE@EXAMPLE.COM' })],
          ['userId (a directory id)', () => ({ userId: 'dir-3' })],
          ['userId (a GoTo id)', () => ({ userId: 'goto-5' })],
          ['search', () => ({ search: 'LOVELACE' })],
          ['action', () => ({ action: 'Update' })],
          ['status', () => ({ status: 'failure' })],
          ['step', () => ({ step: 'executed' })],
          ['service', () => ({ service: 'mapper' })],
          ['from', () => ({ from: middle() })],
          ['to', () => ({ to: middle() })],
        ] as [string, () => SimpleFilters][]
      ).map(([name, filters]): Alone => [name, filters, () => undefined]),
      ...(Object.keys(FILTER_FIELDS) as FilterField[]).flatMap((field): Alone[] => {
        const spec: { type: string; values?: readonly string[] } = FILTER_FIELDS[field];
        if (spec.type === 'datetime') return [[`$filter ${field} lt`, () => ({}), () => ({ kind: 'compare', op: 'lt', field, value: middle() })]];
        if (spec.values) return [[`$filter ${field} eq`, () => ({}), () => ({ kind: 'compare', op: 'eq', field, value: spec.values!.includes('update') ? 'update' : 'failure' })]];
        return [
          [`$filter ${field} eq`, () => ({}), () => ({ kind: 'compare', op: 'eq', field, value: held(field) })],
          [`$filter contains(${field})`, () => ({}), () => ({ kind: 'contains', field, value: held(field).slice(0, Math.ceil(held(field).length / 2)) })],
        ];
      }),
    ];

    it.each(alone)('%s selects some rows but not all, the ones the in-memory filter selects', async (_, filters, expr) => {
      const { found, expected } = await selectedAndExpected(filters(), expr());
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(all.length);
      expect(found).toEqual(expected);
    });

    it('links the next page where the client called: through the admin API, the admin API', async () => {
      const first = await stack.read<ProvisioningObjectSummaryPage>(`/auditLogs/provisioning?jobId=tenant-b&$top=5&$filter=${encodeURIComponent("contains(id, 'f/')")}`);
      const next = first.body['@odata.nextLink']!;
      expect(next.startsWith(`${stack.api.url}/auditLogs/provisioning?`)).toBe(true);
      expect(first.body['@odata.context']).toBe(`${stack.api.url}/$metadata#auditLogs/provisioning`);
      const res = await fetch(next, { headers: { authorization: `Bearer ${stack.readerKey}` } });
      const second = (await res.json()) as ProvisioningObjectSummaryPage;
      expect(second.value).toHaveLength(5);
      expect(second.value[0]!.activityDateTime <= first.body.value[4]!.activityDateTime).toBe(true);
      expect(new Set([...first.body.value, ...second.value].map((s) => s.id)).size).toBe(10);
    });

    it.each([
      [`$filter=${encodeURIComponent("jobId ne 'x'")}`, '$filter', /operator ne .* not supported/],
      [`$filter=${encodeURIComponent('tenantId eq 1')}`, '$filter', /unfilterable property 'tenantId'/],
      [`$orderby=${encodeURIComponent('activityDateTime asc')}`, '$orderby', /activityDateTime desc/],
      ['$top=0', '$top', /1|small/],
      ['$skiptoken=forged', '(root)', /previous page/],
      ['action=Explode', 'action', /Create/],
      ['evil=1', '(root)', /evil/],
    ])('answers %s with a 400 that names %s', async (query, path, message) => {
      const { status, body } = await stack.read<{ issues?: { path: string; message: string }[]; message: string }>(`/auditLogs/provisioning?${query}`);
      expect(status).toBe(400);
      const issue = body.issues?.find((i) => i.path === path);
      expect(issue?.message ?? body.message).toMatch(message);
    });
  });
});

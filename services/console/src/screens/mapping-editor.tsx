import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import type { ScopingOperator } from '@roster/mapping';
import { ApiError } from '../api/client';
import type { AttributeMappingConfig, MappingConfig, MappingConfigView, SavedMapping } from '../api/types';
import { ErrorNote, Loading } from '../components/feedback';
import { CheckField, SelectField, TextField } from '../components/fields';
import { useSession } from '../session';
import { MappingPreview } from './mapping-preview';
import { mappingIndexOf, offsetOf, problemPosition, type MappingProblem } from './mapping-problems';

const TYPES = [['Direct', 'Direct'], ['Constant', 'Constant'], ['Expression', 'Expression'], ['None', 'None']] as const;
const APPLY = [['Always', 'Always'], ['OnlyOnCreate', 'Only during object creation']] as const;
/** Entra's scoping operators, every one the mapper knows (the type keeps the list complete). */
const OPERATORS = Object.keys({
  EQUALS: 1,
  'NOT EQUALS': 1,
  'IS TRUE': 1,
  'IS FALSE': 1,
  'IS NULL': 1,
  'IS NOT NULL': 1,
  'REGEX MATCH': 1,
  'NOT REGEX MATCH': 1,
  Includes: 1,
  '&': 1,
  '!&': 1,
  STARTS_WITH: 1,
  ENDS_WITH: 1,
  Greater_Than: 1,
  Greater_Than_OR_EQUALS: 1,
  LESS_THAN: 1,
  LESS_THAN_OR_EQUALS: 1,
  'IS MEMBER OF': 1,
  'IS NOT MEMBER OF': 1,
} satisfies Record<ScopingOperator, 1>).map((o) => [o, o] as const);
const VALUELESS = new Set(['IS TRUE', 'IS FALSE', 'IS NULL', 'IS NOT NULL']);

/** A mapping turned into another type keeps only what that type reads (the mapper refuses the rest). */
function ofType(m: AttributeMappingConfig, type: AttributeMappingConfig['type']): Partial<AttributeMappingConfig> {
  return {
    type,
    source: type === 'Direct' ? m.source : undefined,
    constant: type === 'Constant' ? (m.constant ?? '') : undefined,
    expression: type === 'Expression' ? (m.expression ?? (m.source ? `[${m.source}]` : undefined)) : undefined,
  };
}

/** How long typing pauses before the configuration is checked. */
const VALIDATE_AFTER_MS = 400;

/** Attribute mappings, scoping filters and deprovisioning settings, checked by the mapper as you type. */
export function MappingEditor({ jobId }: { jobId: string }) {
  const { api } = useSession();
  const view = useQuery({ queryKey: ['mapping', jobId], queryFn: () => api.get<MappingConfigView>(`/jobs/${jobId}/mapping`) });
  if (view.isPending) return <Loading what="the mapping" />;
  if (!view.data) return <ErrorNote error={view.error} />;
  return <MappingForm jobId={jobId} view={view.data} />;
}

function MappingForm({ jobId, view }: { jobId: string; view: MappingConfigView }) {
  const { api, canWrite } = useSession();
  const queries = useQueryClient();
  const [config, setConfig] = useState<MappingConfig>(view.config);
  const [edited, setEdited] = useState(false);
  const [problems, setProblems] = useState<MappingProblem[] | null>(null);
  const [checkError, setCheckError] = useState<unknown>(null);

  useEffect(() => {
    if (!edited || !canWrite) return;
    const abort = new AbortController();
    const timer = setTimeout(async () => {
      try {
        await api.send('POST', `/jobs/${jobId}/mapping/validate`, config);
        if (!abort.signal.aborted) setProblems([]);
      } catch (e) {
        if (abort.signal.aborted) return;
        const body = e instanceof ApiError && e.status === 400 ? (e.body as { problems?: MappingProblem[] }) : null;
        if (body?.problems) setProblems(body.problems);
        else setCheckError(e);
      }
    }, VALIDATE_AFTER_MS);
    return () => {
      abort.abort();
      clearTimeout(timer);
    };
  }, [api, jobId, config, edited, canWrite]);

  const save = useMutation({
    mutationFn: () => api.send<SavedMapping>('PUT', `/jobs/${jobId}/mapping`, config),
    onSuccess: (saved) => {
      queries.setQueryData(['mapping', jobId], { ...view, version: saved.version, config: saved.config });
      setEdited(false);
    },
  });

  const change = (next: MappingConfig) => {
    setConfig(next);
    setEdited(true);
    setCheckError(null);
  };
  const setMapping = (i: number, patch: Partial<AttributeMappingConfig>) => change({ ...config, attributeMappings: config.attributeMappings.map((m, j) => (j === i ? { ...m, ...patch } : m)) });
  const rowProblems = (i: number) => (problems ?? []).filter((p) => mappingIndexOf(p) === i);
  const otherProblems = (problems ?? []).filter((p) => mappingIndexOf(p) === null);

  return (
    <section aria-labelledby="mapping-title">
      <h2 id="mapping-title">Attribute mappings</h2>
      <p className="muted">
        Version {view.version}
        {view.version === 0 && ' (the default, not saved yet)'}. Directory attributes: {view.sourceAttributes.join(', ')}.
      </p>
      <div aria-live="polite" role="status" className="validation">
        {edited && problems?.length === 0 && <p className="ok">The mapping is valid.</p>}
        {problems && problems.length > 0 && <p className="error">{problems.length === 1 ? 'One problem' : `${problems.length} problems`} to fix before saving.</p>}
      </div>
      <fieldset disabled={!canWrite} className="mappings">
        <legend>Mappings</legend>
        {config.attributeMappings.map((m, i) => (
          <MappingRow key={i} index={i} canWrite={canWrite} mapping={m} sourceAttributes={view.sourceAttributes} problems={rowProblems(i)} onChange={(patch) => setMapping(i, patch)} onRemove={() => change({ ...config, attributeMappings: config.attributeMappings.filter((_, j) => j !== i) })} />
        ))}
        {canWrite && (
          <button type="button" className="secondary" onClick={() => change({ ...config, attributeMappings: [...config.attributeMappings, { target: '', type: 'Direct', apply: 'Always' }] })}>
            Add mapping
          </button>
        )}
      </fieldset>
      <ScopingFilters config={config} sourceAttributes={view.sourceAttributes} onChange={change} disabled={!canWrite} />
      <fieldset disabled={!canWrite}>
        <legend>Target object actions and deletions</legend>
        <CheckField label="Create" checked={config.actions.create} onChange={(create) => change({ ...config, actions: { ...config.actions, create } })} />
        <CheckField label="Update" checked={config.actions.update} onChange={(update) => change({ ...config, actions: { ...config.actions, update } })} />
        <CheckField label="Delete" checked={config.actions.delete} onChange={(del) => change({ ...config, actions: { ...config.actions, delete: del } })} />
        <CheckField label="Skip out-of-scope deletions" checked={config.skipOutOfScopeDeletions} onChange={(skipOutOfScopeDeletions) => change({ ...config, skipOutOfScopeDeletions })} />
        <TextField
          label="Accidental deletion threshold"
          type="number"
          min={1}
          value={config.deletionThreshold === null ? '' : String(config.deletionThreshold)}
          onChange={(v) => change({ ...config, deletionThreshold: v.trim() ? Number(v) : null })}
          hint="More disables and deletes than this in one cycle wait for approval. Empty: no threshold."
        />
      </fieldset>
      {otherProblems.length > 0 && (
        <ul className="problems">
          {otherProblems.map((p, k) => (
            <li key={k}>
              {p.path}: {p.message}
            </li>
          ))}
        </ul>
      )}
      {canWrite && (
        <div className="actions">
          <button type="button" onClick={() => save.mutate()} disabled={save.isPending || !edited || (problems?.length ?? 0) > 0}>
            Save mappings
          </button>
          {save.isSuccess && !edited && (
            <span role="status" className="ok">
              Saved as version {save.data.version}: every user is re-evaluated.
            </span>
          )}
        </div>
      )}
      <ErrorNote error={checkError ?? save.error} />
      <MappingPreview jobId={jobId} draft={edited && problems?.length === 0 ? config : null} />
    </section>
  );
}

function MappingRow({
  index,
  canWrite,
  mapping: m,
  sourceAttributes,
  problems,
  onChange,
  onRemove,
}: {
  index: number;
  canWrite: boolean;
  mapping: AttributeMappingConfig;
  sourceAttributes: string[];
  problems: MappingProblem[];
  onChange(patch: Partial<AttributeMappingConfig>): void;
  onRemove(): void;
}) {
  const id = useId();
  const name = m.target || `mapping ${index + 1}`;
  return (
    <div className={problems.length ? 'mapping-row invalid' : 'mapping-row'} role="group" aria-label={`Mapping of ${name}`}>
      <TextField label="Target attribute" value={m.target} onChange={(target) => onChange({ target })} />
      <SelectField label="Mapping type" value={m.type} options={TYPES} onChange={(type) => onChange(ofType(m, type))} />
      {m.type === 'Direct' && <SelectField label="Source attribute" value={m.source ?? ''} options={[['', '—'], ...sourceAttributes.map((a) => [a, a] as const)]} onChange={(source) => onChange({ source: source || undefined })} />}
      {m.type === 'Constant' && <TextField label="Constant value" value={m.constant ?? ''} onChange={(constant) => onChange({ constant })} />}
      {m.type === 'Expression' && (
        <div className="field wide">
          <label htmlFor={`${id}-expr`}>Expression</label>
          <textarea id={`${id}-expr`} value={m.expression ?? ''} onChange={(e) => onChange({ expression: e.target.value || undefined })} aria-invalid={problems.length > 0} aria-describedby={problems.length ? `${id}-problems` : undefined} rows={2} spellCheck={false} />
        </div>
      )}
      <TextField label="Default value" value={m.defaultValue ?? ''} onChange={(v) => onChange({ defaultValue: v || undefined })} />
      <SelectField label="Apply this mapping" value={m.apply} options={APPLY} onChange={(apply) => onChange({ apply })} />
      <TextField label="Matching precedence" type="number" min={1} value={m.matchingPrecedence === undefined ? '' : String(m.matchingPrecedence)} onChange={(v) => onChange({ matchingPrecedence: v.trim() ? Number(v) : undefined })} />
      {canWrite && (
        <button type="button" className="secondary" onClick={onRemove} aria-label={`Remove mapping of ${name}`}>
          Remove
        </button>
      )}
      {problems.length > 0 && (
        <ul id={`${id}-problems`} className="problems">
          {problems.map((p, k) => (
            <li key={k}>
              {p.message}
              {m.type === 'Expression' && m.expression && <ExpressionMark text={m.expression} message={p.message} />}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The expression with the character the problem points at marked. */
function ExpressionMark({ text, message }: { text: string; message: string }) {
  const position = problemPosition(message);
  if (!position) return null;
  const at = offsetOf(text, position);
  return (
    <code className="expression-mark" aria-label={`Error at line ${position.line}, column ${position.column}`}>
      {text.slice(0, at)}
      <mark>{text.slice(at, at + 1) || ' '}</mark>
      {text.slice(at + 1)}
    </code>
  );
}

const newClause = (sourceAttributes: string[]) => ({ attribute: sourceAttributes[0] ?? 'department', operator: 'EQUALS', value: '' });

/** Scoping filters: each filter's clauses must all hold (AND); a user in any filter is in scope (OR). */
function ScopingFilters({ config, sourceAttributes, onChange, disabled }: { config: MappingConfig; sourceAttributes: string[]; onChange(c: MappingConfig): void; disabled: boolean }) {
  const filters = config.scopingFilters;
  const setFilters = (scopingFilters: MappingConfig['scopingFilters']) => onChange({ ...config, scopingFilters });
  const attributes = sourceAttributes.map((a) => [a, a] as const);
  return (
    <fieldset disabled={disabled}>
      <legend>Scoping filters</legend>
      {filters.length === 0 && <p className="muted">No filter: every assigned user is in scope.</p>}
      {filters.map((f, fi) => (
        <div key={fi} className="scope-group" role="group" aria-label={`Scoping filter ${fi + 1}`}>
          {fi > 0 && <p className="or">OR</p>}
          {f.clauses.map((c, ci) => {
            const setClause = (patch: Partial<typeof c>) => setFilters(filters.map((g, j) => (j === fi ? { ...g, clauses: g.clauses.map((d, k) => (k === ci ? { ...d, ...patch } : d)) } : g)));
            return (
              <div key={ci} className="clause">
                {ci > 0 && <span className="and">AND</span>}
                <SelectField label="Attribute" value={c.attribute} options={attributes.some(([a]) => a === c.attribute) ? attributes : [[c.attribute, c.attribute], ...attributes]} onChange={(attribute) => setClause({ attribute })} />
                <SelectField label="Operator" value={c.operator} options={OPERATORS} onChange={(operator) => setClause({ operator, value: VALUELESS.has(operator) ? undefined : (c.value ?? '') })} />
                {!VALUELESS.has(c.operator) && <TextField label="Value" value={c.value ?? ''} onChange={(value) => setClause({ value })} />}
                {!disabled && (
                  <button type="button" className="secondary" onClick={() => setFilters(filters.map((g, j) => (j === fi ? { ...g, clauses: g.clauses.filter((_, k) => k !== ci) } : g)).filter((g) => g.clauses.length > 0))}>
                    Remove clause
                  </button>
                )}
              </div>
            );
          })}
          {!disabled && (
            <button type="button" className="secondary" onClick={() => setFilters(filters.map((g, j) => (j === fi ? { ...g, clauses: [...g.clauses, newClause(sourceAttributes)] } : g)))}>
              Add AND clause
            </button>
          )}
        </div>
      ))}
      {!disabled && (
        <button type="button" className="secondary" onClick={() => setFilters([...filters, { clauses: [newClause(sourceAttributes)] }])}>
          Add OR filter
        </button>
      )}
    </fieldset>
  );
}

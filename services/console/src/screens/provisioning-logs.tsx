import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { queryString } from '../api/client';
import type { ProvisioningObjectSummary, ProvisioningObjectSummaryPage } from '../api/types';
import { ErrorNote, Loading, formatTime, resultWord } from '../components/feedback';
import { SelectField, TextField } from '../components/fields';
import { useSession } from '../session';
import { TableHead } from '../components/table-head';
import { StepList } from '../components/step-list';

interface Filters {
  search: string;
  from: string;
  to: string;
  status: string;
  action: string;
  cycleId: string;
  changeId: string;
}
const noFilters: Filters = { search: '', from: '', to: '', status: '', action: '', cycleId: '', changeId: '' };

const STATUSES = [['', 'Any status'], ['success', 'Success'], ['failure', 'Failure'], ['warning', 'Warning'], ['skipped', 'Skipped'], ['pending', 'Pending']] as const;
const ACTIONS = [['', 'Any action'], ...['Create', 'Update', 'Disable', 'Enable', 'Delete', 'StagedDelete', 'AddMember', 'RemoveMember', 'Import', 'Other'].map((a) => [a, a] as const)] as const;

/** A local date-time field's value as the instant the API takes. */
const instant = (local: string) => (local ? new Date(local).toISOString() : undefined);

/** The job's filters as the query string of the log and of its export. */
function filterQuery(jobId: string, f: Filters, extra: Record<string, string | undefined> = {}) {
  return queryString({ jobId, search: f.search.trim(), from: instant(f.from), to: instant(f.to), status: f.status, action: f.action, cycleId: f.cycleId.trim(), changeId: f.changeId.trim(), ...extra });
}

/** Entra's provisioning logs for one job: filters, a detail pane with steps and modified properties, and export. */
export function ProvisioningLogs({ jobId }: { jobId: string }) {
  const { api } = useSession();
  const [draft, setDraft] = useState<Filters>(noFilters);
  const [filters, setFilters] = useState<Filters>(noFilters);
  const [pages, setPages] = useState<string[]>([]);
  const [selected, setSelected] = useState<ProvisioningObjectSummary | null>(null);
  const [exportError, setExportError] = useState<unknown>(null);
  const skiptoken = pages.at(-1);
  const logs = useQuery({
    queryKey: ['logs', jobId, filters, skiptoken],
    queryFn: () => api.get<ProvisioningObjectSummaryPage>(`/auditLogs/provisioning${filterQuery(jobId, filters, { $top: '50', $skiptoken: skiptoken })}`),
  });
  const next = logs.data?.['@odata.nextLink'] ? new URL(logs.data['@odata.nextLink'], window.location.origin).searchParams.get('$skiptoken') : null;
  const set = (key: keyof Filters) => (value: string) => setDraft((d) => ({ ...d, [key]: value }));
  const apply = (e: FormEvent) => {
    e.preventDefault();
    setPages([]);
    setSelected(null);
    setFilters(draft);
  };

  const download = async (format: 'csv' | 'json') => {
    setExportError(null);
    try {
      const res = await api.fetch(`/auditLogs/provisioning/export${filterQuery(jobId, filters, { format })}`);
      if (!res.ok) throw new Error(`The export answered ${res.status}.`);
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = `provisioning-logs-${jobId}.${format}`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setExportError(e);
    }
  };

  return (
    <section aria-labelledby="logs-title">
      <h2 id="logs-title">Provisioning logs</h2>
      <form className="filters" onSubmit={apply} aria-label="Log filters">
        <TextField label="Identity" value={draft.search} onChange={set('search')} hint="Id, user name or display name, in the directory or in GoTo." />
        <TextField label="From" type="datetime-local" value={draft.from} onChange={set('from')} />
        <TextField label="To" type="datetime-local" value={draft.to} onChange={set('to')} />
        <SelectField label="Status" value={draft.status} onChange={set('status')} options={STATUSES} />
        <SelectField label="Action" value={draft.action} onChange={set('action')} options={ACTIONS} />
        <TextField label="Cycle id" value={draft.cycleId} onChange={set('cycleId')} />
        <TextField label="Change id" value={draft.changeId} onChange={set('changeId')} />
        <div className="actions">
          <button type="submit">Apply filters</button>
          <button type="button" className="secondary" onClick={() => void download('csv')}>
            Export CSV
          </button>
          <button type="button" className="secondary" onClick={() => void download('json')}>
            Export JSON
          </button>
        </div>
      </form>
      <ErrorNote error={exportError} />
      {logs.isPending && <Loading what="the log" />}
      <ErrorNote error={logs.error} />
      <div className="split">
        {logs.data && (
          <div>
            {logs.data.value.length === 0 ? (
              <p>No record matches these filters.</p>
            ) : (
              <table>
                <caption className="visually-hidden">Log records, newest first</caption>
                <TableHead columns={['Date', 'Identity', 'Action', 'Status', 'Step']} />
                <tbody>
                  {logs.data.value.map((r) => (
                    <tr key={r.id} aria-selected={selected?.id === r.id}>
                      <td>{formatTime(r.activityDateTime)}</td>
                      <td>
                        <button type="button" className="link" onClick={() => setSelected(r)}>
                          {r.sourceIdentity.displayName || r.sourceIdentity.id || r.targetIdentity.displayName || r.id}
                        </button>
                      </td>
                      <td>{r.roster.action}</td>
                      <td>
                        <span className={`badge status-${r.provisioningStatusInfo.status}`}>{resultWord(r.provisioningStatusInfo.status)}</span>
                      </td>
                      <td>
                        {r.roster.service} · {r.roster.step}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <div className="actions">
              <button type="button" className="secondary" disabled={!pages.length} onClick={() => setPages((p) => p.slice(0, -1))}>
                Newer
              </button>
              <button type="button" className="secondary" disabled={!next} onClick={() => next && setPages((p) => [...p, next])}>
                Older
              </button>
            </div>
          </div>
        )}
        {selected && <LogDetail record={selected} onClose={() => setSelected(null)} />}
      </div>
    </section>
  );
}

/** An identity as `name (id)`, or whichever of the two it has. */
function identity({ id, displayName }: { id: string; displayName: string }): string {
  if (id && displayName && id !== displayName) return `${displayName} (${id})`;
  return displayName || id || '—';
}

function LogDetail({ record: r, onClose }: { record: ProvisioningObjectSummary; onClose(): void }) {
  const error = r.provisioningStatusInfo.errorInformation;
  return (
    <aside className="detail card" aria-labelledby="detail-title">
      <div className="title-row">
        <h3 id="detail-title">
          {r.roster.action} of {r.sourceIdentity.displayName || r.sourceIdentity.id}
        </h3>
        <button type="button" className="secondary" onClick={onClose}>
          Close details
        </button>
      </div>
      <dl className="figures">
        <dt>Date</dt>
        <dd>{formatTime(r.activityDateTime)}</dd>
        <dt>Status</dt>
        <dd>{resultWord(r.provisioningStatusInfo.status)}</dd>
        <dt>Source identity</dt>
        <dd>{identity(r.sourceIdentity)}</dd>
        <dt>Target identity</dt>
        <dd>{identity(r.targetIdentity)}</dd>
        <dt>Cycle id</dt>
        <dd>{r.cycleId ?? '—'}</dd>
        <dt>Change id</dt>
        <dd>{r.changeId}</dd>
        <dt>Reason</dt>
        <dd>{r.roster.reason ?? '—'}</dd>
      </dl>
      {error && (
        <p className="error">
          {error.errorCode}: {error.reason}
          {error.recommendedAction && ` — ${error.recommendedAction}`}
        </p>
      )}
      <h4>Steps</h4>
      <StepList steps={r.provisioningSteps} />
      <h4>Modified properties</h4>
      {r.modifiedProperties.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <table className="compact">
          <TableHead columns={['Property', 'Old value', 'New value']} />
          <tbody>
            {r.modifiedProperties.map((p) => (
              <tr key={p.displayName}>
                <th scope="row">{p.displayName}</th>
                <td>{p.oldValue ?? '—'}</td>
                <td>{p.newValue ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </aside>
  );
}

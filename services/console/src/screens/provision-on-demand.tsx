import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { ProvisionOnDemandResult } from '../api/types';
import { ErrorNote } from '../components/feedback';
import { TextField } from '../components/fields';
import { useSession } from '../session';
import { TableHead } from '../components/table-head';
import { StepList } from '../components/step-list';

/** How often an unfinished provisioning on demand is read again. */
const POLL_MS = 1000;

/** Entra's "Provision on demand": one directory user through the pipeline now, each step shown as it completes. */
export function ProvisionOnDemand({ jobId }: { jobId: string }) {
  const { api, canWrite } = useSession();
  const [userId, setUserId] = useState('');
  const start = useMutation({ mutationFn: (id: string) => api.send<ProvisionOnDemandResult>('POST', `/jobs/${jobId}/provisionOnDemand`, { userId: id }) });
  const changeId = start.data && !start.data.complete ? start.data.changeId : null;
  const followed = useQuery({
    queryKey: ['on-demand', jobId, changeId],
    queryFn: () => api.get<ProvisionOnDemandResult>(`/jobs/${jobId}/provisionOnDemand?changeId=${encodeURIComponent(changeId!)}`),
    enabled: changeId !== null,
    refetchInterval: (q) => (q.state.data?.complete ? false : POLL_MS),
  });
  const result = followed.data ?? start.data;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (userId.trim()) start.mutate(userId.trim());
  };
  return (
    <section aria-labelledby="on-demand-title">
      <h2 id="on-demand-title">Provision on demand</h2>
      {canWrite ? (
        <form onSubmit={submit} className="actions">
          <TextField label="Directory user id" value={userId} onChange={setUserId} spellCheck={false} required />
          <button type="submit" disabled={start.isPending}>
            {start.isPending ? 'Provisioning…' : 'Provision'}
          </button>
        </form>
      ) : (
        <p className="muted">Provisioning on demand is for admins.</p>
      )}
      <ErrorNote error={start.error ?? followed.error} />
      {result && (
        <div aria-live="polite">
          <p role="status">
            {result.userId}: {result.complete ? `done — ${result.outcome}` : 'under way…'}
          </p>
          <StepList steps={result.steps} />
          {result.actions.length > 0 && (
            <table className="compact">
              <caption>Writes to GoTo</caption>
              <TableHead columns={['Command', 'Step', 'Status', 'Why']} />
              <tbody>
                {result.actions.map((a, i) => (
                  <tr key={i}>
                    <th scope="row">{a.command}</th>
                    <td>{a.step ?? '—'}</td>
                    <td>{a.status}</td>
                    <td>{a.reason ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </section>
  );
}

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { HeldDeletions as Held } from '../api/types';
import { ErrorNote, Loading, formatTime } from '../components/feedback';
import { useSession } from '../session';
import { TableHead } from '../components/table-head';

/** Disables and deletes the deletion threshold held back (Entra's accidental-deletion prevention). */
export function HeldDeletions({ jobId }: { jobId: string }) {
  const { api, canWrite } = useSession();
  const queries = useQueryClient();
  const held = useQuery({ queryKey: ['held', jobId], queryFn: () => api.get<Held>(`/jobs/${jobId}/held-deletions`), refetchInterval: 5000 });
  const decide = useMutation({
    mutationFn: (decision: 'approve' | 'reject') => api.send<{ released?: number; rejected?: number }>('POST', `/jobs/${jobId}/held-deletions/${decision}`),
    onSuccess: () => {
      void queries.invalidateQueries({ queryKey: ['held', jobId] });
      void queries.invalidateQueries({ queryKey: ['job', jobId] });
    },
  });
  const outcome = decide.data;
  return (
    <section aria-labelledby="held-title">
      <h2 id="held-title">Held deletions</h2>
      {held.isPending && <Loading what="held deletions" />}
      <ErrorNote error={held.error} />
      <div role="status">
        {outcome?.released !== undefined && <p className="ok">{outcome.released} deletions approved and sent.</p>}
        {outcome?.rejected !== undefined && <p className="ok">{outcome.rejected} deletions rejected; those users stay active in GoTo.</p>}
      </div>
      {held.data && held.data.items.length === 0 && <p>No deletion is waiting for approval.</p>}
      {held.data && held.data.items.length > 0 && (
        <>
          <p>{held.data.reason ?? `${held.data.items.length} disables or deletes are waiting for approval.`}</p>
          {canWrite && (
            <div className="actions">
              <button type="button" onClick={() => decide.mutate('approve')} disabled={decide.isPending}>
                Approve {held.data.items.length} deletions
              </button>
              <button type="button" className="danger" onClick={() => decide.mutate('reject')} disabled={decide.isPending}>
                Reject deletions
              </button>
            </div>
          )}
          <table>
            <TableHead columns={['User', 'Command', 'Cycle', 'Held since']} />
            <tbody>
              {held.data.items.map((h) => (
                <tr key={h.id}>
                  <td>{h.userId}</td>
                  <td>{h.commandType}</td>
                  <td>{h.cycle}</td>
                  <td>{formatTime(h.heldAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <ErrorNote error={decide.error} />
    </section>
  );
}

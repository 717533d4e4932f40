import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { DeadLetterPage, RedriveResult } from '../api/types';
import { ErrorNote, Loading, formatTime } from '../components/feedback';
import { useSession } from '../session';
import { TableHead } from '../components/table-head';

/** Commands that could not succeed; a re-drive has the mapper recompute the user and send its whole state. */
export function DeadLetters({ jobId }: { jobId: string }) {
  const { api, canWrite } = useSession();
  const queries = useQueryClient();
  const letters = useQuery({ queryKey: ['dead-letters', jobId], queryFn: () => api.get<DeadLetterPage>(`/jobs/${jobId}/dead-letters?limit=200`), refetchInterval: 5000 });
  const redrive = useMutation({
    mutationFn: (id: string | null) => api.send<RedriveResult>('POST', id ? `/jobs/${jobId}/dead-letters/${id}/redrive` : `/jobs/${jobId}/dead-letters/redrive`, id ? undefined : { all: true }),
    onSuccess: () => void queries.invalidateQueries({ queryKey: ['dead-letters', jobId] }),
  });
  const items = letters.data?.items ?? [];
  return (
    <section aria-labelledby="dead-title">
      <div className="title-row">
        <h2 id="dead-title">Dead letters</h2>
        {canWrite && items.length > 1 && (
          <button type="button" className="secondary" onClick={() => redrive.mutate(null)} disabled={redrive.isPending}>
            Re-drive all
          </button>
        )}
      </div>
      {letters.isPending && <Loading what="dead letters" />}
      <ErrorNote error={letters.error} />
      <div role="status">{redrive.data && <p className="ok">{redrive.data.redriven} re-driven: the mapper recomputes each user and sends its whole state.</p>}</div>
      {letters.data && items.length === 0 && <p>No dead letter: every command succeeded or is still being tried.</p>}
      {items.length > 0 && (
        <table>
          <TableHead columns={['User', 'Command', 'Why', 'Failed', ...(canWrite ? ['Action'] : [])]} />
          <tbody>
            {items.map((d) => (
              <tr key={d.id}>
                <td>{d.userId}</td>
                <td>{d.type}</td>
                <td>{d.reason}</td>
                <td>{formatTime(d.failedAt)}</td>
                {canWrite && (
                  <td>
                    <button type="button" onClick={() => redrive.mutate(d.id)} disabled={redrive.isPending} aria-label={`Re-drive ${d.type} of ${d.userId}`}>
                      Re-drive
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ErrorNote error={redrive.error} />
    </section>
  );
}

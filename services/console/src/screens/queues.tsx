import { useQuery } from '@tanstack/react-query';
import { ErrorNote, Loading } from '../components/feedback';
import { useSession } from '../session';
import { TableHead } from '../components/table-head';

interface BoardQueue {
  name: string;
  counts: Record<string, number>;
}

const STATES = ['waiting', 'active', 'delayed', 'completed', 'failed'] as const;

/**
 * The queues' counts from the queue dashboard's JSON (admins only). The dashboard's own pages need
 * the Authorization header on every request, which a browser adds only through a proxy or extension.
 */
export function QueuesScreen() {
  const { api } = useSession();
  const queues = useQuery({ queryKey: ['queues'], queryFn: () => api.get<{ queues: BoardQueue[] }>('/queues/api/queues'), refetchInterval: 5000 });
  return (
    <section aria-labelledby="queues-title">
      <h1 id="queues-title">Queues</h1>
      <p>
        The full queue dashboard is at <a href="/queues">/queues</a> (it needs your key in the Authorization header: open it through a proxy that adds it).
      </p>
      {queues.isPending && <Loading what="queues" />}
      <ErrorNote error={queues.error} />
      {queues.data && (
        <table>
          <TableHead columns={['Queue', ...STATES]} />
          <tbody>
            {queues.data.queues.map((q) => (
              <tr key={q.name}>
                <th scope="row">{q.name}</th>
                {STATES.map((s) => (
                  <td key={s}>{q.counts[s] ?? 0}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

import { useQuery } from '@tanstack/react-query';
import { ErrorNote, Loading } from '../components/feedback';
import { useSession } from '../session';
import { TableHead } from '../components/table-head';
import type { QueueDashboardLink } from '../api/types';

interface BoardQueue {
  name: string;
  counts: Record<string, number>;
}

const STATES = ['waiting', 'active', 'delayed', 'completed', 'failed'] as const;
/** A link opens the dashboard for five minutes: renewed each minute, the one shown has four left at least. */
const LINK_RENEW_MS = 60_000;

/**
 * The queues' counts from the queue dashboard's JSON (admins only), and a link to the dashboard's
 * own pages: a browser's navigation cannot add the Authorization header, so the admin API hands out
 * short-lived links that carry a signed token in their path instead.
 */
export function QueuesScreen() {
  const { api } = useSession();
  const queues = useQuery({ queryKey: ['queues'], queryFn: () => api.get<{ queues: BoardQueue[] }>('/queues/api/queues'), refetchInterval: 5000 });
  const link = useQuery({ queryKey: ['queue-dashboard-link'], queryFn: () => api.send<QueueDashboardLink>('POST', '/queue-dashboard/links'), refetchInterval: LINK_RENEW_MS });
  return (
    <section aria-labelledby="queues-title">
      <h1 id="queues-title">Queues</h1>
      {link.data && (
        <p>
          <a href={link.data.url} target="_blank" rel="noreferrer">
            Open the queue dashboard
          </a>{' '}
          (read-only; the page works for five minutes, then open it again from here).
        </p>
      )}
      <ErrorNote error={link.error} />
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

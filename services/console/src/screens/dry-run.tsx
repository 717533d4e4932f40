import { keepPreviousData, useInfiniteQuery, useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { queryString } from '../api/client';
import type { DryRun, DryRunDecision } from '../api/types';
import { ErrorNote, Loading, formatTime } from '../components/feedback';
import { SelectField } from '../components/fields';
import { TableHead } from '../components/table-head';
import { Link, navigate } from '../router';
import { useSession } from '../session';

/** GoTo commands in an admin's words; one not named here shows as the API names it. */
const COMMAND_WORDS: Record<string, string> = {
  'user.create': 'Create',
  'user.update': 'Update',
  'user.disable': 'Disable',
  'user.enable': 'Enable',
  'user.delete': 'Delete',
  'group.add-member': 'Add to group',
  'group.remove-member': 'Remove from group',
};
const commandWord = (command: string) => COMMAND_WORDS[command] ?? command;
const POLL_MS = 1000;
const PAGE = 100;

/** What a full cycle would send to GoTo now, sending nothing: start one, follow it, read its users. */
export function DryRunScreen({ jobId, runId }: { jobId: string; runId: string | null }) {
  const { api, canWrite } = useSession();
  const start = useMutation({
    mutationFn: () => api.send<DryRun>('POST', `/jobs/${jobId}/dryRun`),
    onSuccess: (run) => navigate(`/jobs/${jobId}/dry-run/${run.id}`),
  });
  return (
    <section aria-labelledby="dry-run-title">
      <h2 id="dry-run-title">Dry run</h2>
      <p>A dry run reads the whole directory now and decides what each user would need in GoTo against what Roster last sent; nothing is sent.</p>
      {canWrite && (
        <div className="actions">
          <button type="button" onClick={() => start.mutate()} disabled={start.isPending}>
            Start a dry run
          </button>
        </div>
      )}
      <ErrorNote error={start.error} />
      {runId ? <DryRunResult key={runId} jobId={jobId} runId={runId} /> : !canWrite && <p className="muted">An admin starts a dry run; its link opens it here.</p>}
    </section>
  );
}

function DryRunResult({ jobId, runId }: { jobId: string; runId: string }) {
  const { api } = useSession();
  const run = useQuery({
    queryKey: ['dry-run', jobId, runId],
    queryFn: () => api.get<DryRun>(`/jobs/${jobId}/dryRun/${runId}`),
    refetchInterval: (q) => (q.state.data?.status === 'running' ? POLL_MS : false),
  });
  if (run.isPending) return <Loading what="the dry run" />;
  if (!run.data) return <ErrorNote error={run.error} />;
  const r = run.data;
  const commands = Object.keys(r.counts).sort();
  return (
    <>
      <p role="status" className={r.status === 'failed' ? 'error' : undefined}>
        {r.status === 'running' && `Running since ${formatTime(r.startedAt)}: ${r.usersRead.toLocaleString()} users read so far…`}
        {r.status === 'completed' && `Completed ${formatTime(r.finishedAt)}: ${r.usersRead.toLocaleString()} users read, ${r.usersGone.toLocaleString()} gone from the directory.`}
        {r.status === 'failed' && `Failed: ${r.error ?? 'no reason given'}.`}
      </p>
      {r.wouldHoldDeletions && <p className="warn">The deletion threshold would hold this run’s disables and deletes for approval.</p>}
      <table className="compact">
        <caption>Would be sent</caption>
        <TableHead columns={['Command', 'Users']} />
        <tbody>
          {commands.map((c) => (
            <tr key={c}>
              <th scope="row">{commandWord(c)}</th>
              <td>{r.counts[c]!.toLocaleString()}</td>
            </tr>
          ))}
          <tr>
            <th scope="row">Mapping fails</th>
            <td>{r.usersFailing.toLocaleString()}</td>
          </tr>
          <tr>
            <th scope="row">Nothing to send</th>
            <td>{r.usersUnchanged.toLocaleString()}</td>
          </tr>
        </tbody>
      </table>
      <p className="muted">
        Link to this run: <Link to={`/jobs/${jobId}/dry-run/${runId}`}>{runId}</Link>
      </p>
      {r.status !== 'running' && <DryRunUsers jobId={jobId} runId={runId} commands={commands} />}
    </>
  );
}

/** The users the run would send something for (or whose mapping fails), filtered by command, a page at a time. */
function DryRunUsers({ jobId, runId, commands }: { jobId: string; runId: string; commands: string[] }) {
  const { api } = useSession();
  const [command, setCommand] = useState('');
  const items = useInfiniteQuery({
    queryKey: ['dry-run-items', jobId, runId, command],
    queryFn: ({ pageParam }) => api.get<{ items: DryRunDecision[]; next: string | null }>(`/jobs/${jobId}/dryRun/${runId}/items${queryString({ command, after: pageParam, limit: String(PAGE) })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next ?? undefined,
    // The list stays until the next filter's answer replaces it.
    placeholderData: keepPreviousData,
  });
  const options = [['', 'Every user listed'], ...commands.map((c) => [c, commandWord(c)] as const), ['failed', 'Mapping fails']] as const;
  const rows = items.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <SelectField label="Show" value={command} options={options} onChange={setCommand} />
      {items.isPending && <Loading what="the users" />}
      <ErrorNote error={items.error} />
      {items.data && rows.length === 0 && <p>No user in this list.</p>}
      {rows.length > 0 && (
        <table aria-label="Users of the dry run">
          <TableHead columns={['User', 'Would send', 'Attributes changed', 'Note']} />
          <tbody>
            {rows.map((d) => (
              <tr key={d.userId}>
                <td>{d.userName ?? d.userId}</td>
                <td>{d.commands.map(commandWord).join(', ') || '—'}</td>
                <td>{d.changed?.join(', ') || '—'}</td>
                <td className={d.failed ? 'error' : undefined}>{d.reason ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {items.hasNextPage && (
        <button type="button" className="secondary" onClick={() => void items.fetchNextPage()} disabled={items.isFetchingNextPage}>
          More users
        </button>
      )}
    </>
  );
}

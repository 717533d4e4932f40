import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { ProvisioningJobView } from '../api/types';
import { ErrorNote, Loading, StateBadge, formatTime } from '../components/feedback';
import { Link } from '../router';
import { useSession } from '../session';
import { DeadLetters } from './dead-letters';
import { DryRunScreen } from './dry-run';
import { HeldDeletions } from './held-deletions';
import { JobSetup } from './job-setup';
import { MappingEditor } from './mapping-editor';
import { ProvisionOnDemand } from './provision-on-demand';
import { ProvisioningLogs } from './provisioning-logs';
import { SyncProgressView } from './sync-progress';

const TABS = [
  ['setup', 'Set-up'],
  ['mapping', 'Mappings'],
  ['progress', 'Sync progress'],
  ['logs', 'Provisioning logs'],
  ['held-deletions', 'Held deletions'],
  ['dead-letters', 'Dead letters'],
  ['on-demand', 'Provision on demand'],
  ['dry-run', 'Dry run'],
] as const;

/** `item`: what the tab shows of its own (a dry run's id). */
export function JobPage({ jobId, tab, item }: { jobId: string; tab: string; item: string | null }) {
  const { api } = useSession();
  const job = useQuery({ queryKey: ['job', jobId], queryFn: () => api.get<ProvisioningJobView>(`/jobs/${jobId}`), refetchInterval: 3000 });
  if (job.isPending) return <Loading what="the job" />;
  if (!job.data) return <ErrorNote error={job.error} />;
  const j = job.data;
  return (
    <>
      <div className="title-row">
        <h1>{j.displayName ?? j.id}</h1>
        <StateBadge state={j.state} />
        <ProvisioningStatus job={j} />
      </div>
      {j.stateDetail && (
        <p className="muted">
          {j.stateDetail.reason ? `${j.stateDetail.reason} — since` : 'Since'} {formatTime(j.stateDetail.since)}
          {j.stateDetail.nextProbeAt && `, next try ${formatTime(j.stateDetail.nextProbeAt)}`}
        </p>
      )}
      <nav aria-label="Job" className="tabs">
        {TABS.map(([id, label]) => (
          <Link key={id} to={`/jobs/${jobId}/${id}`} aria-current={tab === id ? 'page' : undefined}>
            {label}
          </Link>
        ))}
      </nav>
      {tab === 'setup' && <JobSetup key={j.id} job={j} />}
      {tab === 'mapping' && <MappingEditor jobId={jobId} />}
      {tab === 'progress' && <SyncProgressView jobId={jobId} />}
      {tab === 'logs' && <ProvisioningLogs jobId={jobId} />}
      {tab === 'held-deletions' && <HeldDeletions jobId={jobId} />}
      {tab === 'dead-letters' && <DeadLetters jobId={jobId} />}
      {tab === 'on-demand' && <ProvisionOnDemand jobId={jobId} />}
      {tab === 'dry-run' && <DryRunScreen jobId={jobId} runId={item} />}
    </>
  );
}

/** Entra's Provisioning Status On / Off, and a restart (a fresh initial cycle), asked for twice. */
function ProvisioningStatus({ job }: { job: ProvisioningJobView }) {
  const { api, canWrite } = useSession();
  const queries = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const on = job.state !== 'paused';
  const act = useMutation({
    mutationFn: (action: 'start' | 'pause' | 'restart') => api.send<ProvisioningJobView>('POST', `/jobs/${job.id}/${action}`, action === 'restart' ? {} : undefined),
    onSuccess: (answer) => {
      setConfirming(false);
      queries.setQueryData(['job', job.id], answer);
      void queries.invalidateQueries({ queryKey: ['jobs'] });
    },
  });
  if (!canWrite) return <span className="muted">Provisioning status: {on ? 'On' : 'Off'}</span>;
  return (
    <div className="status-controls">
      <button type="button" role="switch" aria-checked={on} onClick={() => act.mutate(on ? 'pause' : 'start')} disabled={act.isPending} className={on ? 'switch on' : 'switch'}>
        Provisioning status: {on ? 'On' : 'Off'}
      </button>
      {!confirming && (
        <button type="button" className="secondary" onClick={() => setConfirming(true)} disabled={act.isPending}>
          Restart provisioning
        </button>
      )}
      {confirming && (
        <div role="alertdialog" aria-labelledby="restart-question" className="confirm">
          <p id="restart-question">Restart provisioning? A fresh initial cycle reads the whole directory again and restates every user in GoTo.</p>
          {/* The safe answer has the focus, so Enter pressed by habit cancels. */}
          <button type="button" className="secondary" onClick={() => setConfirming(false)} autoFocus>
            Cancel
          </button>
          <button type="button" onClick={() => act.mutate('restart')} disabled={act.isPending}>
            Restart
          </button>
        </div>
      )}
      <ErrorNote error={act.error} />
    </div>
  );
}

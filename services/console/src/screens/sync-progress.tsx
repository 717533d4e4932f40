import type { CycleProgress } from '../api/types';
import { useSyncProgress, type ThroughputSample } from '../api/use-sync-progress';
import { Loading, formatTime } from '../components/feedback';
import { TableHead } from '../components/table-head';

/** A cycle's kind in words: `recover` is also what a restart runs, restating every user. */
const KIND_WORDS: Record<NonNullable<CycleProgress['kind']>, string> = {
  initial: 'initial',
  incremental: 'incremental',
  reconcile: 'reconciling',
  recover: 'restating every user',
};
const kindWords = (kind: CycleProgress['kind']) => (kind ? KIND_WORDS[kind] : 'cycle');

const number = (n: number | null | undefined) => (n === null || n === undefined ? '—' : n.toLocaleString());

function duration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/**
 * The running cycle as Entra's progress bar shows it, updated live; with none running, the last
 * cycle that changed anything (a later one that found nothing would only ever show 100%).
 */
export function SyncProgressView({ jobId }: { jobId: string }) {
  const { progress, samples, error } = useSyncProgress(jobId);
  if (!progress) return error ? <p role="alert" className="error">{error}</p> : <Loading what="sync progress" />;
  const cycle: CycleProgress | null = progress.current ?? progress.lastWithChanges ?? progress.last;
  const current = progress.current;
  const quiet = !current && progress.lastWithChanges ? progress.last : null;
  const percent = cycle ? Math.round(cycle.percentComplete) : 0;
  return (
    <section aria-labelledby="progress-title">
      <h2 id="progress-title">Sync progress</h2>
      <p role="status">
        {current ? `Cycle running (${kindWords(current.kind)}, started ${formatTime(current.startedAt)}).` : progress.steadyState ? 'Steady state: no cycle running; changes flow as they happen.' : 'No cycle running.'}
      </p>
      {!cycle && <p>No cycle has run yet.</p>}
      {quiet && (
        <p className="muted">
          The latest cycle ({kindWords(quiet.kind)}, ended {formatTime(quiet.endedAt)}) found nothing to change; below is the last one that did.
        </p>
      )}
      {cycle && (
        <>
          <div className="progress-row">
            <label htmlFor="cycle-progress">
              {current ? 'Current cycle' : quiet ? 'Last cycle with changes' : 'Last cycle'}
              {` (${kindWords(cycle.kind)}, cycle ${cycle.cycleId})`}
            </label>
            <progress id="cycle-progress" max={100} value={percent} aria-valuetext={`${percent}% complete`} />
            <span className="percent">{percent}% complete</span>
          </div>
          <dl className="figures">
            <dt>Users in scope</dt>
            <dd>{number(cycle.usersInScope)}</dd>
            <dt>Changes</dt>
            <dd>{number(cycle.changes)}</dd>
            <dt>Processed</dt>
            <dd>{number(cycle.processed)}</dd>
            <dt>Remaining</dt>
            <dd>{number(cycle.remaining)}</dd>
            <dt>Estimated completion</dt>
            <dd>{current ? `${duration(current.estimatedSecondsRemaining)} (${formatTime(current.estimatedCompletionAt)})` : cycle.endedAt ? `completed ${formatTime(cycle.endedAt)}` : '—'}</dd>
            {current && (
              <>
                <dt>Throughput</dt>
                <dd>
                  {current.ratePerSecond.toFixed(1)} changes/s ({current.rateBasis === 'measured' ? 'measured over the last minute' : 'GoTo’s rate limit'})
                </dd>
              </>
            )}
          </dl>
          <ActionCounts counts={cycle.countsByAction} />
        </>
      )}
      <ThroughputChart samples={samples} />
      {error && <p className="muted">Live updates interrupted ({error}); reconnecting…</p>}
    </section>
  );
}

function ActionCounts({ counts }: { counts: CycleProgress['countsByAction'] }) {
  const actions = Object.keys(counts).sort();
  const statuses = [...new Set(actions.flatMap((a) => Object.keys(counts[a]!)))].sort();
  if (!actions.length) return <p className="muted">No outcome logged in this cycle yet.</p>;
  return (
    <table className="compact">
      <caption>Outcomes by action</caption>
      <TableHead columns={['Action', ...statuses]} />
      <tbody>
        {actions.map((a) => (
          <tr key={a}>
            <th scope="row">{a}</th>
            {statuses.map((s) => (
              <td key={s}>{number(counts[a]![s] ?? 0)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Changes per second over the pushes received since the page opened. */
function ThroughputChart({ samples }: { samples: ThroughputSample[] }) {
  const width = 480;
  const height = 120;
  if (samples.length < 2) return null;
  const max = Math.max(1, ...samples.map((s) => s.perSecond));
  const t0 = samples[0]!.at;
  const span = Math.max(1, samples.at(-1)!.at - t0);
  const points = samples.map((s) => `${(((s.at - t0) / span) * width).toFixed(1)},${(height - (s.perSecond / max) * (height - 10)).toFixed(1)}`).join(' ');
  const latest = samples.at(-1)!.perSecond;
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-label={`Throughput: now ${latest.toFixed(1)} changes per second, peak ${max.toFixed(1)}`}>
        <line x1={0} y1={height - 0.5} x2={width} y2={height - 0.5} className="axis" />
        <polyline points={points} className="line" />
      </svg>
      <figcaption>Throughput (changes per second), peak {max.toFixed(1)}</figcaption>
    </figure>
  );
}

import type { ProvisioningJobStateName } from '../api/types';

const STATE_WORDS: Record<ProvisioningJobStateName, string> = {
  steady: 'Steady',
  'initial-sync': 'Initial sync',
  paused: 'Paused',
  quarantined: 'Quarantined',
  'needs-approval': 'Needs approval',
  failed: 'Failed',
};

/** A job's state in words, its colour only a second cue. */
export function StateBadge({ state }: { state: ProvisioningJobStateName }) {
  return <span className={`badge state-${state}`}>{STATE_WORDS[state]}</span>;
}

/** A refusal or failure, announced to screen readers. */
export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p role="alert" className="error">
      {error instanceof Error ? error.message : String(error)}
    </p>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p role="status" className="muted">
      Loading {what}…
    </p>
  );
}

export const formatTime = (iso: string | null | undefined): string => (iso ? new Date(iso).toLocaleString() : '—');

/** Graph's provisioningResult in words: `unknownFutureValue` marks what is still under way. */
export const resultWord = (status: string): string => (status === 'unknownFutureValue' ? 'in progress' : status);

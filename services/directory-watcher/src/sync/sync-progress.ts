/** What an admin sees of the current cycle (GET /sync/status), like Entra's progress bar. */
export interface SyncProgress {
  phase: 'starting' | 'initial' | 'incremental' | 'reconcile' | 'recover' | 'idle' | 'standby' | 'paused' | 'error';
  cycle: number;
  usersProcessed: number;
  eventsEmitted: number;
  startedAt: string | null;
  lastCompletedAt: string | null;
  lastError: string | null;
}

export function initialProgress(): SyncProgress {
  return {
    phase: 'starting',
    cycle: 0,
    usersProcessed: 0,
    eventsEmitted: 0,
    startedAt: null,
    lastCompletedAt: null,
    lastError: null,
  };
}

import type { ReconciliationBusy, ReconciliationRun } from '@roster/contracts';

/** A run was asked for while one of the same job is in progress (on this replica or another). */
export class ReconciliationBusyError extends Error {
  override readonly name = 'ReconciliationBusyError';
  readonly reply: ReconciliationBusy;

  constructor(running: ReconciliationRun | null) {
    const message = `a reconciliation against GoTo is in progress${running ? ` (run ${running.id}, started ${running.startedAt})` : ''}; ask again when it is done`;
    super(message);
    this.reply = { error: 'reconciliation-running', message, running };
  }
}

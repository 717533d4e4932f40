import { useMutation } from '@tanstack/react-query';
import type { ConnectionVerdict, ValidateCredentialsReply } from '../api/types';
import { ErrorNote } from '../components/feedback';
import { useSession } from '../session';

const GOTO_REFUSALS: Record<Extract<ConnectionVerdict, { ok: false }>['reason'], string> = {
  'bad-credentials': 'the credentials were refused: check the client id, the client secret or the admin password',
  'not-admin': 'the credentials work, but the account is not an administrator of the GoTo account',
  unreachable: 'it could not be reached: check the endpoints and the network',
  unexpected: 'it answered something unexpected',
};

/** A verdict as a sentence an admin can act on. */
function verdictWords(system: string, verdict: ConnectionVerdict, okWords: string): string {
  if (verdict.ok) return `${system}: connected${okWords}.${verdict.notes.length ? ` Note: ${verdict.notes.join(' ')}` : ''}`;
  return `${system}: not connected — ${GOTO_REFUSALS[verdict.reason]} (${verdict.detail}).`;
}

/** Test Connection with the saved credentials, for the source and for GoTo. */
export function ConnectionTest({ jobId }: { jobId: string }) {
  const { api } = useSession();
  const test = useMutation({ mutationFn: () => api.send<ValidateCredentialsReply>('POST', `/jobs/${jobId}/validateCredentials`, {}) });
  const reply = test.data;
  return (
    <section aria-labelledby="test-connection-title" className="card">
      <h3 id="test-connection-title">Test Connection</h3>
      <p className="muted">Checks the saved credentials: save your changes first.</p>
      <button type="button" onClick={() => test.mutate()} disabled={test.isPending}>
        {test.isPending ? 'Testing…' : 'Test Connection'}
      </button>
      <div role="status" aria-live="polite">
        {reply && (
          <ul className="verdicts">
            <li className={reply.source.ok ? 'ok' : 'bad'}>
              {reply.source.kind === 'demo' && reply.source.ok
                ? 'Demo directory: nothing to check.'
                : verdictWords('Microsoft Entra ID', reply.source, reply.source.ok && reply.source.accountName ? ` to ${reply.source.accountName}` : '')}
            </li>
            <li className={reply.goto.ok ? 'ok' : 'bad'}>{verdictWords('GoTo', reply.goto, reply.goto.ok && reply.goto.accountName ? ` to account ${reply.goto.accountName}` : '')}</li>
            {reply.goto.quarantine && <li className="bad">The job is quarantined: {reply.goto.quarantine.reason}</li>}
          </ul>
        )}
      </div>
      <ErrorNote error={test.error} />
    </section>
  );
}

/** Sends a test mail through the job's saved mail server to its recipients. */
export function TestMail({ jobId }: { jobId: string }) {
  const { api } = useSession();
  const send = useMutation({ mutationFn: () => api.send<{ sent: boolean; recipients: string[] }>('POST', `/jobs/${jobId}/notification/test`) });
  return (
    <section aria-labelledby="test-mail-title" className="card">
      <h3 id="test-mail-title">Test mail</h3>
      <button type="button" onClick={() => send.mutate()} disabled={send.isPending}>
        Send test mail
      </button>
      <div role="status" aria-live="polite">
        {send.data && <p className="ok">Test mail sent to {send.data.recipients.join(', ')}.</p>}
      </div>
      <ErrorNote error={send.error} />
    </section>
  );
}

import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { apiClient } from './api/client';
import { Layout } from './components/layout';
import { JobPage } from './screens/job-page';
import { JobsList } from './screens/jobs-list';
import { JobSetup } from './screens/job-setup';
import { QueuesScreen } from './screens/queues';
import { SignIn } from './screens/sign-in';
import { navigate, usePath } from './router';
import { SessionContext, storedCredential, type Session } from './session';
import type { AdminPrincipal } from './api/types';

interface SignedIn {
  credential: string;
  principal: AdminPrincipal;
}

export function App() {
  const [signedIn, setSignedIn] = useState<SignedIn | null>(null);
  /** Why the last session ended, shown on the sign-in page. */
  const [notice, setNotice] = useState<string | null>(null);
  const queries = useQueryClient();
  const session = useMemo<Session | null>(() => {
    if (!signedIn) return null;
    const leave = (why: string) => {
      storedCredential.clear();
      queries.clear();
      setSignedIn(null);
      setNotice(why);
    };
    // The page stays where it was, so signing in again comes back to it.
    const refused = signedIn.principal.kind === 'oidc' ? 'Your sign-in has expired: sign in again.' : 'The API key is no longer accepted: sign in again.';
    return {
      api: apiClient(signedIn.credential, () => leave(refused)),
      principal: signedIn.principal,
      canWrite: signedIn.principal.role === 'admin',
      signOut: () => {
        leave('Signed out.');
        navigate('/');
      },
    };
  }, [signedIn, queries]);
  if (!session) return <SignIn notice={notice} onSignedIn={(credential, principal) => setSignedIn({ credential, principal })} />;
  return (
    <SessionContext.Provider value={session}>
      <Layout>
        <Routes />
      </Layout>
    </SessionContext.Provider>
  );
}

function Routes() {
  const path = usePath();
  // A job's tab, and on the dry-run tab a run's id.
  const job = /^\/jobs\/([a-z0-9-]+)(?:\/([a-z-]+)(?:\/([0-9a-f-]{36}))?)?$/.exec(path);
  if (path === '/jobs/new') return <JobSetup />;
  if (job) return <JobPage jobId={job[1]!} tab={job[2] ?? 'setup'} item={job[3] ?? null} />;
  if (path === '/queues') return <QueuesScreen />;
  return <JobsList />;
}

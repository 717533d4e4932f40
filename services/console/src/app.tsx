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
  const queries = useQueryClient();
  const session = useMemo<Session | null>(
    () =>
      signedIn && {
        api: apiClient(signedIn.credential),
        principal: signedIn.principal,
        canWrite: signedIn.principal.role === 'admin',
        signOut: () => {
          storedCredential.clear();
          queries.clear();
          setSignedIn(null);
          navigate('/');
        },
      },
    [signedIn, queries],
  );
  if (!session) return <SignIn onSignedIn={(credential, principal) => setSignedIn({ credential, principal })} />;
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
  const job = /^\/jobs\/([a-z0-9-]+)(?:\/([a-z-]+))?$/.exec(path);
  if (path === '/jobs/new') return <JobSetup />;
  if (job) return <JobPage jobId={job[1]!} tab={job[2] ?? 'setup'} />;
  if (path === '/queues') return <QueuesScreen />;
  return <JobsList />;
}

import { useQuery } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, apiClient } from '../api/client';
import { beginOidcSignIn, finishOidcSignIn } from '../api/oidc';
import type { AdminPrincipal, SignInOptions } from '../api/types';
import { BASE, currentPath } from '../router';
import { storedCredential } from '../session';

type Source = 'typed' | 'remembered' | 'oidc';

const REFUSED: Record<Source, string> = {
  typed: 'That key was not accepted: check it, or ask an admin for a new one.',
  remembered: 'Your sign-in has expired or was revoked: sign in again.',
  oidc: 'Roster did not accept the token the sign-in service issued: ask an admin to check the OIDC settings.',
};

/**
 * Sign-in with an API key (`rk_…`, from `npm run admin -- create-key` or an admin's POST /api-keys),
 * or through the OIDC issuer when the console is registered there. `notice` says why the last
 * session ended.
 */
export function SignIn({ notice, onSignedIn }: { notice: string | null; onSignedIn(credential: string, principal: AdminPrincipal): void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  // A page loaded with the issuer's answer is signing in already.
  const [busy, setBusy] = useState(() => new URLSearchParams(window.location.search).has('state'));
  const options = useQuery({
    queryKey: ['sign-in-options'],
    queryFn: async () => {
      const res = await fetch('/auth/sign-in-options');
      if (!res.ok) throw new Error(`The sign-in options answered ${res.status}.`);
      return (await res.json()) as SignInOptions;
    },
    staleTime: Infinity,
  });
  const oidc = options.data?.oidc;

  const tryCredential = async (credential: string, source: Source) => {
    setBusy(true);
    setError(null);
    try {
      const principal = await apiClient(credential).get<AdminPrincipal>('/auth/me');
      storedCredential.write(credential);
      onSignedIn(credential, principal);
    } catch (e) {
      if (source === 'remembered') storedCredential.clear();
      setError(e instanceof ApiError && e.status === 401 ? REFUSED[source] : (e as Error).message);
      setBusy(false);
    }
  };

  useEffect(() => {
    // Once, at load: the issuer's answer to a sign-in this tab began, or a credential it signed in with before a reload.
    finishOidcSignIn().then(
      (answer) => {
        if (answer) {
          window.history.replaceState(null, '', BASE + answer.returnTo);
          return tryCredential(answer.token, 'oidc');
        }
        const remembered = storedCredential.read();
        if (remembered) return tryCredential(remembered, 'remembered');
      },
      (e: Error) => {
        setError(e.message);
        setBusy(false);
      },
    );
  }, []);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (key.trim()) void tryCredential(key.trim(), 'typed');
  };
  const signInWithIssuer = () => {
    if (!oidc) return;
    setBusy(true);
    setError(null);
    beginOidcSignIn(oidc, `${window.location.origin}${BASE}/`, currentPath()).catch((e: Error) => {
      setError(e.message);
      setBusy(false);
    });
  };

  return (
    <main className="sign-in">
      <h1>Roster console</h1>
      {notice && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
      {oidc && (
        <section aria-labelledby="oidc-title">
          <h2 id="oidc-title">Your organisation’s account</h2>
          <p>
            Sign in at <code>{new URL(oidc.issuer).host}</code>; the token it gives this tab stays in this tab.
          </p>
          <button type="button" onClick={signInWithIssuer} disabled={busy}>
            Sign in with your organisation
          </button>
        </section>
      )}
      <section>
        {oidc && <h2>API key</h2>}
        <p>Sign in with an API key. The key stays in this tab and is sent only to this server.</p>
        <form onSubmit={submit} aria-describedby={error ? 'sign-in-error' : undefined}>
          <label htmlFor="api-key">API key</label>
          <input id="api-key" type="password" autoComplete="off" spellCheck={false} value={key} onChange={(e) => setKey(e.target.value)} required />
          <button type="submit" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
      </section>
      {error && (
        <p id="sign-in-error" role="alert" className="error">
          {error}
        </p>
      )}
      {options.isError && <p className="muted">The sign-in options could not be read: sign in with an API key.</p>}
    </main>
  );
}

import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, apiClient } from '../api/client';
import type { AdminPrincipal } from '../api/types';
import { storedCredential } from '../session';

/** Sign-in with an API key (`rk_…`, from `npm run admin -- create-key` or an admin's POST /api-keys). */
export function SignIn({ onSignedIn }: { onSignedIn(credential: string, principal: AdminPrincipal): void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const tryCredential = async (credential: string, remembered: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const principal = await apiClient(credential).get<AdminPrincipal>('/auth/me');
      storedCredential.write(credential);
      onSignedIn(credential, principal);
    } catch (e) {
      if (remembered) storedCredential.clear();
      else setError(e instanceof ApiError && e.status === 401 ? 'That key was not accepted: check it, or ask an admin for a new one.' : (e as Error).message);
      setBusy(false);
    }
  };

  useEffect(() => {
    const remembered = storedCredential.read();
    if (remembered) void tryCredential(remembered, true);
    // Once, at load: a credential this tab signed in with before a reload.
  }, []);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (key.trim()) void tryCredential(key.trim(), false);
  };

  return (
    <main className="sign-in">
      <h1>Roster console</h1>
      <p>Sign in with an API key. The key stays in this tab and is sent only to this server.</p>
      <form onSubmit={submit} aria-describedby={error ? 'sign-in-error' : undefined}>
        <label htmlFor="api-key">API key</label>
        <input id="api-key" type="password" autoComplete="off" spellCheck={false} value={key} onChange={(e) => setKey(e.target.value)} required />
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {error && (
          <p id="sign-in-error" role="alert" className="error">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}

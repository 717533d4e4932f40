import type { ReactNode } from 'react';
import { Link } from '../router';
import { useSession } from '../session';

export function Layout({ children }: { children: ReactNode }) {
  const { principal, canWrite, signOut } = useSession();
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <Link to="/" className="brand">
          Roster console
        </Link>
        <nav aria-label="Main">
          <Link to="/">Jobs</Link>
          {canWrite && <Link to="/queues">Queues</Link>}
        </nav>
        <span className="who">
          {principal.name} <span className="role">({principal.role})</span>
        </span>
        <button type="button" className="secondary" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}

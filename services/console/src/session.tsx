import { createContext, useContext } from 'react';
import type { AdminPrincipal } from '@roster/contracts';
import type { ApiClient } from './api/client';

export interface Session {
  api: ApiClient;
  principal: AdminPrincipal;
  /** The reader role sees everything it may read and no control that writes. */
  canWrite: boolean;
  signOut(): void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in page');
  return session;
}

/**
 * The credential lives in this tab's session storage: it survives a reload, is gone when the tab
 * closes, and is never written to a cookie (the API reads none).
 */
const STORAGE_KEY = 'roster.credential';
export const storedCredential = {
  read: (): string | null => window.sessionStorage.getItem(STORAGE_KEY),
  write: (credential: string): void => window.sessionStorage.setItem(STORAGE_KEY, credential),
  clear: (): void => window.sessionStorage.removeItem(STORAGE_KEY),
};

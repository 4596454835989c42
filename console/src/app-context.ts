/** What every page may use: the API client and the signed-in user. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ApiClient } from './api/api-client.js';
import type { Session } from './session.js';

export interface AppContextValue {
  readonly api: ApiClient;
  readonly session: Session | undefined;
  signIn(session: Session): void;
  signOut(): Promise<void>;
}

export const AppContext = createContext<AppContextValue | undefined>(undefined);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp outside <AppContext.Provider>');
  return value;
}

/** The signed-in session; pages behind sign-in only render with one. */
export function useSession(): Session {
  const { session } = useApp();
  if (!session) throw new Error('useSession without a session');
  return session;
}

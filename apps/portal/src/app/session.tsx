import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { Client, Provider as UrqlProvider } from 'urql';
import { createApiClient, endpointsFor, type ApiClient } from '../api/client';
import { Positions } from '../api/positions';
import { forgetOidcUser } from '../auth/oidc';
import { claimsOf, forgetToken, readStoredToken, storeToken, tokenProblem, type TokenClaims } from '../auth/token';
import type { RuntimeConfig } from './runtime';

export interface Session {
  token: string;
  claims: TokenClaims | null;
  api: ApiClient;
  positions: Positions;
}

interface SessionContextValue {
  runtime: RuntimeConfig;
  session: Session | null;
  /** Why the last session ended, shown on the sign-in page. */
  notice: string | null;
  signIn(token: string): void;
  signOut(notice?: string): void;
}

/** Signed out, pages that query are not rendered; the provider still needs a client to keep the tree stable. */
const signedOut = new Client({ url: '/graphql', exchanges: [] });

const SessionContext = createContext<SessionContextValue | null>(null);

function openSession(runtime: RuntimeConfig, token: string): Session {
  const positions = new Positions();
  return { token, claims: claimsOf(token), positions, api: createApiClient(endpointsFor(runtime.commandUrl, window.location), token, positions) };
}

/** The signed-in person's token (sessionStorage) and the API client made with it; signing out forgets both. */
export function SessionProvider({ runtime, children }: { runtime: RuntimeConfig; children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(() => {
    const stored = readStoredToken();
    if (!stored) return null;
    if (tokenProblem(stored, Date.now())) {
      forgetToken();
      return null;
    }
    return openSession(runtime, stored);
  });
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => () => session?.api.dispose(), [session]);

  const signIn = useCallback(
    (token: string) => {
      storeToken(token);
      setNotice(null);
      setSession(openSession(runtime, token));
    },
    [runtime],
  );

  const signOut = useCallback(
    (why?: string) => {
      forgetToken();
      if (runtime.oidc) void forgetOidcUser(runtime.oidc).catch(() => undefined);
      setNotice(why ?? null);
      setSession(null);
    },
    [runtime],
  );

  const value = useMemo(() => ({ runtime, session, notice, signIn, signOut }), [runtime, session, notice, signIn, signOut]);
  return (
    <SessionContext.Provider value={value}>
      <UrqlProvider value={session?.api.client ?? signedOut}>{children}</UrqlProvider>
    </SessionContext.Provider>
  );
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The session of a page that requires one (the router only renders those pages when signed in). */
export function useSignedIn(): Session {
  const { session } = useSession();
  if (!session) throw new Error('not signed in');
  return session;
}

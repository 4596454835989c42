/**
 * The console application: the session (sign-in, sign-out, expiry on a 401), the API client
 * that carries its token, and the page for the current address.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiClient } from './api/api-client.js';
import { AppContext, type AppContextValue } from './app-context.js';
import { Layout } from './components/layout.js';
import { ForbiddenPage, NotFoundPage } from './pages/not-allowed.js';
import { SignInPage } from './pages/sign-in.js';
import { matchPath, navigate, useLocation } from './router.js';
import { resolveRoute } from './routes.js';
import { clearSession, homePath, loadSession, saveSession, type Session } from './session.js';

const SIGN_IN = '/console/sign-in';

export function App() {
  const location = useLocation();
  const [session, setSession] = useState<Session | undefined>(() => loadSession());

  const context = useMemo<AppContextValue>(() => {
    const forget = () => {
      clearSession();
      setSession(undefined);
    };
    const api = new ApiClient({
      token: () => loadSession()?.token,
      onUnauthorised: () => {
        forget();
        const here = window.location.pathname + window.location.search;
        navigate(`${SIGN_IN}?next=${encodeURIComponent(here)}`, { replace: true });
      },
    });
    return {
      api,
      session,
      signIn(next) {
        saveSession(next);
        setSession(next);
      },
      async signOut() {
        try {
          await api.delete('/v1/sessions/current');
        } catch {
          // Signed out locally either way; the token expires on its own.
        }
        forget();
        navigate(SIGN_IN, { replace: true });
      },
    };
  }, [session]);

  const path = location.path;
  const redirect = !session ? (path === SIGN_IN ? undefined : `${SIGN_IN}${path === '/console' ? '' : `?next=${encodeURIComponent(path + (location.query.size > 0 ? `?${location.query.toString()}` : ''))}`}`) : path === SIGN_IN || path === '/console' ? homePath(session.user) : undefined;
  useEffect(() => {
    if (redirect !== undefined) navigate(redirect, { replace: true });
  }, [redirect]);

  if (!session) {
    return <AppContext.Provider value={context}>{path === SIGN_IN ? <SignInPage next={location.query.get('next')} /> : null}</AppContext.Provider>;
  }
  if (redirect !== undefined) return null;
  const resolved = resolveRoute(path, session.user, matchPath);
  return (
    <AppContext.Provider value={context}>
      <Layout user={session.user} path={path}>
        {resolved.kind === 'page' ? resolved.route.render(resolved.params, location.query) : resolved.kind === 'forbidden' ? <ForbiddenPage reason={resolved.reason} /> : <NotFoundPage />}
      </Layout>
    </AppContext.Provider>
  );
}

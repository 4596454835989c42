/** Sign-in for every role: POST /v1/sessions, then the page the user asked for or the role's home. */
import { useState } from 'preact/hooks';
import { ApiError } from '../api/api-error.js';
import { useApp } from '../app-context.js';
import { Page } from '../components/page.js';
import { navigate } from '../router.js';
import { homePath, type Session } from '../session.js';

const MESSAGES: Readonly<Record<string, string>> = {
  STW_SIGN_IN_FAILED: 'The username or password is wrong.',
  STW_SIGN_IN_THROTTLED: 'Too many failed attempts. Wait a minute and try again.',
};

export function SignInPage({ next }: { next: string | null }) {
  const { api, signIn } = useApp();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const session = await api.post<Session>('/v1/sessions', { username, password });
      signIn(session);
      navigate(next !== null && next.startsWith('/console/') ? next : homePath(session.user), { replace: true });
    } catch (caught) {
      setError(caught instanceof ApiError ? (MESSAGES[caught.code] ?? caught.message) : 'The server could not be reached.');
      setBusy(false);
    }
  };

  return (
    <main id="main" class="sign-in">
      <Page title="Sign in to Steward">
        <form onSubmit={(event) => void submit(event)} class="card form" noValidate>
          {error && (
            <p class="notice notice-error" role="alert" id="sign-in-error">
              {error}
            </p>
          )}
          <div class="field">
            <label for="username">Username</label>
            <input id="username" name="username" autoComplete="username" required value={username} onInput={(event) => setUsername(event.currentTarget.value)} />
          </div>
          <div class="field">
            <label for="password">Password</label>
            <input id="password" name="password" type="password" autoComplete="current-password" required value={password} onInput={(event) => setPassword(event.currentTarget.value)} />
          </div>
          <button type="submit" class="primary" disabled={busy || username === '' || password === ''}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
      </Page>
    </main>
  );
}

import { useEffect, useState, type FormEvent } from 'react';
import { ApiClient, type Credential, type Me } from '../api/client.js';
import { ApiError } from '../api/api-error.js';

interface Methods {
  password: boolean;
  sso: { label: string; loginUrl: string } | null;
}

const failure = (caught: unknown) => (caught instanceof ApiError ? caught.message : 'FlagShip could not be reached');

async function postJson<T>(path: string, body: unknown): Promise<T> {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
    credentials: 'same-origin',
    cache: 'no-store',
  });
  const parsed = await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ApiError(response.status, error?.code ?? 'http_error', error?.message ?? `HTTP ${response.status}`, [], parsed);
  }
  return parsed as T;
}

/** The secret of an invitation or reset link: `/set-password#token=…` (a fragment never reaches a server). */
function linkToken(): string | undefined {
  if (location.pathname !== '/set-password') return undefined;
  return new URLSearchParams(location.hash.slice(1)).get('token') ?? undefined;
}

/**
 * The sign-in page: email and password (local accounts), single sign-on when
 * it is configured, or a pasted token; on an invitation or reset link, the
 * form to set a password.
 */
export function SignIn({ onSignedIn }: { onSignedIn: (credential: Credential, me: Me) => void }) {
  const [methods, setMethods] = useState<Methods>({ password: true, sso: null });
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const link = linkToken();

  useEffect(() => {
    fetch('/auth/methods', { cache: 'no-store' })
      .then((response) => (response.ok ? response.json() : undefined))
      .then((answer: Methods | undefined) => answer && setMethods(answer))
      .catch(() => undefined);
  }, []);

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (caught) {
      setError(failure(caught));
    } finally {
      setBusy(false);
    }
  };

  const asPerson = async (csrfToken: string) => {
    const credential: Credential = { kind: 'session', csrfToken };
    onSignedIn(credential, await new ApiClient(credential).me());
  };

  const signInWithPassword = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const answer = await postJson<{ csrfToken: string }>(link ? '/auth/password' : '/auth/login', link ? { token: link, password } : { email: email.trim(), password });
      if (link) history.replaceState(null, '', '/');
      await asPerson(answer.csrfToken);
    });
  };

  const signInWithToken = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const credential: Credential = { kind: 'token', token: secret.trim() };
      onSignedIn(credential, await new ApiClient(credential).me());
    });
  };

  return (
    <main className="sign-in">
      <div className="card sign-in-card">
        <h1 id="sign-in-title">FlagShip</h1>
        {error && (
          <p id="sign-in-error" className="field-error" role="alert">
            {error}
          </p>
        )}
        {methods.password && (
          <form onSubmit={signInWithPassword} aria-label={link ? 'Set your password' : 'Local account'}>
            {link ? (
              <p>Choose a password (at least 12 characters) to sign in.</p>
            ) : (
              <>
                <label htmlFor="sign-in-email">Email</label>
                <input id="sign-in-email" type="email" autoComplete="username" value={email} onChange={(event) => setEmail(event.target.value)} required />
              </>
            )}
            <label htmlFor="sign-in-password">{link ? 'New password' : 'Password'}</label>
            <input
              id="sign-in-password"
              type="password"
              autoComplete={link ? 'new-password' : 'current-password'}
              value={password}
              onChange={(event) => setPassword(event.target.value)}
              required
            />
            <button type="submit" className="primary" disabled={busy || password === ''}>
              {busy ? 'Signing in…' : link ? 'Set password and sign in' : 'Log in with email'}
            </button>
          </form>
        )}
        {methods.sso && (
          <a className="button sso-sign-in" href={methods.sso.loginUrl} data-testid="sso-sign-in">
            {methods.sso.label}
          </a>
        )}
        <section className="token-sign-in">
          <h2 className="small">Or with a token</h2>
          <form onSubmit={signInWithToken} aria-labelledby="sign-in-title">
            <p>An admin or personal token. It stays in this tab only and is forgotten when you sign out or close it.</p>
            <label htmlFor="admin-token">Admin token</label>
            <input
              id="admin-token"
              type="password"
              autoComplete="off"
              spellCheck={false}
              value={secret}
              onChange={(event) => setSecret(event.target.value)}
              aria-invalid={error !== undefined}
              aria-describedby={error ? 'sign-in-error' : undefined}
              required
            />
            <button type="submit" className="primary" disabled={busy || secret.trim() === ''}>
              {busy ? 'Signing in…' : 'Sign in'}
            </button>
          </form>
        </section>
      </div>
    </main>
  );
}

import { useState, type FormEvent } from 'react';
import { ApiClient } from '../api/client.js';
import { ApiError } from '../api/api-error.js';

/** Checks the admin token against the API before keeping it. */
export function SignIn({ onSignedIn }: { onSignedIn: (token: string) => void }) {
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await new ApiClient(secret.trim()).environments();
      onSignedIn(secret.trim());
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : 'FlagShip could not be reached');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="sign-in">
      <form onSubmit={submit} className="card sign-in-card" aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">FlagShip</h1>
        <p>Sign in with an admin token. It stays in this tab only and is forgotten when you sign out or close it.</p>
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
        {error && (
          <p id="sign-in-error" className="field-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy || secret.trim() === ''}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}

import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiContext } from '../api/api-context.js';
import { ApiClient, type Credential, type Me } from '../api/client.js';
import { forgetToken, loadToken, saveToken } from '../session/session.js';
import { Console } from './Console.js';
import { SignIn } from './SignIn.js';

/** Marks the moment of sign-in on the page's timeline (the flags load from there). */
export const SIGNED_IN_MARK = 'flagship:signed-in';

type Signed = { credential: Credential; me: Me };

/**
 * Signed out: the sign-in page. Signed in: the console, either as a person
 * (the HttpOnly session cookie, which this code never sees, and the CSRF
 * token from GET /v1/me) or with a pasted token, kept in this tab's
 * sessionStorage only.
 */
export function App() {
  const client = useQueryClient();
  const [signed, setSigned] = useState<Signed>();
  const [checked, setChecked] = useState(false);

  // At load: a pasted token of this tab, else a session cookie the browser may hold.
  useEffect(() => {
    const token = loadToken();
    const credential: Credential | undefined = token ? { kind: 'token', token } : undefined;
    const probe = new ApiClient(credential ?? { kind: 'session', csrfToken: '' });
    probe
      .me()
      .then((me) => setSigned({ credential: credential ?? { kind: 'session', csrfToken: me.csrfToken ?? '' }, me }))
      .catch(() => (token ? forgetToken() : undefined))
      .finally(() => setChecked(true));
  }, []);

  const api = useMemo(() => (signed ? new ApiClient(signed.credential) : undefined), [signed]);

  const signIn = useCallback((credential: Credential, me: Me) => {
    performance.mark(SIGNED_IN_MARK);
    if (credential.kind === 'token') saveToken(credential.token);
    setSigned({ credential, me });
  }, []);
  const signOut = useCallback(() => {
    // A person's session ends on the server first: the sign-in page shows once it is over.
    const ended = api?.credential.kind === 'session' ? api.signOut().catch(() => undefined) : Promise.resolve();
    void ended.then(() => {
      forgetToken();
      client.clear();
      setSigned(undefined);
    });
  }, [api, client]);

  if (!checked) return null;
  if (!signed || !api) return <SignIn onSignedIn={signIn} />;
  return (
    <ApiContext.Provider value={api}>
      <Console api={api} me={signed.me} onSignOut={signOut} />
    </ApiContext.Provider>
  );
}

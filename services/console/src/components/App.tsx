import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { ApiContext } from '../api/api-context.js';
import { ApiClient } from '../api/client.js';
import { forgetToken, loadToken, saveToken } from '../session/session.js';
import { Console } from './Console.js';
import { SignIn } from './SignIn.js';

/** Marks the moment of sign-in on the page's timeline (the flags load from there). */
export const SIGNED_IN_MARK = 'flagship:signed-in';

/** Signed out: the sign-in form. Signed in: the console, with the token in this tab's sessionStorage only. */
export function App() {
  const client = useQueryClient();
  const [token, setToken] = useState(loadToken);
  const api = useMemo(() => (token ? new ApiClient(token) : undefined), [token]);

  const signIn = useCallback((secret: string) => {
    performance.mark(SIGNED_IN_MARK);
    saveToken(secret);
    setToken(secret);
  }, []);
  const signOut = useCallback(() => {
    forgetToken();
    client.clear();
    setToken(undefined);
  }, [client]);

  if (!token || !api) return <SignIn onSignedIn={signIn} />;
  return (
    <ApiContext.Provider value={api}>
      <Console api={api} token={token} onSignOut={signOut} />
    </ApiContext.Provider>
  );
}

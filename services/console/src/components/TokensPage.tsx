import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi } from '../api/api-context.js';
import { queryKeys, useEnvironments, useTokens } from '../api/queries.js';
import type { CreatedToken, Token } from '../api/types.js';
import { CreateTokenForm } from './CreateTokenForm.js';
import { ErrorNote } from './ErrorNote.js';
import { SecretOnce } from './SecretOnce.js';

/** API tokens: create one (its secret shown once), revoke one. */
export function TokensPage() {
  const tokens = useTokens();
  const environments = useEnvironments();
  const [created, setCreated] = useState<CreatedToken>();
  return (
    <section aria-labelledby="tokens-title">
      <h1 id="tokens-title">Tokens</h1>
      {created ? (
        <SecretOnce created={created} onDone={() => setCreated(undefined)} />
      ) : (
        environments.data && <CreateTokenForm environments={environments.data} onCreated={setCreated} />
      )}
      <ErrorNote error={tokens.error} />
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Kind</th>
            <th scope="col">Environment</th>
            <th scope="col">Created</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {(tokens.data ?? []).map((token) => (
            <TokenRow key={token.id} token={token} />
          ))}
        </tbody>
      </table>
    </section>
  );
}

function TokenRow({ token }: { token: Token }) {
  const api = useApi();
  const client = useQueryClient();
  const [asking, setAsking] = useState(false);
  const revoke = useMutation({
    mutationFn: () => api.revokeToken(token.id),
    onSuccess: (revoked) => client.setQueryData<Token[]>(queryKeys.tokens, (tokens) => tokens?.map((known) => (known.id === revoked.id ? revoked : known))),
  });
  return (
    <tr data-token={token.name}>
      <td>{token.name}</td>
      <td>{token.kind}</td>
      <td>{token.environment ?? 'all'}</td>
      <td>{new Date(token.createdAt).toLocaleString()}</td>
      <td>
        {token.revokedAt ? (
          <span className="muted">revoked {new Date(token.revokedAt).toLocaleString()}</span>
        ) : asking ? (
          <span className="confirm">
            <button type="button" className="danger" onClick={() => revoke.mutate()} disabled={revoke.isPending}>
              Revoke {token.name}
            </button>
            <button type="button" onClick={() => setAsking(false)}>
              Keep
            </button>
          </span>
        ) : (
          <button type="button" onClick={() => setAsking(true)} aria-label={`Revoke ${token.name}…`}>
            Revoke…
          </button>
        )}
        <ErrorNote error={revoke.error} />
      </td>
    </tr>
  );
}

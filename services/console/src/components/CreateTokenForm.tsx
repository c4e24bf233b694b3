import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useApi } from '../api/api-context.js';
import { ApiError } from '../api/api-error.js';
import { queryKeys } from '../api/queries.js';
import type { CreateToken, CreatedToken, Environment, Token } from '../api/types.js';
import { ErrorNote } from './ErrorNote.js';
import { TextField } from './TextField.js';

type Kind = CreateToken['kind'];
// A record over the kinds: a new token kind in the API's schema fails the type check here until it is offered.
const KIND_NAMES: Record<Kind, string> = {
  sdk: 'sdk (server-side SDKs: definitions)',
  frontend: 'frontend (browsers and phones: evaluated answers only)',
  admin: 'admin',
};
const KINDS = Object.keys(KIND_NAMES) as Kind[];

export function CreateTokenForm({ environments, onCreated }: { environments: Environment[]; onCreated: (created: CreatedToken) => void }) {
  const api = useApi();
  const client = useQueryClient();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<Kind>('sdk');
  const [environment, setEnvironment] = useState(environments[0]?.key ?? '');
  const create = useMutation({
    mutationFn: () => api.createToken(kind === 'admin' ? { name, kind } : ({ name, kind, environment } as CreateToken)),
    onSuccess: (created) => {
      client.setQueryData<Token[]>(queryKeys.tokens, (tokens) => [...(tokens ?? []), created.token]);
      setName('');
      onCreated(created);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  const fieldLevel = create.error instanceof ApiError && create.error.details.length > 0;
  return (
    <form className="card toolbar" onSubmit={submit} aria-label="New token">
      <TextField className="field" id="token-name" label="Name" value={name} onChange={setName} error={create.error} path={['name']} />
      <div className="field">
        <label htmlFor="token-kind">Kind</label>
        <select id="token-kind" value={kind} onChange={(event) => setKind(event.target.value as Kind)}>
          {KINDS.map((option) => (
            <option key={option} value={option}>
              {KIND_NAMES[option]}
            </option>
          ))}
        </select>
      </div>
      {kind !== 'admin' && (
        <div className="field">
          <label htmlFor="token-environment">Environment</label>
          <select id="token-environment" value={environment} onChange={(event) => setEnvironment(event.target.value)}>
            {environments.map((option) => (
              <option key={option.key} value={option.key}>
                {option.key}
              </option>
            ))}
          </select>
        </div>
      )}
      <button type="submit" className="primary" disabled={create.isPending}>
        Create token
      </button>
      {!fieldLevel && <ErrorNote error={create.error} />}
    </form>
  );
}

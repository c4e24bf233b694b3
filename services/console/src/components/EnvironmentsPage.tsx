import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useApi } from '../api/api-context.js';
import { ApiError } from '../api/api-error.js';
import { queryKeys, useEnvironments } from '../api/queries.js';
import { ErrorNote } from './ErrorNote.js';
import { TextField } from './TextField.js';
import { useCan } from '../session/roles.js';

/** Environments and their versions; add one (every live flag gets a disabled state there). */
export function EnvironmentsPage() {
  const api = useApi();
  const client = useQueryClient();
  const environments = useEnvironments();
  // Adding an environment is the installation's administration: admins only, as the API checks.
  const canAdminister = useCan('admin');
  const [key, setKey] = useState('');
  const add = useMutation({
    mutationFn: () => api.createEnvironment(key),
    onSuccess: () => {
      setKey('');
      void client.invalidateQueries({ queryKey: queryKeys.environments });
      void client.invalidateQueries({ queryKey: queryKeys.flags });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate();
  };
  return (
    <section aria-labelledby="environments-title">
      <h1 id="environments-title">Environments</h1>
      {canAdminister && <form className="card toolbar" onSubmit={submit} aria-label="New environment">
        <TextField className="field" id="environment-key" label="Key" value={key} onChange={setKey} error={add.error} path={['key']} />
        <button type="submit" className="primary" disabled={add.isPending}>
          Add environment
        </button>
        {!(add.error instanceof ApiError && add.error.details.length > 0) && <ErrorNote error={add.error} />}
      </form>}
      <ErrorNote error={environments.error} />
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">Environment version (changes so far)</th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          {(environments.data ?? []).map((environment) => (
            <tr key={environment.key}>
              <td>{environment.key}</td>
              <td>{environment.version}</td>
              <td>{new Date(environment.createdAt).toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

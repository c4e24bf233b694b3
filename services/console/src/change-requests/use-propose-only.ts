import { useContext } from 'react';
import { useEnvironments } from '../api/queries.js';
import { MeContext } from '../session/roles.js';

/**
 * Whether the signed-in caller changes `environment` only by proposing: it is
 * protected and the caller is a person (the API's rule, mayWriteProtectedDirectly:
 * an admin token, a service account, still writes directly).
 */
export function useProposeOnly(environment: string): boolean {
  const me = useContext(MeContext);
  const environments = useEnvironments();
  const found = environments.data?.find((candidate) => candidate.key === environment);
  return Boolean(found?.protected) && me?.kind === 'user';
}

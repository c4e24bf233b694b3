import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useApi } from './api-context.js';
import { queryKeys } from './queries.js';
import { stateIn } from './state-in.js';
import type { Flag, FlagState, StateChange } from './types.js';

/** Puts a state the API answered with into the flags list (if nothing newer arrived meanwhile). */
export function storeState(flags: Flag[] | undefined, key: string, state: FlagState): Flag[] | undefined {
  if (!flags) return flags;
  return flags.map((flag) => {
    if (flag.key !== key) return flag;
    const current = stateIn(flag, state.environment);
    if (current && current.version >= state.version) return flag;
    return { ...flag, environments: { ...flag.environments, [state.environment]: { ...state, lastSeenAt: current?.lastSeenAt ?? null } } };
  });
}

/**
 * PATCHes one state with If-Match set to the version shown: a change made
 * elsewhere meanwhile is a 412, never overwritten. The answer goes into the cache.
 */
export function useStateChange(key: string, environment: string) {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ change, version }: { change: StateChange; version: number }) => api.changeState(key, environment, change, version),
    onSuccess: (state) => client.setQueryData<Flag[]>(queryKeys.flags, (flags) => storeState(flags, key, state)),
  });
}

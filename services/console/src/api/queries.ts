import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from './api-context.js';

/** Every piece of server state the console shows lives under one of these keys of the one query cache. */
export const queryKeys = {
  environments: ['environments'] as const,
  flags: ['flags'] as const,
  events: (filter: { environment?: string; flag?: string }) => ['events', filter.environment ?? '', filter.flag ?? ''] as const,
  tokens: ['tokens'] as const,
  segments: ['segments'] as const,
  projects: ['projects'] as const,
  staleFlags: ['stale-flags'] as const,
  ramp: (id: string) => ['ramp', id] as const,
  /** The newest ramps of a flag in one environment. */
  ramps: (flag: string, environment: string) => ['ramps', flag, environment] as const,
  usage: (flag: string) => ['usage', flag] as const,
  /** The changes of a flag's description, type, tags and owner. */
  metadataChanges: (flag: string) => ['metadata-changes', flag] as const,
  /** People with their roles (GET /v1/users: admins only). */
  users: ['users'] as const,
};

/** Marks the console's own timeline, so performance can be read in the browser (see docs/console.md). */
export const FLAGS_FETCHED_MARK = 'flagship:flags-fetched';

export function useEnvironments() {
  const api = useApi();
  return useQuery({ queryKey: queryKeys.environments, queryFn: api.environments });
}

export function useFlags() {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.flags,
    queryFn: async ({ signal }) => {
      const flags = await api.allFlags(signal);
      performance.mark(FLAGS_FETCHED_MARK);
      return flags;
    },
  });
}

export function useEvents(filter: { environment?: string; flag?: string }) {
  const api = useApi();
  return useQuery({ queryKey: queryKeys.events(filter), queryFn: ({ signal }) => api.events(filter, signal) });
}

export function useMetadataChanges(flag: string) {
  const api = useApi();
  return useQuery({ queryKey: queryKeys.metadataChanges(flag), queryFn: ({ signal }) => api.metadataChanges(flag, signal) });
}

export function useTokens() {
  const api = useApi();
  return useQuery({ queryKey: queryKeys.tokens, queryFn: api.tokens });
}

/** How often a running ramp with guards is read again: its guards' figures change without change events. */
const GUARD_REFRESH_MS = 2000;

export function useRamp(id: string) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.ramp(id),
    queryFn: () => api.ramp(id),
    refetchInterval: (query) => {
      const ramp = query.state.data;
      return ramp && ramp.guards.length > 0 && (ramp.status === 'scheduled' || ramp.status === 'running') ? GUARD_REFRESH_MS : false;
    },
  });
}

/** Only fetched while the stale filter is on: staleness depends on usage, which changes without change events. */
export function useStaleFlags(enabled: boolean) {
  const api = useApi();
  return useQuery({ queryKey: queryKeys.staleFlags, queryFn: ({ signal }) => api.staleFlags(signal), enabled, staleTime: 30_000 });
}

export function useProjects() {
  const api = useApi();
  return useQuery({ queryKey: queryKeys.projects, queryFn: api.projects });
}

/** Only asked when `enabled` (the caller may list people: an admin); others never send GET /v1/users. */
export function useUsers(enabled = true) {
  const api = useApi();
  return useQuery({ queryKey: queryKeys.users, queryFn: ({ signal }) => api.users(signal), enabled });
}

export function useSegments() {
  const api = useApi();
  return useQuery({ queryKey: queryKeys.segments, queryFn: api.segments });
}

/** Shown per environment on a flag's page: the newest few (completed and cancelled ones included). */
const RAMPS_SHOWN = 5;
/**
 * A ramp's steps arrive as change events, but scheduling, pausing, resuming and
 * cancelling one elsewhere (another admin, a script) change no flag state and
 * so send none: an open flag page reads its ramps again this often to show them.
 */
const RAMPS_REFRESH_MS = 5000;

export function useRamps(flag: string, environment: string) {
  const api = useApi();
  const client = useQueryClient();
  return useQuery({
    queryKey: queryKeys.ramps(flag, environment),
    queryFn: async () => {
      const ramps = await api.ramps(flag, environment, RAMPS_SHOWN);
      // Each timeline reads its ramp by id: start them from this answer rather than one request each.
      for (const ramp of ramps) client.setQueryData(queryKeys.ramp(ramp.id), ramp);
      return ramps.map((ramp) => ramp.id);
    },
    refetchInterval: RAMPS_REFRESH_MS,
  });
}

/** The usage a flag's page shows: this many hours back. */
export const USAGE_HOURS = 48;
/** Usage changes with every evaluation and sends no change event: an open flag page reads it again this often. */
const USAGE_REFRESH_MS = 10_000;

export function useFlagUsage(flag: string) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.usage(flag),
    queryFn: ({ signal }) => api.usage(flag, USAGE_HOURS, signal),
    staleTime: 0,
    refetchInterval: USAGE_REFRESH_MS,
  });
}

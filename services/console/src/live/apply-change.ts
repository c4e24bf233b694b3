import type { QueryClient } from '@tanstack/react-query';
import { queryKeys } from '../api/queries.js';
import { stateIn } from '../api/state-in.js';
import { isSegmentEvent, type ChangeEvent, type Environment, type Flag, type FlagChangeEvent, type FlagMetadataChange, type AdminFlagState, type Ramp } from '../api/types.js';

/** A flag's state from an event: without the event-only `archived` marker, keeping when it was last evaluated. */
function stateOf(event: FlagChangeEvent, current: AdminFlagState | undefined): AdminFlagState {
  const { archived: _archived, ...state } = event.after;
  return { ...state, lastSeenAt: current?.lastSeenAt ?? null };
}

/** The flag with this event applied, or the same object when it is not newer than what is shown. */
function withEvent(flag: Flag, event: FlagChangeEvent): Flag {
  const current = stateIn(flag, event.environment);
  if (current && current.version >= event.version) return flag;
  return {
    ...flag,
    // A move between projects is a change of every state, each naming the new project.
    project: event.after.project ?? flag.project,
    archivedAt: event.action === 'archived' ? (flag.archivedAt ?? event.createdAt) : flag.archivedAt,
    environments: { ...flag.environments, [event.environment]: stateOf(event, current) },
  };
}

function applyToFlags(flags: Flag[], event: FlagChangeEvent): Flag[] | undefined {
  const index = flags.findIndex((flag) => flag.key === event.flag);
  if (index === -1) return undefined;
  const updated = withEvent(flags[index]!, event);
  if (updated === flags[index]) return flags;
  const next = flags.slice();
  next[index] = updated;
  return next;
}

function matchesFilter(key: readonly unknown[], event: ChangeEvent): boolean {
  const [, environment, flag] = key as [string, string, string];
  const eventFlag = isSegmentEvent(event) ? undefined : event.flag;
  return (environment === '' || environment === event.environment) && (flag === '' || flag === eventFlag);
}

/**
 * Applies one change event to the query cache, the one place the console keeps
 * server state. Idempotent (a state only moves to a higher version, an event
 * is appended once), so events can be re-applied after any refetch.
 * Returns false when the flag is unknown here (a new flag: it is fetched).
 */
export function applyChange(client: QueryClient, event: ChangeEvent): boolean {
  let known = true;
  if (isSegmentEvent(event)) {
    void client.invalidateQueries({ queryKey: queryKeys.segments });
  } else {
    client.setQueryData<Flag[]>(queryKeys.flags, (flags) => {
      if (!flags) return flags;
      const next = applyToFlags(flags, event);
      if (next === undefined) known = false;
      return next ?? flags;
    });
    // A ramp step, a pause by a manual change, a ramp scheduled elsewhere: the ramps of this flag are read again.
    void client.invalidateQueries({ queryKey: queryKeys.ramps(event.flag, event.environment) });
    void client.invalidateQueries({
      queryKey: ['ramp'],
      predicate: (query) => (query.state.data as Ramp | undefined)?.flag === event.flag,
    });
  }

  for (const query of client.getQueryCache().findAll({ queryKey: ['events'] })) {
    if (!matchesFilter(query.queryKey, event)) continue;
    client.setQueryData<ChangeEvent[]>(query.queryKey, (events) =>
      !events || events.some((seen) => seen.id === event.id) ? events : [...events, event],
    );
  }

  const environments = client.getQueryData<Environment[]>(queryKeys.environments);
  if (environments && !environments.some((environment) => environment.key === event.environment)) {
    void client.invalidateQueries({ queryKey: queryKeys.environments });
  } else if (environments) {
    client.setQueryData<Environment[]>(queryKeys.environments, (current) =>
      current?.map((environment) =>
        environment.key === event.environment && environment.version < event.version ? { ...environment, version: event.version } : environment,
      ),
    );
  }
  return known;
}

/**
 * Applies a change of a flag's description, type, tags or owner (`event: flag`
 * of the stream) to the flag list, unless the list already holds a newer read
 * of that flag. Such changes have no version: they are ordered by time, and
 * the same change applied twice is the same flag.
 */
export function applyFlagMetadata(client: QueryClient, change: FlagMetadataChange): void {
  client.setQueryData<Flag[]>(queryKeys.flags, (flags) => {
    if (!flags) return flags;
    const index = flags.findIndex((flag) => flag.key === change.flag);
    const flag = flags[index];
    if (!flag || Date.parse(flag.updatedAt) > Date.parse(change.createdAt)) return flags;
    const next = flags.slice();
    next[index] = { ...flag, ...change.after, updatedAt: change.createdAt };
    return next;
  });
  // Its history (if read) gains this change: read it again when next shown.
  void client.invalidateQueries({ queryKey: queryKeys.metadataChanges(change.flag) });
}

/** Adds a flag created elsewhere to the list (its first event names it before the list has it). */
export function addFlag(client: QueryClient, flag: Flag): void {
  client.setQueryData<Flag[]>(queryKeys.flags, (flags) => {
    if (!flags) return flags;
    const index = flags.findIndex((known) => known.key === flag.key);
    if (index !== -1) {
      const next = flags.slice();
      next[index] = mergeNewer(flags[index]!, flag);
      return next;
    }
    const next = [...flags, flag];
    next.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return next;
  });
}

/** Keeps, per environment, whichever state is newer. */
export function mergeNewer(current: Flag, incoming: Flag): Flag {
  const environments = { ...incoming.environments };
  for (const [environment, state] of Object.entries(current.environments)) {
    const other = stateIn({ environments }, environment);
    if (!other || other.version < state.version) environments[environment] = state;
  }
  return { ...incoming, environments };
}

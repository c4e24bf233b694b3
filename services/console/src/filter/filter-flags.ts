import type { Flag, FlagType } from '../api/types.js';

export type ArchivedFilter = 'live' | 'archived' | 'all';

/** A state filter: on or off in one environment (`on:prod`), or '' for any. */
export type StatusFilter = '' | `${'on' | 'off'}:${string}`;

/** The owner filter's value for the flags nobody owns yet. */
export const NO_OWNER = '-';

export interface FlagFilter {
  search: string;
  archived: ArchivedFilter;
  /** A flag type, or '' for any. */
  type: FlagType | '';
  /** A tag the flag must carry, or '' for any. */
  tag: string;
  /** The owner (exactly), NO_OWNER for none, or '' for any. */
  owner: string;
  status: StatusFilter;
  /** Keys of the flags the API calls stale (GET /v1/flags?stale=true), when filtering on it. */
  staleOnly?: ReadonlySet<string>;
}

// A record over the type union: adding a flag type to the API's schema fails the type check here until it is listed.
const TYPE_NAMES: Record<FlagType, true> = { release: true, experiment: true, operational: true, 'kill-switch': true, permission: true };
export const FLAG_TYPE_OPTIONS = Object.keys(TYPE_NAMES) as FlagType[];

// What search looks in, per flag: key, description, owner and tags, lowercased once per flag object
// rather than once per keystroke. The query cache replaces a flag's object when it changes, never
// mutates it, so an entry is never out of date; a replaced object's entry goes with it.
const SEARCH_TEXT = new WeakMap<Flag, string>();

function searchTextOf(flag: Flag): string {
  let text = SEARCH_TEXT.get(flag);
  if (text === undefined) {
    text = `${flag.key}\n${flag.description}\n${flag.owner ?? ''}\n${flag.tags.join('\n')}`.toLowerCase();
    SEARCH_TEXT.set(flag, text);
  }
  return text;
}

/**
 * The flags to show, in key order: every filter combines with the others, in
 * one pass over the list, so it keeps up with typing at 10,000 flags.
 */
export function filterFlags(flags: Flag[], filter: FlagFilter): Flag[] {
  const needle = filter.search.trim().toLowerCase();
  const [statusWanted, statusEnvironment] = filter.status === '' ? [] : splitStatus(filter.status);
  return flags.filter((flag) => {
    if (filter.archived === 'live' && flag.archivedAt !== null) return false;
    if (filter.archived === 'archived' && flag.archivedAt === null) return false;
    if (filter.type !== '' && flag.type !== filter.type) return false;
    if (filter.tag !== '' && !flag.tags.includes(filter.tag)) return false;
    if (filter.owner === NO_OWNER ? flag.owner !== null : filter.owner !== '' && flag.owner !== filter.owner) return false;
    if (statusEnvironment !== undefined && (flag.environments[statusEnvironment]?.enabled ?? false) !== (statusWanted === 'on')) return false;
    if (filter.staleOnly && !filter.staleOnly.has(flag.key)) return false;
    return needle === '' || searchTextOf(flag).includes(needle);
  });
}

function splitStatus(status: Exclude<StatusFilter, ''>): ['on' | 'off', string] {
  const colon = status.indexOf(':');
  return [status.slice(0, colon) as 'on' | 'off', status.slice(colon + 1)];
}

/** Every tag and every owner in use, sorted: the choices of the list's filters. */
export function tagsAndOwners(flags: Flag[]): { tags: string[]; owners: string[] } {
  const tags = new Set<string>();
  const owners = new Set<string>();
  for (const flag of flags) {
    for (const tag of flag.tags) tags.add(tag);
    if (flag.owner !== null) owners.add(flag.owner);
  }
  const byName = (a: string, b: string) => a.localeCompare(b);
  return { tags: [...tags].sort(byName), owners: [...owners].sort(byName) };
}

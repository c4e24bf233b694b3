import type { Flag, FlagType } from '../api/types.js';

export type ArchivedFilter = 'live' | 'archived' | 'all';

export interface FlagFilter {
  search: string;
  archived: ArchivedFilter;
  /** A flag type, or '' for any. */
  type: FlagType | '';
  /** Keys of the flags the API calls stale (GET /v1/flags?stale=true), when filtering on it. */
  staleOnly?: ReadonlySet<string>;
}

// A record over the type union: adding a flag type to the API's schema fails the type check here until it is listed.
const TYPE_NAMES: Record<FlagType, true> = { release: true, experiment: true, operational: true, 'kill-switch': true, permission: true };
export const FLAG_TYPE_OPTIONS = Object.keys(TYPE_NAMES) as FlagType[];

/** The flags to show, in key order: one pass over the list, so it keeps up with typing at 5,000 flags. */
export function filterFlags(flags: Flag[], filter: FlagFilter): Flag[] {
  const needle = filter.search.trim().toLowerCase();
  return flags.filter((flag) => {
    if (filter.archived === 'live' && flag.archivedAt !== null) return false;
    if (filter.archived === 'archived' && flag.archivedAt === null) return false;
    if (filter.type !== '' && flag.type !== filter.type) return false;
    if (filter.staleOnly && !filter.staleOnly.has(flag.key)) return false;
    return needle === '' || flag.key.toLowerCase().includes(needle) || flag.description.toLowerCase().includes(needle);
  });
}

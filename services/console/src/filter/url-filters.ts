import { useCallback, useSyncExternalStore } from 'react';
import type { FlagType } from '../api/types.js';
import { FLAG_TYPE_OPTIONS, type ArchivedFilter, type StatusFilter } from './filter-flags.js';

/**
 * The flag list's filters as they live in the URL (`/?q=pay&tag=checkout&owner=payments&status=on:prod&stale=1`),
 * so a filtered list can be bookmarked, shared and reached again with Back.
 */
export interface UrlFilters {
  search: string;
  tag: string;
  owner: string;
  status: StatusFilter;
  type: FlagType | '';
  archived: ArchivedFilter;
  stale: boolean;
}

const ARCHIVED: ArchivedFilter[] = ['live', 'archived', 'all'];

/** Reads the filters from a query string; an unknown value reads as no filter rather than failing the page. */
export function parseFilters(search: string): UrlFilters {
  const query = new URLSearchParams(search);
  const type = query.get('type') ?? '';
  const archived = query.get('show') ?? 'live';
  const status = query.get('status') ?? '';
  return {
    search: query.get('q') ?? '',
    tag: query.get('tag') ?? '',
    owner: query.get('owner') ?? '',
    status: /^(on|off):./.test(status) ? (status as StatusFilter) : '',
    type: (FLAG_TYPE_OPTIONS as string[]).includes(type) ? (type as FlagType) : '',
    archived: (ARCHIVED as string[]).includes(archived) ? (archived as ArchivedFilter) : 'live',
    stale: query.get('stale') === '1',
  };
}

const FILTER_PARAMS = ['q', 'tag', 'owner', 'status', 'type', 'show', 'stale'];

/**
 * The query string of these filters: only those set, in a fixed order, after
 * the parameters of `search` that are not filters (the chosen `project`).
 */
export function formatFilters(filters: UrlFilters, search = ''): string {
  const query = new URLSearchParams(search);
  for (const name of FILTER_PARAMS) query.delete(name);
  if (filters.search !== '') query.set('q', filters.search);
  if (filters.tag !== '') query.set('tag', filters.tag);
  if (filters.owner !== '') query.set('owner', filters.owner);
  if (filters.status !== '') query.set('status', filters.status);
  if (filters.type !== '') query.set('type', filters.type);
  if (filters.archived !== 'live') query.set('show', filters.archived);
  if (filters.stale) query.set('stale', '1');
  const text = query.toString();
  return text === '' ? '' : `?${text}`;
}

/**
 * How long the URL waits for typing to pause: writing it (history.replaceState)
 * costs Chromium a round trip to its browser process, tens of milliseconds on a
 * busy machine, which per keystroke was most of a keystroke's time at 10,000 flags.
 */
const URL_WRITE_DELAY_MS = 250;

const listeners = new Set<() => void>();
let current: UrlFilters | undefined;
/** The query string `current` was read from or written to: another one in the address bar means a new page load or link. */
let currentSearch: string | undefined;
let pendingWrite: { timer: ReturnType<typeof setTimeout>; pathname: string } | undefined;

function notify(): void {
  listeners.forEach((listener) => listener());
}

function writeUrl(): void {
  if (!pendingWrite || !current) return;
  clearTimeout(pendingWrite.timer);
  // Only onto the list's own history entry: a write due after leaving the page is dropped.
  if (location.pathname === pendingWrite.pathname) {
    history.replaceState(history.state, '', `${location.pathname}${formatFilters(current, location.search)}${location.hash}`);
    currentSearch = location.search;
  }
  pendingWrite = undefined;
}

window.addEventListener('popstate', () => {
  // Back or Forward: the entry's URL is the truth again (a write still due belongs to the entry left).
  if (pendingWrite) clearTimeout(pendingWrite.timer);
  pendingWrite = undefined;
  current = parseFilters(location.search);
  currentSearch = location.search;
  notify();
});
// A click may open a flag (a new history entry): the filters typed just before it go into the list's entry first.
window.addEventListener('click', writeUrl, true);
window.addEventListener('pagehide', writeUrl);

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function snapshot(): UrlFilters {
  // A page load, or the list opened again with other filters in its URL (a link, the nav's Flags).
  if (!current || (!pendingWrite && location.search !== currentSearch)) {
    current = parseFilters(location.search);
    currentSearch = location.search;
  }
  return current;
}

/**
 * The list's filters and a setter. The page shows a change at once; the URL
 * follows when typing pauses, replacing the current history entry (not one per
 * keystroke), so opening a flag then Back returns to the list as it was filtered.
 */
export function useUrlFilters(): [UrlFilters, (change: Partial<UrlFilters>) => void] {
  const filters = useSyncExternalStore(subscribe, snapshot);
  const update = useCallback((change: Partial<UrlFilters>) => {
    current = { ...snapshot(), ...change };
    if (pendingWrite) clearTimeout(pendingWrite.timer);
    pendingWrite = { timer: setTimeout(writeUrl, URL_WRITE_DELAY_MS), pathname: location.pathname };
    notify();
  }, []);
  return [filters, update];
}

import { useSyncExternalStore } from 'react';
import { projectQuery } from '../projects/project-choice.js';

/**
 * The console's pages; the API serves the page for each of these paths (SPA
 * fallback). The flags are at `/`, one flag at `/flag/<key>`: `/flags…` is the
 * build guide's API.
 */
export type Route =
  | { page: 'flags' }
  | { page: 'flag'; key: string; tab?: FlagTab }
  | { page: 'audit' }
  | { page: 'tokens' }
  | { page: 'environments' }
  | { page: 'segments' }
  | { page: 'playground' }
  | { page: 'compare' }
  | { page: 'people' }
  | { page: 'change-requests' }
  | { page: 'change-request'; id: string };

/** A flag page's tabs; each has its own path (`/flag/<key>/history`), Targeting none (`/flag/<key>`). */
export const FLAG_TABS = ['targeting', 'history', 'usage', 'settings'] as const;
export type FlagTab = (typeof FLAG_TABS)[number];

export function parseRoute(pathname: string): Route {
  const flagTab = /^\/flag\/([^/]+)\/([a-z]+)$/.exec(pathname);
  const tab = FLAG_TABS.find((candidate) => candidate === flagTab?.[2]);
  if (flagTab && tab) return { page: 'flag', key: decodeURIComponent(flagTab[1]!), tab };
  const flag = /^\/flag\/(.+)$/.exec(pathname);
  if (flag) return { page: 'flag', key: decodeURIComponent(flag[1]!) };
  const changeRequest = /^\/change-requests\/(.+)$/.exec(pathname);
  if (changeRequest) return { page: 'change-request', id: decodeURIComponent(changeRequest[1]!) };
  if (pathname === '/change-requests') return { page: 'change-requests' };
  if (pathname === '/audit') return { page: 'audit' };
  if (pathname === '/tokens') return { page: 'tokens' };
  if (pathname === '/environments') return { page: 'environments' };
  if (pathname === '/segments') return { page: 'segments' };
  if (pathname === '/playground') return { page: 'playground' };
  if (pathname === '/compare') return { page: 'compare' };
  if (pathname === '/people') return { page: 'people' };
  return { page: 'flags' };
}

/** A page's address; it keeps the chosen project (projects/project-choice.ts). */
export function hrefOf(route: Route): string {
  const path =
    route.page === 'flag' ? `/flag/${encodeURIComponent(route.key)}${route.tab && route.tab !== 'targeting' ? `/${route.tab}` : ''}`
    : route.page === 'change-request' ? `/change-requests/${encodeURIComponent(route.id)}`
    : route.page === 'flags' ? '/' : `/${route.page}`;
  return `${path}${projectQuery()}`;
}

const listeners = new Set<() => void>();
window.addEventListener('popstate', () => listeners.forEach((listener) => listener()));

/** Opens a page (a new history entry); `keepScroll` for a change within the page, such as a flag page's tab. */
export function navigate(route: Route, { keepScroll = false } = {}): void {
  const href = hrefOf(route);
  if (href !== `${location.pathname}${location.search}`) history.pushState(null, '', href);
  listeners.forEach((listener) => listener());
  if (!keepScroll) window.scrollTo(0, 0);
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useRoute(): Route {
  const pathname = useSyncExternalStore(subscribe, () => location.pathname);
  return parseRoute(pathname);
}

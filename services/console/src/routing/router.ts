import { useSyncExternalStore } from 'react';

/**
 * The console's pages; the API serves the page for each of these paths (SPA
 * fallback). The flags are at `/`, one flag at `/flag/<key>`: `/flags…` is the
 * build guide's API.
 */
export type Route =
  | { page: 'flags' }
  | { page: 'flag'; key: string }
  | { page: 'audit' }
  | { page: 'tokens' }
  | { page: 'environments' }
  | { page: 'segments' };

export function parseRoute(pathname: string): Route {
  const flag = /^\/flag\/(.+)$/.exec(pathname);
  if (flag) return { page: 'flag', key: decodeURIComponent(flag[1]!) };
  if (pathname === '/audit') return { page: 'audit' };
  if (pathname === '/tokens') return { page: 'tokens' };
  if (pathname === '/environments') return { page: 'environments' };
  if (pathname === '/segments') return { page: 'segments' };
  return { page: 'flags' };
}

export function hrefOf(route: Route): string {
  if (route.page === 'flag') return `/flag/${encodeURIComponent(route.key)}`;
  return route.page === 'flags' ? '/' : `/${route.page}`;
}

const listeners = new Set<() => void>();
window.addEventListener('popstate', () => listeners.forEach((listener) => listener()));

export function navigate(route: Route): void {
  const href = hrefOf(route);
  if (href !== location.pathname) history.pushState(null, '', href);
  listeners.forEach((listener) => listener());
  window.scrollTo(0, 0);
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useRoute(): Route {
  const pathname = useSyncExternalStore(subscribe, () => location.pathname);
  return parseRoute(pathname);
}

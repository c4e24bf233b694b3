import { useSyncExternalStore } from 'react';

/** Whether a CSS media query matches now, re-rendering when that changes (a window resized, a phone turned). */
export function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    (listener) => {
      const list = matchMedia(query);
      list.addEventListener('change', listener);
      return () => list.removeEventListener('change', listener);
    },
    () => matchMedia(query).matches,
  );
}

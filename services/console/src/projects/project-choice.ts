import { useSyncExternalStore } from 'react';

/*
 * The project the console shows, kept in the URL (`?project=web`), so a link
 * or a reload opens the same project. No parameter: every project.
 */

const PARAM = 'project';
const listeners = new Set<() => void>();
window.addEventListener('popstate', () => listeners.forEach((listener) => listener()));

/** The chosen project's key, or undefined for every project. */
export function chosenProject(): string | undefined {
  return new URLSearchParams(location.search).get(PARAM) ?? undefined;
}

/** What in-console links append to keep the choice (`?project=web`, or nothing). */
export function projectQuery(): string {
  const project = chosenProject();
  return project === undefined ? '' : `?${new URLSearchParams({ [PARAM]: project })}`;
}

/** Chooses a project (undefined: every project): a new history entry, so Back returns to the previous one. */
export function chooseProject(project: string | undefined): void {
  if (project === chosenProject()) return;
  history.pushState(null, '', `${location.pathname}${project === undefined ? '' : `?${new URLSearchParams({ [PARAM]: project })}`}`);
  listeners.forEach((listener) => listener());
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useChosenProject(): string | undefined {
  return useSyncExternalStore(subscribe, chosenProject);
}

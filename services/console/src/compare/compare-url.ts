/*
 * The environments compared, kept in the URL (`/compare?from=staging&to=prod`)
 * beside the chosen project, so a comparison can be bookmarked and shared.
 */

export interface EnvironmentPair {
  from?: string;
  to?: string;
}

export function readPair(search: string): EnvironmentPair {
  const query = new URLSearchParams(search);
  return { from: query.get('from') ?? undefined, to: query.get('to') ?? undefined };
}

/** Replaces the current history entry's `from` and `to` (choosing environments is not a page of its own for Back). */
export function writePair(pair: EnvironmentPair): void {
  const query = new URLSearchParams(location.search);
  for (const name of ['from', 'to'] as const) {
    const value = pair[name];
    if (value === undefined) query.delete(name);
    else query.set(name, value);
  }
  const text = query.toString();
  history.replaceState(history.state, '', `${location.pathname}${text === '' ? '' : `?${text}`}${location.hash}`);
}

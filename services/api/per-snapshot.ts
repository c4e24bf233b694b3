import type { Snapshot } from '../../shared/schemas/snapshots.js';

/**
 * `derive`, computed once per snapshot object. A snapshot is immutable once
 * read, and the snapshot cache hands out the same object for as long as its
 * version stands (snapshot-cache.ts), so whatever a route derives from it (a
 * serialised body, its headers, compiled definitions) is derived once per
 * version, not once per request.
 */
export function perSnapshot<T>(derive: (snapshot: Snapshot) => T): (snapshot: Snapshot) => T {
  const derived = new WeakMap<Snapshot, T>();
  return (snapshot) => {
    let value = derived.get(snapshot);
    if (value === undefined) {
      value = derive(snapshot);
      derived.set(snapshot, value);
    }
    return value;
  };
}

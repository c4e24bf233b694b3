import type { FlagState } from '../../../shared/schemas/flags.js';
import type { Snapshot } from '../../../shared/schemas/snapshots.js';

const indexes = new WeakMap<Snapshot, Map<string, FlagState>>();

/**
 * The snapshot's flags by key. A snapshot object is immutable once read, and the
 * reader hands out the same object until a newer one arrives, so the index is
 * built once per snapshot rather than once per request.
 */
export function flagsByKey(snapshot: Snapshot): Map<string, FlagState> {
  let index = indexes.get(snapshot);
  if (!index) {
    index = new Map(snapshot.flags.map((state) => [state.key, state]));
    indexes.set(snapshot, index);
  }
  return index;
}

import { definitionsOf, type Definitions } from '../../../shared/evaluation/index.js';
import type { FlagState } from '../../../shared/schemas/flags.js';
import type { Snapshot } from '../../../shared/schemas/snapshots.js';

/** A snapshot ready to evaluate: its states by key and the definitions evaluate() reads. */
export interface SnapshotIndex {
  states: Map<string, FlagState>;
  definitions: Definitions;
}

const indexes = new WeakMap<Snapshot, SnapshotIndex>();

/**
 * The snapshot's flags by key, and its definitions. A snapshot object is immutable once
 * read, and the reader hands out the same object until a newer one arrives, so the index
 * (and the compiled definitions behind it) is built once per snapshot rather than per request.
 */
export function indexSnapshot(snapshot: Snapshot): SnapshotIndex {
  let index = indexes.get(snapshot);
  if (!index) {
    index = {
      states: new Map(snapshot.flags.map((state) => [state.key, state])),
      definitions: definitionsOf(snapshot.flags, snapshot.segments),
    };
    indexes.set(snapshot, index);
  }
  return index;
}

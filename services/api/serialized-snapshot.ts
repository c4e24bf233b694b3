import type { Snapshot } from '../../shared/schemas/snapshots.js';

// A snapshot object is immutable once cached, and the cache hands out the same
// object until a newer version replaces it: serialising it once per object
// (not once per request) takes JSON.stringify of ~20 KB off the hot read path.
const serialized = new WeakMap<Snapshot, Buffer>();

/** The snapshot as JSON bytes, computed once per snapshot object. */
export function serializeSnapshot(snapshot: Snapshot): Buffer {
  let body = serialized.get(snapshot);
  if (!body) {
    body = Buffer.from(JSON.stringify(snapshot));
    serialized.set(snapshot, body);
  }
  return body;
}

import type { Snapshot } from '../../shared/schemas/snapshots.js';
import { perSnapshot } from './per-snapshot.js';

/** The snapshot as JSON bytes, computed once per snapshot object (JSON.stringify of ~20 KB is off the hot read path). */
export const serializeSnapshot: (snapshot: Snapshot) => Buffer = perSnapshot((snapshot) => Buffer.from(JSON.stringify(snapshot)));

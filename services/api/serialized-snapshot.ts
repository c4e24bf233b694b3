import type { Snapshot } from '../../shared/schemas/snapshots.js';
import { preparedJson, type PreparedJson } from './http/prepared-json.js';
import { perSnapshot } from './per-snapshot.js';

/** The snapshot as JSON, made once per snapshot object (JSON.stringify of ~20 KB is off the hot read path). */
export const serializeSnapshot: (snapshot: Snapshot) => PreparedJson = perSnapshot((snapshot) => preparedJson(JSON.stringify(snapshot)));

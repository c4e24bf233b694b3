import { snapshotJson } from '../../../shared/domain/snapshots/snapshot-json.js';
import type { Snapshot } from '../../../shared/schemas/snapshots.js';
import { preparedJson, type PreparedJson } from '../http/prepared-json.js';
import { memoPerSnapshot } from '../../../shared/domain/snapshots/snapshot-memo.js';

/** The snapshot as JSON, made once per snapshot object (or the text it was read from Redis as), off the hot read path. */
export const serializeSnapshot: (snapshot: Snapshot) => PreparedJson = memoPerSnapshot((snapshot) => preparedJson(snapshotJson(snapshot)));

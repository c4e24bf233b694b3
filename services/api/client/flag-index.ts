import { definitionsOf, type Definitions } from '../../../packages/evaluation/index.js';
import type { FlagState } from '../../../shared/schemas/flags.js';
import { memoPerSnapshot } from '../../../shared/domain/snapshots/snapshot-memo.js';

/** A snapshot ready to evaluate: its states by key and the definitions evaluate() reads. */
export interface SnapshotIndex {
  states: Map<string, FlagState>;
  definitions: Definitions;
}

/**
 * The snapshot's flags by key, and its definitions, built once per snapshot
 * (shared/domain/snapshots/snapshot-memo.ts) rather than per request.
 */
export const indexSnapshot = memoPerSnapshot((snapshot): SnapshotIndex => ({
  states: new Map(snapshot.flags.map((state) => [state.key, state])),
  definitions: definitionsOf(snapshot.flags, snapshot.segments),
}));

import type { Snapshot } from './protocol.js';

/** Where the client keeps its last-known snapshot, so an app starts with real flags while FlagShip is unreachable. */
export interface SnapshotStore {
  /** The stored snapshot, or undefined when there is none (or it cannot be read). */
  load(): Promise<Snapshot | undefined>;
  save(snapshot: Snapshot): Promise<void>;
}

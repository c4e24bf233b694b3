import { SnapshotLists } from '../../shared/domain/snapshots/snapshot-lists.js';
import type { Snapshot } from '../../shared/schemas/snapshots.js';
import { subjectsOfChange, type FlagChange } from '../../shared/schemas/socket.js';
import { PreparedPayload } from './prepared-payload.js';

/** The snapshot at one version, and its JSON (made when first asked for, exactly JSON.stringify(snapshot)). */
export interface SnapshotAtVersion {
  readonly snapshot: Snapshot;
  json(): string;
  /** The JSON as a socket payload (prepared-payload.ts), made once for the version. */
  payload(): PreparedPayload<Snapshot>;
}

/**
 * An environment's flags and segments at one version, moved forward one
 * change at a time, as objects and as JSON.
 *
 * Every socket that connects without `since` is sent the snapshot, and the
 * Redis cache is written with it after every change. At 10,000 flags with
 * rules that is 6 MiB of JSON: JSON.stringify took 25–50 ms of the
 * notifier's only thread each time, before the change reached any socket,
 * and again for each new socket. Here each flag is serialised once after it
 * changes (snapshot-lists.ts), and the snapshot's JSON is the join of those pieces (a few ms),
 * made once per version and shared by the cache write and every socket.
 */
export class RelayedSnapshot {
  private readonly lists: SnapshotLists;
  private built: SnapshotAtVersion | undefined;
  private current: number;

  constructor(readonly environment: string, loaded: Snapshot) {
    // loadSnapshot's own order (collate "C"), until a flag or segment is added or removed.
    this.lists = new SnapshotLists(loaded);
    this.current = loaded.version;
  }

  get version(): number {
    return this.current;
  }

  /** Applies the change that follows the current version (versions are gap-free: N+1 on the snapshot at N gives the snapshot at N+1). */
  apply(change: FlagChange): void {
    if (change.version !== this.current + 1) {
      throw new Error(`event ${change.version} of '${this.environment}' does not follow ${this.current}`);
    }
    this.lists.apply(subjectsOfChange(change));
    this.current = change.version;
    this.built = undefined;
  }

  /**
   * The snapshot at the current version, built once per version; shared, never
   * to be modified. It stays what it is when later changes are applied: its
   * json() may be asked for after them (the cache writer writes later while
   * Redis is slow) and still gives this version's text.
   */
  now(): SnapshotAtVersion {
    if (this.built) return this.built;
    const { environment, current: version } = this;
    const lists = this.lists.now();
    const { flags, segments } = lists.lists();
    let json: string | undefined;
    let payload: PreparedPayload<Snapshot> | undefined;
    const at: SnapshotAtVersion = {
      snapshot: { environment, version, flags, segments },
      json: () => (json ??= lists.json(environment, version)),
      payload: () => (payload ??= new PreparedPayload<Snapshot>(at.json())),
    };
    this.built = at;
    return at;
  }
}

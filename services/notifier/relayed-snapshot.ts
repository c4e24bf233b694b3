import { compareCodePoints } from '../../shared/domain/snapshots/snapshot-store.js';
import type { FlagState } from '../../shared/schemas/flags.js';
import type { Snapshot } from '../../shared/schemas/snapshots.js';
import type { StoredSegment } from '../../shared/schemas/targeting.js';
import type { FlagChange } from '../../shared/schemas/socket.js';
import { PreparedPayload } from './prepared-payload.js';

/** One flag or segment as it stands, and its JSON, made when it changed. */
interface Member<T> {
  value: T;
  json: string;
}

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
 * and again for each new socket. Here each flag is serialised once, when it
 * changes, and the snapshot's JSON is the join of those pieces (a few ms),
 * made once per version and shared by the cache write and every socket.
 */
export class RelayedSnapshot {
  private readonly flags = new Map<string, Member<FlagState>>();
  private readonly segments = new Map<number, Member<StoredSegment>>();
  /** Flag keys and segment ids in snapshot order; undefined after one was added or removed (sorted again when next asked). */
  private flagOrder: string[] | undefined;
  private segmentOrder: number[] | undefined;
  private built: SnapshotAtVersion | undefined;
  private current: number;

  constructor(readonly environment: string, loaded: Snapshot) {
    for (const flag of loaded.flags) this.flags.set(flag.key, { value: flag, json: JSON.stringify(flag) });
    for (const segment of loaded.segments) this.segments.set(segment.id, { value: segment, json: JSON.stringify(segment) });
    // loadSnapshot's own order (collate "C"), until a flag or segment is added or removed.
    this.flagOrder = loaded.flags.map((flag) => flag.key);
    this.segmentOrder = loaded.segments.map((segment) => segment.id);
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
    if ('segment' in change) {
      const { segment } = change;
      const known = this.segments.has(segment.id);
      if (segment.deleted) this.segments.delete(segment.id);
      else this.segments.set(segment.id, { value: segment, json: JSON.stringify(segment) });
      // An edit keeps the order; one added or removed changes it.
      if (known === Boolean(segment.deleted)) this.segmentOrder = undefined;
    } else {
      const { flag } = change;
      const known = this.flags.has(flag.key);
      if (flag.archived) this.flags.delete(flag.key);
      else this.flags.set(flag.key, { value: flag, json: JSON.stringify(flag) });
      if (known === Boolean(flag.archived)) this.flagOrder = undefined;
    }
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
    const flags = this.orderedFlags().map((key) => this.flags.get(key)!);
    const segments = this.orderedSegments().map((id) => this.segments.get(id)!);
    const { environment, current: version } = this;
    let json: string | undefined;
    let payload: PreparedPayload<Snapshot> | undefined;
    const at: SnapshotAtVersion = {
      snapshot: { environment, version, flags: flags.map((flag) => flag.value), segments: segments.map((segment) => segment.value) },
      // The keys in the order the snapshot has them, so that the text is exactly JSON.stringify's.
      json: () =>
        (json ??= `{"environment":${JSON.stringify(environment)},"version":${version},"flags":[${flags.map((flag) => flag.json).join(',')}],"segments":[${segments.map((segment) => segment.json).join(',')}]}`),
      payload: () => (payload ??= new PreparedPayload<Snapshot>(at.json())),
    };
    this.built = at;
    return at;
  }

  private orderedFlags(): string[] {
    // The order loadSnapshot reads (key collate "C"): by code point, not by JavaScript's `<`.
    this.flagOrder ??= [...this.flags.keys()].sort(compareCodePoints);
    return this.flagOrder;
  }

  private orderedSegments(): number[] {
    this.segmentOrder ??= [...this.segments.keys()].sort((a, b) => a - b);
    return this.segmentOrder;
  }
}

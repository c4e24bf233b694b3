import { inIdOrder, inKeyOrder } from '../../shared/cache/snapshot-store.js';
import { loadSnapshot } from '../../shared/db/snapshots.js';
import { listEventsSince } from '../../shared/db/events.js';
import type { Queryable } from '../../shared/db/pool.js';
import type { FlagState } from '../../shared/schemas/flags.js';
import type { Snapshot } from '../../shared/schemas/snapshots.js';
import type { StoredSegment } from '../../shared/schemas/targeting.js';
import { changeOfEvent, type FlagChange } from '../../shared/schemas/socket.js';
import type { CacheWriter } from './cache-writer.js';

/** Where a feed's changes go: the sockets of its environment (io.ts). */
export interface RelayTarget {
  /** A change, relayed in version order. */
  deliver(change: FlagChange): void;
  /** The feed now stands at `version` without having relayed the versions before it (it loaded a snapshot). */
  reached(environment: string, version: number): void;
}

/** Events read per query while catching up. */
const CATCH_UP_BATCH = 500;

/** How many of its latest changes a feed keeps for sockets resuming a little behind (a reconnect storm, an outage). */
export const RECENT_CHANGES = 500;

/**
 * One environment's stream of changes inside a notifier: it holds the
 * snapshot at the last relayed version and moves it forward one event at a
 * time, in version order, from the event table.
 *
 * Catch-ups never interleave: one runs at a time, and a request that arrives
 * while one runs makes it go round once more. Two concurrent NOTIFYs therefore
 * cannot relay the same version twice or out of order.
 */
export class EnvironmentFeed {
  private flags: Map<string, FlagState> | undefined;
  private segments = new Map<number, StoredSegment>();
  private version = 0;
  /** The snapshot at `version`, built once when first asked for (the cache writer and every connecting socket share it). */
  private built: Snapshot | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  /** The latest changes applied, in version order and gap-free, ending at `version` (at most RECENT_CHANGES). */
  private recent: FlagChange[] = [];

  constructor(
    readonly environment: string,
    private readonly db: Queryable,
    private readonly cache: CacheWriter,
    private readonly target: RelayTarget,
  ) {}

  /** The last version relayed (or loaded), undefined before the first catch-up. */
  get relayedVersion(): number | undefined {
    return this.flags ? this.version : undefined;
  }

  /**
   * The snapshot at the last relayed version (undefined before the first
   * catch-up): what a socket joining now must start from, since every later
   * change will be relayed to it. Shared, never to be modified.
   */
  relayedSnapshot(): Snapshot | undefined {
    if (!this.flags) return undefined;
    this.built ??= {
      environment: this.environment,
      version: this.version,
      flags: inKeyOrder([...this.flags.values()]),
      segments: inIdOrder([...this.segments.values()]),
    };
    return this.built;
  }

  /**
   * The changes after `version` up to the last relayed one, from memory, when
   * the feed still holds all of them (at most `limit`); undefined when it does
   * not (then they are the event table's to give).
   */
  changesAfter(version: number, limit: number): FlagChange[] | undefined {
    if (!this.flags || version > this.version) return undefined;
    if (version === this.version) return [];
    const first = this.recent[0];
    if (!first || first.version > version + 1) return undefined;
    const from = version + 1 - first.version;
    return this.recent.slice(from, from + limit);
  }

  /** Reads and relays every event after the last relayed one; resolves once caught up (rejects if a read failed). */
  catchUp(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.drain()
      .catch((error: unknown) => {
        // Start again from a fresh snapshot rather than from a state that may have stopped midway.
        this.flags = undefined;
        throw error;
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  /** Resolves when no catch-up runs (for a clean shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running.catch(() => undefined);
  }

  private async drain(): Promise<void> {
    do {
      this.again = false;
      if (!this.flags) await this.load();
      let batch: FlagChange[];
      do {
        const events = await listEventsSince(this.db, this.environment, this.version, CATCH_UP_BATCH);
        batch = events.map(changeOfEvent);
        if (batch.length === 0) break;
        for (const change of batch) this.apply(change);
        // The cache write is sent before any socket hears of the change, so in
        // the ordinary case Redis holds it first (docs/architecture.md: a client
        // that reads over HTTP after a push never sees older flags); but it is
        // never awaited: a stalled Redis must not delay a push (the writer
        // catches up alone).
        this.cache.write(this.relayedSnapshot()!);
        for (const change of batch) this.target.deliver(change);
      } while (batch.length === CATCH_UP_BATCH);
    } while (this.again);
  }

  /**
   * The starting point, taken after LISTEN is active: a change that commits
   * after this read is in the table and will be read by a catch-up.
   */
  private async load(): Promise<void> {
    const snapshot = await loadSnapshot(this.db, this.environment);
    this.flags = new Map(snapshot.flags.map((flag) => [flag.key, flag]));
    this.segments = new Map(snapshot.segments.map((segment) => [segment.id, segment]));
    this.version = snapshot.version;
    this.built = snapshot;
    // A jump: what came before this snapshot is the table's to give.
    this.recent = [];
    this.cache.write(snapshot);
    // Sockets may have joined before this (their start read Redis or the
    // table, perhaps at an older version), and a reload after a failed read
    // skips what was not relayed: no relayed change would ever show them the
    // versions up to here, so they are told to read them themselves.
    this.target.reached(this.environment, snapshot.version);
  }

  private apply(change: FlagChange): void {
    // Versions are gap-free, so applying N+1 to the snapshot at N gives exactly the snapshot at N+1.
    if (change.version !== this.version + 1) {
      throw new Error(`event ${change.version} of '${this.environment}' does not follow ${this.version}`);
    }
    if ('segment' in change) {
      if (change.segment.deleted) this.segments.delete(change.segment.id);
      else this.segments.set(change.segment.id, change.segment);
    } else if (change.flag.archived) this.flags!.delete(change.flag.key);
    else this.flags!.set(change.flag.key, change.flag);
    this.version = change.version;
    this.built = undefined;
    this.recent.push(change);
    if (this.recent.length > RECENT_CHANGES * 2) this.recent = this.recent.slice(-RECENT_CHANGES);
  }
}

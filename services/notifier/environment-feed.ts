import { loadSnapshot } from '../../shared/domain/snapshots/snapshot-repository.js';
import { listEventsSince } from '../../shared/domain/events/event-repository.js';
import type { Queryable } from '../../shared/db/pool.js';
import type { Snapshot } from '../../shared/schemas/snapshots.js';
import { changesOfEvents, type FlagChange } from '../../shared/schemas/socket.js';
import type { CacheWriter } from './cache-writer.js';
import type { PreparedPayload } from './prepared-payload.js';
import { RelayedSnapshot } from './relayed-snapshot.js';

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
  /** The snapshot at the last relayed version; undefined before the first catch-up, and after a failed one. */
  private state: RelayedSnapshot | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  /** The latest changes applied, in version order and gap-free, ending at the relayed version (at most RECENT_CHANGES). */
  private recent: FlagChange[] = [];

  constructor(
    readonly environment: string,
    private readonly db: Queryable,
    private readonly cache: CacheWriter,
    private readonly target: RelayTarget,
  ) {}

  /** The last version relayed (or loaded), undefined before the first catch-up. */
  get relayedVersion(): number | undefined {
    return this.state?.version;
  }

  /**
   * The snapshot at the last relayed version (undefined before the first
   * catch-up): what a socket joining now must start from, since every later
   * change will be relayed to it. Shared, never to be modified.
   */
  relayedSnapshot(): Snapshot | undefined {
    return this.state?.now().snapshot;
  }

  /** That snapshot as its JSON, for a socket: sent as it is, never serialised again (prepared-payload.ts). */
  relayedPayload(): { version: number; payload: PreparedPayload<Snapshot> } | undefined {
    // Made once per version, and held by that version alone: a reload starts from a new state (and its own payloads).
    const now = this.state?.now();
    return now && { version: now.snapshot.version, payload: now.payload() };
  }

  /**
   * The changes after `version` up to the last relayed one, from memory, when
   * the feed still holds all of them (at most `limit`); undefined when it does
   * not (then they are the event table's to give).
   */
  changesAfter(version: number, limit: number): FlagChange[] | undefined {
    const relayed = this.state?.version;
    if (relayed === undefined || version > relayed) return undefined;
    if (version === relayed) return [];
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
        this.state = undefined;
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
      if (!this.state) await this.load();
      let batch: FlagChange[];
      do {
        const events = await listEventsSince(this.db, this.environment, this.state!.version, CATCH_UP_BATCH);
        batch = changesOfEvents(events);
        if (batch.length === 0) break;
        for (const change of batch) this.apply(change);
        // The cache write is sent before any socket hears of the change, so in
        // the ordinary case Redis holds it first (docs/architecture.md: a client
        // that reads over HTTP after a push never sees older flags); but it is
        // never awaited: a stalled Redis must not delay a push (the writer
        // catches up alone).
        this.writeCache();
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
    this.state = new RelayedSnapshot(this.environment, snapshot);
    // A jump: what came before this snapshot is the table's to give.
    this.recent = [];
    this.writeCache();
    // Sockets may have joined before this (their start read Redis or the
    // table, perhaps at an older version), and a reload after a failed read
    // skips what was not relayed: no relayed change would ever show them the
    // versions up to here, so they are told to read them themselves.
    this.target.reached(this.environment, snapshot.version);
  }

  /** Hands the cache writer the snapshot at the relayed version, with its JSON (made only if the writer gets to write it). */
  private writeCache(): void {
    const { snapshot, json } = this.state!.now();
    this.cache.write(snapshot, json);
  }

  private apply(change: FlagChange): void {
    this.state!.apply(change);
    this.recent.push(change);
    if (this.recent.length > RECENT_CHANGES * 2) this.recent = this.recent.slice(-RECENT_CHANGES);
  }
}

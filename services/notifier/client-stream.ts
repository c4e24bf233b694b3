import type { Logger } from '../../shared/logger.js';
import type { FlagChange, ServerToClientEvents } from '../../shared/schemas/socket.js';
import type { StreamObserver } from './metrics.js';
import type { Snapshot } from '../../shared/schemas/snapshots.js';
import type { PreparedPayload } from './prepared-payload.js';
import type { ReplaySource } from './replay-source.js';
import { EVERY_PROJECT, changeForScope, seesEveryProject, type ProjectScope } from '../../shared/domain/projects/project-scope.js';

/** Changes read from the table per query while a socket catches up. */
const REPLAY_BATCH = 500;

/** What the notifier emits: the events clients know, the snapshot as its JSON, made before (prepared-payload.ts). */
export type NotifierEvents = Omit<ServerToClientEvents, 'flags:snapshot'> & {
  'flags:snapshot': (snapshot: PreparedPayload<Snapshot>) => void;
};

/** The part of a Socket.IO socket a stream writes to. */
export interface StreamSocket {
  readonly connected: boolean;
  emit<E extends keyof NotifierEvents>(event: E, ...args: Parameters<NotifierEvents[E]>): boolean;
  disconnect(close?: boolean): unknown;
}

/**
 * What one socket is sent: first a snapshot or the changes it missed, then
 * every live change, each version exactly once and in order.
 *
 * The socket joins its room before the first read, so no live change can fall
 * between the read and the join; live changes that arrive while the read runs
 * are held back and sent afterwards, skipping those the read already covered.
 * A live change that does not follow the last one sent (the socket joined
 * while this notifier's relay was behind the table) is never sent across the
 * gap: the stream reads the missing versions from the table first.
 */
export class ClientStream {
  /** The last version this stream has dealt with (sent, or not this socket's to see): every one up to it, gap-free. */
  private lastSent: number | undefined;
  /** The version of the last change emitted to the socket (or it started from): the `previous` of the next one. */
  private lastEmitted: number | undefined;
  private readonly everyProject: boolean;
  private reading = true;
  private readonly held: FlagChange[] = [];
  /** A version the relay stands at without having relayed it here (reach()): the stream reads up to it. */
  private mustReach = -1;

  constructor(
    private readonly socket: StreamSocket,
    private readonly environment: string,
    private readonly source: ReplaySource,
    private readonly replayWindow: number,
    private readonly logger: Logger,
    private readonly observer?: StreamObserver,
    /**
     * The projects the socket's token sees. Versions are the environment's,
     * gap-free; the stream still goes through every one in order (so it
     * notices a gap as before), emitting only what the scope sees, each
     * with `previous` = the version emitted before it: a change of another
     * project costs the socket nothing, not even a key.
     */
    private readonly scope: ProjectScope = EVERY_PROJECT,
  ) {
    this.everyProject = seesEveryProject(scope);
  }

  /** Sends the snapshot, or the changes after `since` when they are within the replay window. */
  async start(since: number | undefined): Promise<void> {
    try {
      const current = since === undefined ? undefined : await this.source.currentVersion(this.environment, since);
      if (since !== undefined && current !== undefined && since <= current && current - since <= this.replayWindow) {
        this.lastSent = since;
        this.lastEmitted = since;
        await this.sendChangesAfterLastSent();
        this.observer?.replayed(this.lastSent - since);
      } else {
        // No `since`, one from before the replay window, or one ahead of this
        // server (a restored database, another installation): the whole state.
        const snapshot = await this.source.snapshot(this.environment, this.scope);
        this.socket.emit('flags:snapshot', snapshot.payload);
        this.observer?.snapshotSent();
        this.lastSent = snapshot.version;
        this.lastEmitted = snapshot.version;
      }
      this.socket.emit('flags:synced', { environment: this.environment, version: this.lastSent });
      this.releaseHeld();
    } catch (error) {
      this.abandon(error);
    }
  }

  /**
   * Whether `change` can go out to this socket in one room broadcast: it is
   * what forward() would send at once (nothing held or being read, and it
   * follows the last version sent). The caller then reports sentByBroadcast.
   */
  takesDirectly(change: FlagChange): boolean {
    // A socket of some projects is sent its own shape of each change (or nothing), never the broadcast.
    return this.everyProject && !this.reading && this.lastSent === change.version - 1;
  }

  /** `change` went out to this socket in a room broadcast. */
  sentByBroadcast(change: FlagChange): void {
    this.lastSent = change.version;
    this.lastEmitted = change.version;
  }

  /** Sends `change` (the version after lastSent) as this socket's scope sees it, or nothing when it sees none of it. */
  private send(change: FlagChange): void {
    this.lastSent = change.version;
    if (this.everyProject) {
      this.socket.emit('flags:change', change);
      this.lastEmitted = change.version;
      return;
    }
    const seen = changeForScope(change, this.scope);
    if (!seen) return;
    this.socket.emit('flags:change', { ...seen, previous: this.lastEmitted! });
    this.lastEmitted = change.version;
  }

  /** A change relayed live to the socket's room. */
  deliver(change: FlagChange): void {
    if (this.reading) this.held.push(change);
    else this.forward(change);
  }

  private forward(change: FlagChange): void {
    const last = this.lastSent!;
    if (change.version <= last) return;
    if (change.version === last + 1) {
      this.send(change);
      return;
    }
    this.held.unshift(change);
    this.readMissing();
  }

  /**
   * The relay loaded the environment at `version` instead of relaying the
   * versions up to it (its first read, or a reload after a failed one). This
   * socket may have started from an older snapshot or replay, and no live
   * change would tell it what it lacks until the next one: it reads the
   * missing versions from the table now.
   */
  reach(version: number): void {
    this.mustReach = Math.max(this.mustReach, version);
    if (!this.reading) this.readUpToMustReach();
  }

  private releaseHeld(): void {
    this.reading = false;
    while (!this.reading && this.held.length > 0) this.forward(this.held.shift()!);
    if (!this.reading) this.readUpToMustReach();
  }

  private readUpToMustReach(): void {
    if (this.lastSent === undefined || this.lastSent >= this.mustReach || !this.socket.connected) return;
    this.readMissing();
  }

  /** Reads what follows the last version sent from the table, holding live changes meanwhile. */
  private readMissing(): void {
    this.reading = true;
    const from = this.lastSent;
    this.sendChangesAfterLastSent().then(
      () => {
        // The table had nothing more (it cannot be behind the relay, but never spin on it): the next change's gap check takes over.
        if (this.lastSent === from) this.mustReach = -1;
        this.releaseHeld();
      },
      (error: unknown) => this.abandon(error),
    );
  }

  private async sendChangesAfterLastSent(): Promise<void> {
    let batch: FlagChange[];
    do {
      batch = await this.source.changesSince(this.environment, this.lastSent!, REPLAY_BATCH);
      if (!this.socket.connected) return;
      for (const change of batch) this.send(change);
    } while (batch.length === REPLAY_BATCH);
  }

  /**
   * PostgreSQL could not be read: end the connection rather than leave a hole.
   * The client reconnects with the last version it got and is sent the rest.
   */
  private abandon(error: unknown): void {
    this.logger.warn({ err: error, environment: this.environment }, 'could not catch a socket up; disconnecting it');
    this.held.length = 0;
    if (!this.socket.connected) return;
    this.socket.emit('flags:error', { code: 'unavailable', message: 'FlagShip could not read the changes just now; reconnect to resume' });
    this.socket.disconnect(true);
  }
}

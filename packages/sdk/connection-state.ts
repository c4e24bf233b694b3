/**
 * Where a client stands with FlagShip:
 *
 * - `connecting`: not yet in sync (the first attempt is under way);
 * - `connected`: in sync; changes arrive as they happen;
 * - `disconnected`: FlagShip cannot be reached (or ready() stopped waiting for it);
 *   the client serves the flags it holds and keeps trying;
 * - `refused`: FlagShip refused the client for good (revoked or wrong token): it
 *   serves the flags it holds and no longer tries;
 * - `closed`: close() was called.
 */
export type ConnectionStatus = 'connecting' | 'connected' | 'disconnected' | 'refused' | 'closed';

/** The `disconnected` event: the client lost FlagShip (or was refused, `status` says which). */
export interface FlagShipDisconnected {
  /** Why, in words (`transport close`, `FlagShip answered 503`, the refusal's message, …). */
  reason: string;
  /** Since when the flags held may be out of date. */
  staleSince: Date;
}

/** The `reconnected` event: in sync again after a `disconnected`, with everything missed meanwhile applied. */
export interface FlagShipReconnected {
  /** When the flags held went stale (the `disconnected` event's). */
  staleSince: Date;
  /** How long they were stale. */
  downtimeMs: number;
}

/** The connection events both clients emit, beside their own. */
export interface ConnectionEvents {
  disconnected: [FlagShipDisconnected];
  reconnected: [FlagShipReconnected];
}

interface ConnectionStateOptions {
  /** The client's `disconnected` and `reconnected` events. */
  disconnected(details: FlagShipDisconnected): void;
  reconnected(details: FlagShipReconnected): void;
  /** Where the loss is reported as an error (the client's `error` event). */
  report(error: Error): void;
  /** The clock (tests may give their own). */
  now?: () => number;
}

/**
 * The connection state machine both clients share (Node over Socket.IO, the
 * browser over OFREP and its event stream): each says when it is in sync, when
 * it lost FlagShip and when it was refused, and this turns those into one
 * status, `staleSince`, and one `disconnected` / `reconnected` pair per outage
 * however many attempts fail in between.
 */
export class ConnectionState {
  private current: ConnectionStatus = 'connecting';
  private staleAt: number | undefined;
  private readonly startedAt: number;
  private readonly now: () => number;

  constructor(private readonly options: ConnectionStateOptions) {
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
  }

  get status(): ConnectionStatus {
    return this.current;
  }

  /** Since when the flags held may be out of date; undefined while connected (and before the first attempt failed). */
  get staleSince(): Date | undefined {
    return this.staleAt === undefined ? undefined : new Date(this.staleAt);
  }

  /** In sync with FlagShip: a `reconnected` when the client had been disconnected or refused. */
  synced(): void {
    if (this.current === 'closed' || this.current === 'connected') return;
    const staleAt = this.staleAt;
    this.current = 'connected';
    this.staleAt = undefined;
    if (staleAt !== undefined) {
      this.options.reconnected({ staleSince: new Date(staleAt), downtimeMs: Math.max(0, this.now() - staleAt) });
    }
  }

  /**
   * FlagShip cannot be reached (a dropped connection, a failed attempt, no answer
   * in time). Only the first of an outage counts: it emits `disconnected` and
   * reports an error, so a listener hears of each outage once.
   */
  lost(reason: string): void {
    if (this.current !== 'connected' && this.current !== 'connecting') return;
    // Never in sync: what the client holds (bootstrap or stored flags) was not current when it started.
    this.staleAt = this.current === 'connected' ? this.now() : this.startedAt;
    this.current = 'disconnected';
    const staleSince = new Date(this.staleAt);
    this.options.disconnected({ reason, staleSince });
    this.options.report(new Error(`lost FlagShip (${reason}): serving the flags held, stale since ${staleSince.toISOString()}; retrying`));
  }

  /** FlagShip refused the client for good: `disconnected` once more, with status `refused` (the client reports the refusal itself). */
  refused(reason: string): void {
    if (this.current === 'refused' || this.current === 'closed') return;
    this.staleAt ??= this.current === 'connecting' ? this.startedAt : this.now();
    this.current = 'refused';
    this.options.disconnected({ reason, staleSince: new Date(this.staleAt) });
  }

  closed(): void {
    this.current = 'closed';
  }
}

/** The wait before reconnection attempt `attempt` (0 first): doubling from `baseMs` up to `maxMs`, with jitter so a fleet does not retry in step. */
export function reconnectDelay(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(baseMs * 2 ** attempt, maxMs) * (0.5 + Math.random() / 2);
}

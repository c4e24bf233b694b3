import { io, type Socket } from 'socket.io-client';
import {
  definitionOf,
  evaluate,
  isEnabled,
  type EvaluatedVariant,
  type Evaluation,
  type EvaluationContext,
  type FlagDefinition,
  type JsonValue,
  type Segment,
} from '@flagship/evaluation';
import { ConnectionState, reconnectDelay, type ConnectionEvents, type ConnectionStatus } from './connection-state.js';
import { TypedEmitter } from './emitter.js';
import {
  PROTOCOL_VERSION,
  isFlagChange,
  subjectsOf,
  isSnapshot,
  isSocketError,
  isSynced,
  type ClientToServerEvents,
  type FlagState,
  type HandshakeAuth,
  type ServerToClientEvents,
  type Snapshot,
  type SocketErrorCode,
  type StoredSegment,
} from './protocol.js';
import type { SnapshotStore } from './snapshot-store.js';
import { UsageReporter, type UsageReportingOptions } from './usage-reporter.js';
import { ERRORS_EVENT, EXPOSURE_EVENT, EventReporter, variantLabel, type EventReporterStats, type EventReportingOptions } from './event-reporter.js';

/** Flags whose events track() attributes; an app evaluating more is past any guard's use, and memory stays bounded. */
const MAX_TRACKED_FLAGS = 1000;

/** What `track()` may carry beyond the event's name: OpenFeature's tracking event details. */
export interface TrackDetails {
  /** A number to add up (a basket's value, a latency): sent as the bucket's `sum`. */
  value?: number;
}

export interface FlagShipClientOptions {
  /** The notifier's Socket.IO address, e.g. `http://flagship.internal:8081`. */
  url: string;
  /** An sdk token: it names the environment whose flags the client gets. */
  token: string;
  /** The environment you expect; FlagShip refuses the connection if the token is for another. */
  environment?: string;
  /** Flags to start from while FlagShip cannot be reached (e.g. a `GET /v1/client/flags` body shipped with the app). */
  bootstrap?: Snapshot;
  /** Keeps the last-known snapshot across restarts (see fileSnapshotStore); used when newer than the bootstrap. */
  store?: SnapshotStore;
  /** ready() gives up waiting for FlagShip after this long: it resolves with the bootstrap or stored flags if any, else rejects. Default 5000. */
  readyTimeoutMs?: number;
  /**
   * Report how often each flag is evaluated to FlagShip's API (`POST /api/client/metrics`),
   * so its usage and stale-flag hints count this app. Off unless given.
   */
  usage?: UsageReportingOptions;
  /**
   * Count exposures (which variant, or on/off, each evaluation gave) and
   * track()ed events per flag, and send them to FlagShip's API
   * (`POST /v1/client/events`): what guarded ramps decide on. Off unless given.
   */
  events?: EventReportingOptions;
  /** First delay between reconnection attempts, doubling up to reconnectDelayMaxMs. Defaults 250 and 5000. */
  reconnectDelayMs?: number;
  reconnectDelayMaxMs?: number;
}

/** One step of the client's flags: a live change (one flag or one segment) or a whole snapshot (what differs). */
export interface FlagShipChange {
  environment: string;
  version: number;
  /** The new states; a flag that left the environment (archived) has `archived: true`. */
  flags: FlagState[];
  /** The new segments (which every flag using them evaluates with); a deleted one has `deleted: true`. */
  segments: StoredSegment[];
  source: 'change' | 'snapshot';
}

/** Where the flags the client holds came from. */
export type FlagSource = 'none' | 'bootstrap' | 'store' | 'server';

/** Counters for monitoring: a healthy connection shows no ignored duplicates and no gaps. */
export interface FlagShipClientStats {
  /** Times the client got in sync with FlagShip (the first connection and every reconnection). */
  syncs: number;
  /** Changes received for a version the client already had. */
  duplicatesIgnored: number;
  /** Changes received after a missing version; each made the client reconnect and resume. */
  gapsDetected: number;
}

/** FlagShip refused the client for good (bad or revoked token, wrong environment). */
export class FlagShipRefusedError extends Error {
  constructor(readonly code: SocketErrorCode, message: string) {
    super(message);
    this.name = 'FlagShipRefusedError';
  }
}

interface ClientEvents extends ConnectionEvents {
  change: [FlagShipChange];
  /** Problems worth logging (a lost connection, once per outage, included); only emitted while someone listens, so an app without a listener does not crash. */
  error: [Error];
}

const FINAL_CODES: ReadonlySet<SocketErrorCode> = new Set(['unauthorized', 'forbidden', 'invalid_handshake', 'unsupported_protocol']);

/**
 * Keeps one environment's flags in memory, up to date over Socket.IO, and
 * evaluates them locally with the same function as the API.
 *
 * Every change carries the environment's version and `previous`, the version
 * sent before it. The client applies a change only when it holds `previous`:
 * a version it holds already is a duplicate (ignored), a `previous` beyond it
 * means it missed something, so it reconnects with `since` = its version and
 * FlagShip sends what it missed (of its token's projects only).
 * Each (re)connection reads `since` afresh through the auth callback.
 */
export class FlagShipClient extends TypedEmitter<ClientEvents> {
  private readonly options: Required<Pick<FlagShipClientOptions, 'readyTimeoutMs' | 'reconnectDelayMs' | 'reconnectDelayMaxMs'>> &
    FlagShipClientOptions;
  private flags = new Map<string, FlagState>();
  private segments = new Map<number, StoredSegment>();
  /** What evaluate() reads: one definition (compiled once) per state, and the segments (the same map). */
  private definitions: { flags: Map<string, FlagDefinition>; segments: Map<number, Segment> } = {
    flags: new Map(),
    segments: this.segments,
  };
  private currentEnvironment: string | undefined;
  private currentVersion: number | undefined;
  private currentSource: FlagSource = 'none';
  private socket: Socket<ServerToClientEvents, ClientToServerEvents> | undefined;
  private refusal: FlagShipRefusedError | undefined;
  private closed = false;
  private reconnectAttempt = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private readyTimer: ReturnType<typeof setTimeout> | undefined;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private saving: Promise<void> = Promise.resolve();
  private readonly counters: FlagShipClientStats = { syncs: 0, duplicatesIgnored: 0, gapsDetected: 0 };
  private readySettled = false;
  private resolveReady!: () => void;
  private rejectReady!: (error: Error) => void;
  private readonly readyPromise: Promise<void>;
  private readonly usage: UsageReporter | undefined;
  private readonly events: EventReporter | undefined;
  /** The flags this client reported exposures of: track() counts an event for each, under the variant the context gets. */
  private readonly exposedFlags = new Set<string>();
  private readonly connection = new ConnectionState({
    disconnected: (details) => this.emit('disconnected', details),
    reconnected: (details) => this.emit('reconnected', details),
    report: (error) => this.report(error),
  });

  constructor(options: FlagShipClientOptions) {
    super();
    this.options = { readyTimeoutMs: 5000, reconnectDelayMs: 250, reconnectDelayMaxMs: 5000, ...options };
    this.readyPromise = new Promise<void>((resolve, reject) => {
      this.resolveReady = resolve;
      this.rejectReady = reject;
    });
    // ready() may never be called; a rejection nobody awaits must not crash the app.
    this.readyPromise.catch(() => undefined);
    if (options.bootstrap) {
      if (!isSnapshot(options.bootstrap)) throw new TypeError('bootstrap must be a snapshot: a GET /v1/client/flags body');
      this.replaceAll(options.bootstrap, 'bootstrap');
    }
    if (options.usage) this.usage = new UsageReporter(options.usage, options.token, (error) => this.report(error));
    if (options.events) this.events = new EventReporter(options.events, options.token, (error) => this.report(error));
    void this.start();
  }

  /**
   * Resolves once the client holds flags: FlagShip's, or the bootstrap or
   * stored ones when FlagShip cannot be reached (it keeps trying). Rejects when
   * there is nothing to serve and FlagShip refused the client or did not answer in time.
   */
  ready(): Promise<void> {
    return this.readyPromise;
  }

  /** Whether the flag is on for this context (off when unknown): Unleash's isEnabled. */
  isEnabled(key: string, context: EvaluationContext = {}): boolean {
    const enabled = isEnabled(this.definitions, key, context);
    if ((this.usage || this.events) && this.definitions.flags.has(key)) {
      this.usage?.count(key, enabled);
      this.expose(key, enabled ? 'on' : 'off');
    }
    return enabled;
  }

  /** The variant as Unleash's getVariant returns it (`disabled` when none applies). */
  getVariant(key: string, context: EvaluationContext = {}): EvaluatedVariant {
    return this.evaluate(key, context).variant;
  }

  /** The full answer for a flag: enabled, variant, typed value, OpenFeature's reason. */
  evaluate(key: string, context: EvaluationContext = {}): Evaluation {
    const evaluation = evaluate(this.definitions, key, context);
    if ((this.usage || this.events) && evaluation.errorCode !== 'FLAG_NOT_FOUND') {
      this.usage?.count(key, evaluation.enabled, evaluation.variant.enabled ? evaluation.variant.name : undefined);
      this.expose(key, variantLabel(evaluation.enabled, evaluation.variant));
    }
    return evaluation;
  }

  /**
   * Counts an event (`errors`, `checkout`, …) for this context: for every flag
   * this client reported exposures of, under the variant (or on/off) the
   * context gets now, so a guard compares the event's rate among users who
   * got a flag on with those who got it off. `details.value` adds up as the
   * bucket's sum. Needs the `events` option (does nothing without it).
   */
  track(name: string, context: EvaluationContext = {}, details: TrackDetails = {}): void {
    if (!this.events) return;
    if (name === EXPOSURE_EVENT) throw new TypeError(`'${EXPOSURE_EVENT}' is counted by evaluations; track another name`);
    for (const key of this.exposedFlags) {
      if (!this.definitions.flags.has(key)) continue;
      const evaluation = evaluate(this.definitions, key, context);
      this.events.count(key, variantLabel(evaluation.enabled, evaluation.variant), name, details.value);
    }
  }

  /** track('errors'): the built-in event guards usually watch. */
  trackError(context: EvaluationContext = {}): void {
    this.track(ERRORS_EVENT, context);
  }

  /** Counters of the event reporting (undefined without the `events` option). */
  get eventStats(): EventReporterStats | undefined {
    return this.events?.stats();
  }

  /** Sends the exposures and events counted so far now (they are also sent every events.intervalMs and on close()). */
  async flushEvents(): Promise<void> {
    await this.events?.flush();
  }

  private expose(key: string, variant: string): void {
    if (!this.events) return;
    if (!this.exposedFlags.has(key) && this.exposedFlags.size < MAX_TRACKED_FLAGS) this.exposedFlags.add(key);
    this.events.count(key, variant, EXPOSURE_EVENT);
  }

  /** The flag's boolean (isEnabled); `fallback` when the flag is unknown. */
  getBooleanValue(key: string, fallback: boolean, context: EvaluationContext = {}): boolean {
    return this.definitions.flags.has(key) ? this.isEnabled(key, context) : fallback;
  }

  /** The chosen variant's string (or csv) payload; `fallback` when there is none or it is of another type. */
  getStringValue(key: string, fallback: string, context: EvaluationContext = {}): string {
    const value = this.payloadValue(key, context, ['string', 'csv']);
    return typeof value === 'string' ? value : fallback;
  }

  /** The chosen variant's number payload; `fallback` when there is none or it is of another type. */
  getNumberValue(key: string, fallback: number, context: EvaluationContext = {}): number {
    const value = this.payloadValue(key, context, ['number']);
    return typeof value === 'number' ? value : fallback;
  }

  /** The chosen variant's json payload, parsed; `fallback` when there is none or it is of another type. */
  getJsonValue<T extends JsonValue = JsonValue>(key: string, fallback: T, context: EvaluationContext = {}): T {
    const value = this.payloadValue(key, context, ['json']);
    return value === undefined ? fallback : (value as T);
  }

  /** The typed payload of the chosen variant when its type is one of `types`. */
  private payloadValue(key: string, context: EvaluationContext, types: readonly string[]): JsonValue | undefined {
    const evaluation = this.evaluate(key, context);
    const payload = evaluation.variant.payload;
    if (evaluation.errorCode || !evaluation.variant.enabled || !payload || !types.includes(payload.type)) return undefined;
    return evaluation.value;
  }

  get version(): number | undefined {
    return this.currentVersion;
  }

  get environment(): string | undefined {
    return this.currentEnvironment;
  }

  get source(): FlagSource {
    return this.currentSource;
  }

  /** Where the client stands with FlagShip; `disconnected` and `reconnected` events mark each outage. */
  get status(): ConnectionStatus {
    return this.connection.status;
  }

  /** Since when the flags held may be out of date (FlagShip lost, or never reached); undefined while connected. */
  get staleSince(): Date | undefined {
    return this.connection.staleSince;
  }

  get stats(): FlagShipClientStats {
    return { ...this.counters };
  }

  /** The flags held now, as a snapshot (what a bootstrap or a store takes). */
  snapshot(): Snapshot | undefined {
    if (this.currentEnvironment === undefined || this.currentVersion === undefined) return undefined;
    return {
      environment: this.currentEnvironment,
      version: this.currentVersion,
      flags: [...this.flags.values()],
      segments: [...this.segments.values()],
    };
  }

  /** Disconnects, sends the last usage counts and writes the last-known snapshot to the store. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.connection.closed();
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.readyTimer);
    this.socket?.close();
    this.settleReady(new Error('the client was closed before it was ready'));
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveNow();
    }
    await Promise.all([this.saving, this.usage?.close(), this.events?.close()]);
  }

  private async start(): Promise<void> {
    const stored = await this.options.store?.load().catch(() => undefined);
    const expected = this.options.environment ?? this.currentEnvironment;
    if (stored && (expected === undefined || stored.environment === expected)
      && (this.currentVersion === undefined || stored.version > this.currentVersion)) {
      this.replaceAll(stored, 'store');
    }
    if (this.closed) return;
    this.readyTimer = setTimeout(() => {
      // ready() stops waiting: from here the app runs on what it holds, so say so (an attempt may hang far longer).
      this.connection.lost(`no answer within ${this.options.readyTimeoutMs} ms`);
      this.settleReady(new Error(`FlagShip did not answer within ${this.options.readyTimeoutMs} ms and there are no bootstrap flags`));
    }, this.options.readyTimeoutMs);
    this.connect();
  }

  private handshake(): HandshakeAuth {
    return {
      token: this.options.token,
      protocol: PROTOCOL_VERSION,
      since: this.currentSource === 'none' ? undefined : this.currentVersion,
      environment: this.options.environment ?? this.currentEnvironment,
    };
  }

  private connect(): void {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(this.options.url, {
      forceNew: true,
      // WebSocket only: no long-polling handshake to go through first, and
      // nothing for a load balancer to keep sticky.
      transports: ['websocket'],
      auth: (send) => send(this.handshake()),
      reconnectionDelay: this.options.reconnectDelayMs,
      reconnectionDelayMax: this.options.reconnectDelayMaxMs,
    });
    this.socket = socket;
    socket.on('flags:snapshot', (payload) => this.onSnapshot(payload));
    socket.on('flags:change', (payload) => this.onChange(payload));
    socket.on('flags:synced', (payload) => this.onSynced(payload));
    socket.on('flags:error', (payload) => this.onServerError(payload));
    socket.on('connect_error', (error) => this.onConnectError(socket, error));
    socket.on('disconnect', (reason) => {
      // Our own disconnect (a resume after a gap, or close) is no outage.
      if (reason === 'io client disconnect') return;
      this.connection.lost(reason);
      // A server-side disconnect is not retried by Socket.IO itself.
      if (reason === 'io server disconnect') this.reconnectLater();
    });
  }

  private onSnapshot(payload: unknown): void {
    if (!isSnapshot(payload)) return this.report(new Error('FlagShip sent a malformed snapshot'));
    this.replaceAll(payload, 'server');
  }

  private onChange(payload: unknown): void {
    if (!isFlagChange(payload)) return this.report(new Error('FlagShip sent a malformed change'));
    const change = payload;
    if (this.currentVersion !== undefined && change.version <= this.currentVersion) {
      this.counters.duplicatesIgnored += 1;
      return;
    }
    // Apply a change only on top of the one before it: `previous` is what the server sent last (a token
    // of some projects skips other projects' versions), so holding less than it means one was missed.
    if (this.currentVersion === undefined || change.previous > this.currentVersion) {
      this.counters.gapsDetected += 1;
      this.report(new Error(`missed a change: got version ${change.version} after ${this.currentVersion}; resuming`));
      this.resume();
      return;
    }
    // Every flag and segment of the version at once, before anyone can evaluate: never half of a change request.
    const { flags, segments } = subjectsOf(change);
    for (const segment of segments) {
      if (segment.deleted) this.segments.delete(segment.id);
      else this.segments.set(segment.id, segment);
    }
    for (const flag of flags) {
      if (flag.archived) {
        this.flags.delete(flag.key);
        this.definitions.flags.delete(flag.key);
      } else {
        this.flags.set(flag.key, flag);
        this.definitions.flags.set(flag.key, definitionOf(flag));
      }
    }
    this.currentVersion = change.version;
    this.currentEnvironment = change.environment;
    this.saveLater();
    this.emit('change', {
      environment: change.environment,
      version: change.version,
      flags,
      segments,
      source: 'change',
    });
  }

  private onSynced(payload: unknown): void {
    if (!isSynced(payload)) return;
    this.currentSource = 'server';
    this.reconnectAttempt = 0;
    this.counters.syncs += 1;
    this.connection.synced();
    this.settleReady();
  }

  private onServerError(payload: unknown): void {
    if (!isSocketError(payload)) return;
    if (FINAL_CODES.has(payload.code)) this.refuse(new FlagShipRefusedError(payload.code, payload.message));
    else this.report(new Error(payload.message));
  }

  private onConnectError(socket: Socket, error: Error & { data?: unknown }): void {
    // While the socket is still active, Socket.IO retries by itself (the server is unreachable).
    if (socket.active) {
      this.connection.lost(error.message);
      this.settleReady(new Error(`FlagShip cannot be reached: ${error.message}`), { onlyWithFlags: true });
      return;
    }
    const refusal = error.data;
    if (isSocketError(refusal) && FINAL_CODES.has(refusal.code)) {
      this.refuse(new FlagShipRefusedError(refusal.code, refusal.message));
      return;
    }
    this.connection.lost(`refused for now: ${error.message}`);
    this.settleReady(new Error(`FlagShip refused for now: ${error.message}`), { onlyWithFlags: true });
    this.reconnectLater();
  }

  private refuse(error: FlagShipRefusedError): void {
    this.refusal = error;
    clearTimeout(this.reconnectTimer);
    this.socket?.close();
    this.connection.refused(error.message);
    this.report(error);
    this.settleReady(error);
  }

  /** Reconnects at once with `since` = the version held, to be sent what is missing. */
  private resume(): void {
    if (this.closed || this.refusal || !this.socket) return;
    this.socket.disconnect();
    this.socket.connect();
  }

  private reconnectLater(): void {
    if (this.closed || this.refusal || this.reconnectTimer) return;
    const delay = reconnectDelay(this.reconnectAttempt, this.options.reconnectDelayMs, this.options.reconnectDelayMaxMs);
    this.reconnectAttempt += 1;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (!this.closed && !this.refusal) this.socket?.connect();
    }, delay);
  }

  private replaceAll(snapshot: Snapshot, source: FlagSource): void {
    const before = this.flags;
    const after = new Map(snapshot.flags.map((flag) => [flag.key, flag]));
    const differing = [...after.values()].filter((flag) => JSON.stringify(before.get(flag.key)) !== JSON.stringify(flag));
    for (const [key, flag] of before) if (!after.has(key)) differing.push({ ...flag, archived: true });
    const segmentsBefore = this.segments;
    const segmentsAfter = new Map(snapshot.segments.map((segment) => [segment.id, segment]));
    const differingSegments = [...segmentsAfter.values()].filter(
      (segment) => JSON.stringify(segmentsBefore.get(segment.id)) !== JSON.stringify(segment),
    );
    for (const [id, segment] of segmentsBefore) if (!segmentsAfter.has(id)) differingSegments.push({ ...segment, deleted: true });
    const versionMoved = snapshot.version !== this.currentVersion || snapshot.environment !== this.currentEnvironment;
    this.flags = after;
    this.segments = segmentsAfter;
    this.definitions = {
      flags: new Map([...after].map(([key, flag]) => [key, definitionOf(flag)])),
      segments: segmentsAfter,
    };
    this.currentEnvironment = snapshot.environment;
    this.currentVersion = snapshot.version;
    this.currentSource = source;
    if (source === 'server') this.saveLater();
    if (versionMoved || differing.length > 0 || differingSegments.length > 0) {
      this.emit('change', {
        environment: snapshot.environment,
        version: snapshot.version,
        flags: differing,
        segments: differingSegments,
        source: 'snapshot',
      });
    }
  }

  /**
   * Settles ready() once. Without an error it resolves; with one it resolves
   * anyway when bootstrap or stored flags exist (the app can start on them),
   * unless `onlyWithFlags` says to keep waiting when there are none.
   */
  private settleReady(error?: Error, { onlyWithFlags = false } = {}): void {
    if (this.readySettled) return;
    if (error && this.currentSource === 'none' && onlyWithFlags) return;
    this.readySettled = true;
    clearTimeout(this.readyTimer);
    if (!error || this.currentSource !== 'none') this.resolveReady();
    else this.rejectReady(error);
  }

  private saveLater(): void {
    if (!this.options.store || this.saveTimer) return;
    // At most one write a second however fast changes come.
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.saveNow();
    }, 1000);
  }

  private saveNow(): void {
    const snapshot = this.snapshot();
    const store = this.options.store;
    if (!snapshot || !store) return;
    this.saving = this.saving.then(() => store.save(snapshot)).catch((error: unknown) => {
      this.report(new Error(`could not store the last-known flags: ${error instanceof Error ? error.message : String(error)}`));
    });
  }

  private report(error: Error): void {
    if (this.listenerCount('error') > 0) this.emit('error', error);
  }
}

import type { Server } from 'node:net';
import type { Request, Response } from 'express';
import type { SnapshotChanged } from '../../../shared/schemas/snapshots.js';
import type { SnapshotReader } from '../snapshots/snapshot-reader.js';

/** What every server-sent-event stream the hub holds. */
export interface HubStream {
  res: Response;
  /** The environment whose changes the stream hears; undefined: every environment's (the admin stream). */
  environment: string | undefined;
  /** The server the request came through: its streams end when it stops listening. */
  server: Server | undefined;
  /** Ends the stream when its token is revoked; undone when the stream leaves. */
  stopWatching: () => void;
}

/** A stream of one environment's snapshots (OFREP, Unleash). */
export interface SseStream extends HubStream {
  environment: string;
  /** The newest environment version this client has been told about; only newer ones are sent. */
  lastVersion: number;
}

export interface SseStreamsOptions {
  /** Seconds between keep-alive comments, so proxies (and SDK read timeouts) do not close an idle stream. */
  heartbeatSeconds?: number;
  /** A periodic catch-up over every open stream (the admin stream reads the event table, in case a hint was lost). */
  sweep?: { seconds: number; run: (stream: HubStream) => void };
}

/** The SSE `id` is the environment version, so a reconnecting EventSource tells us what it saw last. */
export function parseLastEventId(header: string | string[] | undefined): number {
  // A malformed Last-Event-ID (never one of ours) counts as "nothing seen": a 400 would make
  // EventSource give up for good, while the worst an unknown id costs is a full resend.
  return typeof header === 'string' && /^\d{1,15}$/.test(header) ? Number(header) : -1;
}

/** Sets the headers of an event stream that passes proxies unbuffered and ends with its socket. */
export function startEventStream(res: Response): void {
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-cache, no-transform');
  res.setHeader('X-Accel-Buffering', 'no');
  // The socket goes with the stream, so ending streams at shutdown lets server.close() finish.
  res.setHeader('Connection', 'close');
}

/**
 * The one hub of server-sent-event streams, shared by OFREP's event stream,
 * Unleash's streaming API and the admin change stream: one snapshot onChange
 * subscription and one timer serve them all. Each change is handed to `relay` with the streams of its
 * environment; once a second, streams of a server that stopped listening are
 * ended (an SSE response never finishes by itself, and server.close() waits
 * for every open response), and now and then a keep-alive comment goes out.
 */
export class SseStreams<S extends HubStream> {
  private readonly streams = new Set<S>();
  private unsubscribe: (() => void) | undefined;
  private ticker: NodeJS.Timeout | undefined;
  private ticks = 0;
  private readonly heartbeatSeconds: number;
  private readonly sweep: SseStreamsOptions['sweep'];

  constructor(
    private readonly snapshots: SnapshotReader,
    private readonly relay: (change: SnapshotChanged, streams: S[]) => void,
    options: SseStreamsOptions = {},
  ) {
    this.heartbeatSeconds = options.heartbeatSeconds ?? 15;
    this.sweep = options.sweep;
  }

  /** The server a request came through, for the stream's `server`. */
  static serverOf(req: Request): Server | undefined {
    return (req.socket as { server?: Server }).server;
  }

  /** Registers a stream (before its first read, so no change falls between the two); it leaves when its response closes. */
  add(stream: S): void {
    this.streams.add(stream);
    stream.res.on('close', () => this.remove(stream));
    this.unsubscribe ??= this.snapshots.onChange((change) => {
      const matching = [...this.streams].filter((open) => open.environment === undefined || open.environment === change.environment);
      if (matching.length > 0) this.relay(change, matching);
    });
    this.ticker ??= setInterval(() => this.tick(), 1000).unref();
  }

  has(stream: S): boolean {
    return this.streams.has(stream);
  }

  remove(stream: S): void {
    if (!this.streams.delete(stream)) return;
    stream.stopWatching();
    if (this.streams.size > 0) return;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    clearInterval(this.ticker);
    this.ticker = undefined;
  }

  /** How many streams are open (for tests and metrics). */
  get size(): number {
    return this.streams.size;
  }

  /** The open streams' environments (for metrics). */
  *openStreams(): Iterable<{ environment: string }> {
    for (const stream of this.streams) if (stream.environment !== undefined) yield { environment: stream.environment };
  }

  /** The open streams (a snapshot of the set: streams may leave while the caller iterates). */
  all(): S[] {
    return [...this.streams];
  }

  private tick(): void {
    this.ticks += 1;
    const heartbeat = this.ticks % this.heartbeatSeconds === 0;
    for (const stream of this.streams) {
      if (stream.server && !stream.server.listening) stream.res.end();
      else if (heartbeat) stream.res.write(': keep-alive\n\n');
    }
    if (this.sweep && this.ticks % this.sweep.seconds === 0) for (const stream of this.all()) this.sweep.run(stream);
  }
}

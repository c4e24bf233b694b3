import type { Server } from 'node:net';
import type { Request, Response } from 'express';
import type { Logger } from '../../../shared/logger.js';
import type { OfrepRefetchEvent } from '../../../shared/schemas/ofrep.js';
import type { SnapshotChanged } from '../../../shared/schemas/snapshots.js';
import type { RevocationWatch } from '../../../shared/tokens/revocation-watch.js';
import type { SnapshotReader } from '../snapshot-reader.js';

interface OpenStream {
  res: Response;
  environment: string;
  /** Ends the stream when its token is revoked; undone when it closes. */
  stopWatching: () => void;
  /** The newest version this client has been told about; only newer ones are sent. */
  lastVersion: number;
  server: Server | undefined;
}

export interface EventStreamHubOptions {
  /** Seconds between keep-alive comments, so proxies do not close an idle stream. */
  heartbeatSeconds?: number;
}

/** The SSE `id` is the environment version, so a reconnecting EventSource tells us what it saw last. */
function parseLastEventId(header: string | undefined): number {
  // A malformed Last-Event-ID (never one of ours) counts as "nothing seen": a 400 would make
  // EventSource give up for good, while the worst an unknown id costs is one extra re-fetch.
  return header !== undefined && /^\d{1,15}$/.test(header) ? Number(header) : -1;
}

/**
 * Serves OFREP's event stream (ADR-0008): every open stream hears a
 * `refetchEvaluation` with the new ETag when its environment's snapshot changes.
 * One onChange subscription and one timer serve all streams of an app.
 */
export class EventStreamHub {
  private readonly streams = new Set<OpenStream>();
  private unsubscribe: (() => void) | undefined;
  private ticker: NodeJS.Timeout | undefined;
  private ticks = 0;
  private readonly heartbeatSeconds: number;

  constructor(
    private readonly snapshots: SnapshotReader,
    private readonly revocations: RevocationWatch,
    private readonly logger: Logger,
    options: EventStreamHubOptions = {},
  ) {
    this.heartbeatSeconds = options.heartbeatSeconds ?? 15;
  }

  /**
   * Opens a stream for `environment` on this response. It starts with the current
   * version (unless Last-Event-ID already names it), so a change that landed between
   * the client's bulk fetch and its connect is not lost.
   */
  async open(req: Request, res: Response, { tokenId, environment }: { tokenId: string; environment: string }): Promise<void> {
    const stream: OpenStream = {
      res,
      environment,
      // A revoked token's stream ends at once; EventSource's reconnect is then refused (401).
      stopWatching: this.revocations.watch(tokenId, () => res.end()),
      lastVersion: parseLastEventId(req.headers['last-event-id'] as string | undefined),
      server: (req.socket as { server?: Server }).server,
    };
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('X-Accel-Buffering', 'no');
    // The socket goes with the stream, so ending streams at shutdown lets server.close() finish.
    res.setHeader('Connection', 'close');
    // Subscribe before reading the current version, so no change falls between the two.
    this.add(stream);
    res.on('close', () => this.remove(stream));
    let version: number;
    try {
      version = (await this.snapshots.get(environment)).version;
    } catch (error) {
      this.remove(stream);
      if (!res.headersSent) throw error;
      this.logger.error({ err: error, environment }, 'event stream: could not read the snapshot');
      res.end();
      return;
    }
    // The client may have gone while the snapshot was read.
    if (!this.streams.has(stream)) return;
    res.flushHeaders();
    this.send(stream, version);
  }

  /** How many streams are open (for tests and metrics). */
  get size(): number {
    return this.streams.size;
  }

  /** The open streams' environments (for metrics). */
  *openStreams(): Iterable<{ environment: string }> {
    for (const stream of this.streams) yield { environment: stream.environment };
  }

  private add(stream: OpenStream): void {
    this.streams.add(stream);
    this.unsubscribe ??= this.snapshots.onChange((change) => this.relay(change));
    this.ticker ??= setInterval(() => this.tick(), 1000).unref();
  }

  private remove(stream: OpenStream): void {
    if (!this.streams.delete(stream)) return;
    stream.stopWatching();
    if (this.streams.size > 0) return;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    clearInterval(this.ticker);
    this.ticker = undefined;
  }

  private relay(change: SnapshotChanged): void {
    for (const stream of this.streams) {
      if (stream.environment === change.environment) this.send(stream, change.version);
    }
  }

  private send(stream: OpenStream, version: number): void {
    if (version <= stream.lastVersion || stream.res.writableEnded) return;
    stream.lastVersion = version;
    const event: OfrepRefetchEvent = { type: 'refetchEvaluation', etag: `"${version}"` };
    stream.res.write(`id: ${version}\nevent: message\ndata: ${JSON.stringify(event)}\n\n`);
  }

  /**
   * Once a second: end the streams of a server that stopped listening (an SSE
   * response never finishes by itself, and server.close() waits for every open
   * response), and now and then send a keep-alive comment.
   */
  private tick(): void {
    this.ticks += 1;
    const heartbeat = this.ticks % this.heartbeatSeconds === 0;
    for (const stream of this.streams) {
      if (stream.server && !stream.server.listening) stream.res.end();
      else if (heartbeat) stream.res.write(': keep-alive\n\n');
    }
  }
}

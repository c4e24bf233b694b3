import type { Server } from 'node:net';
import type { Request, Response } from 'express';
import { listEnvironments } from '../../../shared/db/environments.js';
import { listEventsSince } from '../../../shared/db/events.js';
import type { Pool } from '../../../shared/db/pool.js';
import { listLiveTokenIds } from '../../../shared/db/tokens.js';
import type { Logger } from '../../../shared/logger.js';
import { formatStreamCursor, type StreamCursor, type StreamReady } from '../../../shared/schemas/admin-stream.js';
import type { SnapshotChanged } from '../../../shared/schemas/snapshots.js';
import type { SnapshotReader } from '../snapshot-reader.js';

/** Events read per query while catching an environment up. */
const PAGE_SIZE = 500;

interface EnvironmentPump {
  running: boolean;
  /** A change arrived while a read was running: read again when it ends. */
  again: boolean;
}

interface AdminStream {
  res: Response;
  tokenId: string;
  /** The last version sent per environment: events are sent strictly above it. */
  cursor: StreamCursor;
  pumps: Map<string, EnvironmentPump>;
  /** Set once the cursor is complete; hints before it are covered by the first read. */
  started: boolean;
  server: Server | undefined;
}

export interface AdminChangeHubOptions {
  /** Seconds between keep-alive comments. Default 15. */
  heartbeatSeconds?: number;
  /** Seconds between catch-up reads of every environment, in case a change hint was lost. Default 5. */
  sweepSeconds?: number;
}

/**
 * Serves the admin change stream (SSE): every change event of every
 * environment, in version order per environment, resumable from a cursor of
 * versions. It learns of changes from the same source as the OFREP streams
 * (the snapshot reader's onChange hints) and reads the events themselves from
 * the event table, which is the truth: a hint only says "read again".
 */
export class AdminChangeHub {
  private readonly streams = new Set<AdminStream>();
  private unsubscribe: (() => void) | undefined;
  private ticker: NodeJS.Timeout | undefined;
  private ticks = 0;
  private readonly heartbeatSeconds: number;
  private readonly sweepSeconds: number;

  constructor(
    private readonly pool: Pool,
    private readonly snapshots: SnapshotReader,
    private readonly logger: Logger,
    options: AdminChangeHubOptions = {},
  ) {
    this.heartbeatSeconds = options.heartbeatSeconds ?? 15;
    this.sweepSeconds = options.sweepSeconds ?? 5;
  }

  /**
   * Opens a stream on this response. `after` (a resumed stream) replays what
   * followed it, an environment it omits from version 0; without it the stream
   * starts at every environment's current version.
   */
  async open(req: Request, res: Response, tokenId: string, after: StreamCursor | undefined): Promise<void> {
    const stream: AdminStream = {
      res,
      tokenId,
      // Keyed by environment names, which are the user's (`constructor` read Object's otherwise): no prototype.
      cursor: Object.assign(Object.create(null), after),
      pumps: new Map(),
      started: false,
      server: (req.socket as { server?: Server }).server,
    };
    // Subscribe before reading the versions, so no change falls between the two.
    this.add(stream);
    res.on('close', () => this.remove(stream));
    let environments;
    try {
      environments = await listEnvironments(this.pool);
    } catch (error) {
      this.remove(stream);
      throw error;
    }
    if (!this.streams.has(stream)) return;
    for (const environment of environments) {
      stream.cursor[environment.key] ??= after ? 0 : environment.version;
    }
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store, no-transform');
    res.setHeader('X-Accel-Buffering', 'no');
    res.setHeader('Connection', 'close');
    res.flushHeaders();
    const ready: StreamReady = { cursor: { ...stream.cursor }, resumed: after !== undefined };
    res.write(`id: ${formatStreamCursor(stream.cursor)}\nevent: ready\ndata: ${JSON.stringify(ready)}\n\n`);
    stream.started = true;
    // Also covers a change that committed while the versions were being read.
    for (const environment of Object.keys(stream.cursor)) this.pump(stream, environment);
  }

  get size(): number {
    return this.streams.size;
  }

  private add(stream: AdminStream): void {
    this.streams.add(stream);
    this.unsubscribe ??= this.snapshots.onChange((change) => this.relay(change));
    this.ticker ??= setInterval(() => void this.tick(), 1000).unref();
  }

  private remove(stream: AdminStream): void {
    if (!this.streams.delete(stream) || this.streams.size > 0) return;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    clearInterval(this.ticker);
    this.ticker = undefined;
  }

  private relay(change: SnapshotChanged): void {
    for (const stream of this.streams) {
      if (!stream.started) continue;
      // An environment added after the stream opened: all of its changes are new to it.
      const seen = stream.cursor[change.environment] ?? 0;
      if (change.version > seen) this.pump(stream, change.environment);
    }
  }

  /** Sends the events of `environment` after the stream's cursor; one read at a time per stream and environment. */
  private pump(stream: AdminStream, environment: string): void {
    let pump = stream.pumps.get(environment);
    if (!pump) {
      pump = { running: false, again: false };
      stream.pumps.set(environment, pump);
    }
    if (pump.running) {
      pump.again = true;
      return;
    }
    pump.running = true;
    void this.drain(stream, environment, pump).finally(() => {
      pump.running = false;
    });
  }

  private async drain(stream: AdminStream, environment: string, pump: EnvironmentPump): Promise<void> {
    do {
      pump.again = false;
      let events;
      try {
        events = await listEventsSince(this.pool, environment, stream.cursor[environment] ?? 0, PAGE_SIZE);
      } catch (error) {
        // The next hint or sweep reads again from the same cursor: nothing is skipped.
        this.logger.warn({ err: error, environment }, 'admin stream: could not read change events');
        return;
      }
      for (const event of events) {
        if (!this.streams.has(stream) || stream.res.writableEnded) return;
        stream.cursor[environment] = event.version;
        stream.res.write(`id: ${formatStreamCursor(stream.cursor)}\nevent: change\ndata: ${JSON.stringify(event)}\n\n`);
      }
      if (events.length === PAGE_SIZE) pump.again = true;
    } while (pump.again && this.streams.has(stream));
  }

  /**
   * Once a second: end streams whose server stopped listening (an SSE response
   * never finishes by itself) or whose token was revoked; now and then a
   * keep-alive comment, and a catch-up read of every environment in case a
   * hint was lost.
   */
  private async tick(): Promise<void> {
    this.ticks += 1;
    const heartbeat = this.ticks % this.heartbeatSeconds === 0;
    const sweep = this.ticks % this.sweepSeconds === 0;
    for (const stream of this.streams) {
      if (stream.server && !stream.server.listening) stream.res.end();
      else if (heartbeat) stream.res.write(': keep-alive\n\n');
    }
    await this.endRevoked();
    if (sweep) for (const stream of this.streams) for (const environment of Object.keys(stream.cursor)) this.pump(stream, environment);
  }

  private async endRevoked(): Promise<void> {
    if (this.streams.size === 0) return;
    let live: Set<string>;
    try {
      live = await listLiveTokenIds(this.pool, [...new Set([...this.streams].map((stream) => stream.tokenId))]);
    } catch (error) {
      this.logger.warn({ err: error }, 'admin stream: could not check its tokens');
      return;
    }
    for (const stream of this.streams) {
      if (live.has(stream.tokenId) || stream.res.writableEnded) continue;
      stream.res.write(`event: error\ndata: ${JSON.stringify({ code: 'unauthorized', message: 'the token was revoked' })}\n\n`);
      stream.res.end();
    }
  }
}

import { EVERY_PROJECT, eventInScope, seesProject, type ProjectScope } from '../../../../shared/domain/projects/project-scope.js';
import type { Request, Response } from 'express';
import { listEnvironments } from '../../../../shared/domain/environments/environment-repository.js';
import { listEventsSince } from '../../../../shared/domain/events/event-repository.js';
import type { Pool } from '../../../../shared/db/pool.js';
import type { Logger } from '../../../../shared/logger.js';
import type { RevocationWatch } from '../../../../shared/domain/tokens/revocation-watch.js';
import { formatStreamCursor, type StreamCursor, type StreamReady } from '../../../../shared/schemas/admin-stream.js';
import type { SnapshotChanged } from '../../../../shared/schemas/snapshots.js';
import { SseStreams, startEventStream, type HubStream } from '../../http/sse-streams.js';
import type { SnapshotReader } from '../../snapshots/snapshot-reader.js';
import type { FlagMetadataChange } from '../../../../shared/schemas/flags.js';
import { FlagMetadataRelay } from './flag-metadata-relay.js';

/** Events read per query while catching an environment up. */
const PAGE_SIZE = 500;

interface EnvironmentPump {
  running: boolean;
  /** A change arrived while a read was running: read again when it ends. */
  again: boolean;
}

interface AdminStream extends HubStream {
  environment: undefined;
  tokenId: string;
  /** The projects whose events it sends (a person's; `['*']`: every project). */
  projects: ProjectScope;
  /** The last version sent per environment: events are sent strictly above it. */
  cursor: StreamCursor;
  pumps: Map<string, EnvironmentPump>;
  /** Set once the cursor is complete; hints before it are covered by the first read. */
  started: boolean;
}

export interface AdminChangeHubOptions {
  /** Seconds between keep-alive comments. Default 15. */
  heartbeatSeconds?: number;
  /** Seconds between catch-up reads of every environment, in case a change hint was lost. Default 5. */
  sweepSeconds?: number;
  /** Milliseconds between reads of flag metadata changes (description, type, tags, owner) while a stream is open. Default 250. */
  metadataPollMs?: number;
}

/**
 * Serves the admin change stream (SSE): every change event of every
 * environment, in version order per environment, resumable from a cursor of
 * versions. Its streams live in the one SSE hub (http/sse-streams.ts) with
 * OFREP's and Unleash's: the snapshot reader's onChange hints, shutdown and
 * keep-alives come from there, and a revoked token's stream ends through the
 * process's revocation watch. The events themselves are read from the event
 * table, which is the truth: a hint only says "read again".
 */
export class AdminChangeHub {
  private readonly streams: SseStreams<AdminStream>;
  private readonly metadata: FlagMetadataRelay;

  constructor(
    private readonly pool: Pool,
    snapshots: SnapshotReader,
    private readonly revocations: RevocationWatch,
    private readonly logger: Logger,
    options: AdminChangeHubOptions = {},
  ) {
    this.streams = new SseStreams<AdminStream>(snapshots, (change, streams) => this.relay(change, streams), {
      heartbeatSeconds: options.heartbeatSeconds,
      sweep: {
        seconds: options.sweepSeconds ?? 5,
        run: (stream) => {
          const admin = stream as AdminStream;
          if (admin.started) for (const environment of Object.keys(admin.cursor)) this.pump(admin, environment);
        },
      },
    });
    this.metadata = new FlagMetadataRelay(pool, logger, (change) => this.relayMetadata(change), () => this.streams.size > 0, options.metadataPollMs ?? 250);
  }

  /**
   * Opens a stream on this response. `after` (a resumed stream) replays what
   * followed it, an environment it omits from version 0; without it the stream
   * starts at every environment's current version.
   */
  async open(req: Request, res: Response, tokenId: string, after: StreamCursor | undefined, projects: ProjectScope = EVERY_PROJECT): Promise<void> {
    const stream: AdminStream = {
      res,
      environment: undefined,
      tokenId,
      projects,
      // Keyed by environment names, which are the user's (`constructor` read Object's otherwise): no prototype.
      cursor: Object.assign(Object.create(null), after),
      pumps: new Map(),
      started: false,
      server: SseStreams.serverOf(req),
      stopWatching: this.revocations.watch(tokenId, () => {
        if (res.writableEnded) return;
        res.write(`event: error\ndata: ${JSON.stringify({ code: 'unauthorized', message: 'the token was revoked' })}\n\n`);
        res.end();
      }),
    };
    // Subscribe before reading the versions, so no change falls between the two.
    this.streams.add(stream);
    let environments;
    try {
      // The metadata relay's starting point too: a change after it reaches this stream.
      [environments] = await Promise.all([listEnvironments(this.pool), this.metadata.start()]);
    } catch (error) {
      this.streams.remove(stream);
      throw error;
    }
    if (!this.streams.has(stream)) return;
    for (const environment of environments) {
      stream.cursor[environment.key] ??= after ? 0 : environment.version;
    }
    startEventStream(res);
    res.setHeader('Cache-Control', 'no-store, no-transform');
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

  private relay(change: SnapshotChanged, streams: AdminStream[]): void {
    for (const stream of streams) {
      if (!stream.started) continue;
      // An environment added after the stream opened: all of its changes are new to it.
      const seen = stream.cursor[change.environment] ?? 0;
      if (change.version > seen) this.pump(stream, change.environment);
    }
  }

  /** A change of a flag's own fields: `event: flag`, without an id (it has no environment version, so it moves no cursor). */
  private relayMetadata(change: FlagMetadataChange): void {
    for (const stream of this.streams.all()) {
      if (!stream.started || stream.res.writableEnded || !seesProject(stream.projects, change.project)) continue;
      stream.res.write(`event: flag\ndata: ${JSON.stringify(change)}\n\n`);
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
        // Another project's event moves the cursor and is not sent.
        if (eventInScope(event, stream.projects)) stream.res.write(`id: ${formatStreamCursor(stream.cursor)}\nevent: change\ndata: ${JSON.stringify(event)}\n\n`);
      }
      // A page is PAGE_SIZE versions (listEventsSince); a change group makes it more events than that.
      if (events.length >= PAGE_SIZE) pump.again = true;
    } while (pump.again && this.streams.has(stream));
  }
}

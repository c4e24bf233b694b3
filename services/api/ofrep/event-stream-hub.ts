import type { Request, Response } from 'express';
import type { Logger } from '../../../shared/logger.js';
import type { OfrepRefetchEvent } from '../../../shared/schemas/ofrep.js';
import type { RevocationWatch } from '../../../shared/domain/tokens/revocation-watch.js';
import type { SnapshotReader } from '../snapshots/snapshot-reader.js';
import { SseStreams, parseLastEventId, startEventStream, type SseStream, type SseStreamsOptions } from '../http/sse-streams.js';

export type EventStreamHubOptions = SseStreamsOptions;

/**
 * Serves OFREP's event stream (ADR-0008): every open stream hears a
 * `refetchEvaluation` with the new ETag when its environment's snapshot changes.
 */
export class EventStreamHub {
  private readonly streams: SseStreams<SseStream>;

  constructor(
    private readonly snapshots: SnapshotReader,
    private readonly revocations: RevocationWatch,
    private readonly logger: Logger,
    options: EventStreamHubOptions = {},
  ) {
    this.streams = new SseStreams(snapshots, (change, streams) => {
      for (const stream of streams) this.send(stream, change.version);
    }, options);
  }

  /**
   * Opens a stream for `environment` on this response. It starts with the current
   * version (unless Last-Event-ID already names it), so a change that landed between
   * the client's bulk fetch and its connect is not lost.
   */
  async open(req: Request, res: Response, { tokenId, environment }: { tokenId: string; environment: string }): Promise<void> {
    const stream: SseStream = {
      res,
      environment,
      // A revoked token's stream ends at once; EventSource's reconnect is then refused (401).
      stopWatching: this.revocations.watch(tokenId, () => res.end()),
      lastVersion: parseLastEventId(req.headers['last-event-id']),
      server: SseStreams.serverOf(req),
    };
    startEventStream(res);
    this.streams.add(stream);
    let version: number;
    try {
      version = (await this.snapshots.get(environment)).version;
    } catch (error) {
      this.streams.remove(stream);
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
  openStreams(): Iterable<{ environment: string }> {
    return this.streams.openStreams();
  }

  private send(stream: SseStream, version: number): void {
    if (version <= stream.lastVersion || stream.res.writableEnded) return;
    stream.lastVersion = version;
    const event: OfrepRefetchEvent = { type: 'refetchEvaluation', etag: `"${version}"` };
    stream.res.write(`id: ${version}\nevent: message\ndata: ${JSON.stringify(event)}\n\n`);
  }
}

import type { Request, Response } from 'express';
import type { Logger } from '../../../shared/logger.js';
import type { OfrepRefetchEvent } from '../../../shared/schemas/ofrep.js';
import type { RevocationWatch } from '../../../shared/domain/tokens/revocation-watch.js';
import type { SnapshotReader } from '../snapshots/snapshot-reader.js';
import { SseStreams, parseLastEventId, startEventStream, type SseStream, type SseStreamsOptions } from '../http/sse-streams.js';
import { scopeSnapshot, seesEveryProject } from '../../../shared/domain/projects/project-scope.js';
import { memoPerSnapshot } from '../../../shared/domain/snapshots/snapshot-memo.js';
import type { Snapshot } from '../../../shared/schemas/snapshots.js';

interface OfrepStream extends SseStream {
  /** The projects the token sees (['*']: every one). */
  projects: readonly string[];
  /** For a token of some projects: what its projects held when it was last told (contentOf). */
  lastContent?: string;
}

/**
 * What a scoped snapshot holds, in a few bytes: the newest version among its
 * flags (a change or a move in raises it), how many flags and segments (a
 * move out, an archive, a deletion lowers them) and the newest segment change.
 * Equal for two versions: nothing this token sees changed.
 */
const contentOf = memoPerSnapshot((snapshot: Snapshot) => {
  let newestFlag = -1;
  for (const flag of snapshot.flags) if (flag.version > newestFlag) newestFlag = flag.version;
  let newestSegment = '';
  for (const segment of snapshot.segments) if (segment.updatedAt > newestSegment) newestSegment = segment.updatedAt;
  return `${newestFlag}:${snapshot.flags.length}:${snapshot.segments.length}:${newestSegment}`;
});

export type EventStreamHubOptions = SseStreamsOptions;

/**
 * Serves OFREP's event stream (ADR-0008): every open stream hears a
 * `refetchEvaluation` with the new ETag when its environment's snapshot changes.
 */
export class EventStreamHub {
  private readonly streams: SseStreams<OfrepStream>;

  constructor(
    private readonly snapshots: SnapshotReader,
    private readonly revocations: RevocationWatch,
    private readonly logger: Logger,
    options: EventStreamHubOptions = {},
  ) {
    this.streams = new SseStreams(snapshots, (change, streams) => {
      for (const stream of streams) {
        if (seesEveryProject(stream.projects)) this.send(stream, change.version);
        else void this.sendIfScopeChanged(stream, change.version);
      }
    }, options);
  }

  /**
   * Opens a stream for `environment` on this response. It starts with the current
   * version (unless Last-Event-ID already names it), so a change that landed between
   * the client's bulk fetch and its connect is not lost.
   */
  async open(
    req: Request,
    res: Response,
    { tokenId, environment, projects }: { tokenId: string; environment: string; projects: readonly string[] },
  ): Promise<void> {
    const stream: OfrepStream = {
      projects,
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
      const snapshot = scopeSnapshot(await this.snapshots.get(environment), projects);
      version = snapshot.version;
      if (!seesEveryProject(projects)) stream.lastContent = contentOf(snapshot);
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

  /**
   * A token of some projects is told only of versions that change what its
   * projects hold: a change of another project costs its stream nothing.
   */
  private async sendIfScopeChanged(stream: OfrepStream, version: number): Promise<void> {
    let content: string;
    try {
      content = contentOf(scopeSnapshot(await this.snapshots.get(stream.environment), stream.projects));
    } catch (error) {
      // The next change looks again; an unread snapshot is never a reason to tell nothing changed.
      this.logger.warn({ err: error, environment: stream.environment }, 'event stream: could not read the snapshot');
      return;
    }
    if (content === stream.lastContent) {
      stream.lastVersion = Math.max(stream.lastVersion, version);
      return;
    }
    stream.lastContent = content;
    this.send(stream, version);
  }

  private send(stream: SseStream, version: number): void {
    if (version <= stream.lastVersion || stream.res.writableEnded) return;
    stream.lastVersion = version;
    const event: OfrepRefetchEvent = { type: 'refetchEvaluation', etag: `"${version}"` };
    stream.res.write(`id: ${version}\nevent: message\ndata: ${JSON.stringify(event)}\n\n`);
  }
}

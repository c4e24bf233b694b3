import type { Request, Response } from 'express';
import { changedSubjectsBetween } from '../../../shared/domain/events/changed-subjects.js';
import type { Queryable } from '../../../shared/db/pool.js';
import { memoPerSnapshot } from '../../../shared/domain/snapshots/snapshot-memo.js';
import type { Logger } from '../../../shared/logger.js';
import type { RevocationWatch } from '../../../shared/domain/tokens/revocation-watch.js';
import type { Snapshot, SnapshotChanged } from '../../../shared/schemas/snapshots.js';
import type { UnleashDeltaEvent } from '../../../shared/schemas/unleash.js';
import { SseStreams, parseLastEventId, startEventStream, type SseStream, type SseStreamsOptions } from '../http/sse-streams.js';
import type { SnapshotReader } from '../snapshots/snapshot-reader.js';
import { unleashStateOf } from './client-features.js';
import { scopeSnapshot, seesEveryProject } from '../../../shared/domain/projects/project-scope.js';

interface UnleashStream extends SseStream {
  /** The snapshot whose flags and segments this client holds. */
  held: Snapshot | undefined;
  /** Sends happen one after the other, in version order. */
  queue: Promise<void>;
  /** The projects the token sees (['*']: every one). */
  projects: readonly string[];
}

export interface UnleashStreamingOptions extends SseStreamsOptions {
  /** How many versions behind a reconnecting client may be and still get only what changed; further, it gets everything. */
  resumeWindow?: number;
}

// The diff between two snapshots is the same for every stream holding the first: compute it once per pair.
const diffsFrom = memoPerSnapshot((from) => memoPerSnapshot((to) => diff(from, to)));

/** What a client holding `from` must apply to hold `to`, as unleash-client 6's delta events. */
function changesBetween(from: Snapshot, to: Snapshot): UnleashDeltaEvent[] {
  return diffsFrom(from)(to);
}

function diff(from: Snapshot, to: Snapshot): UnleashDeltaEvent[] {
  const before = new Map(from.flags.map((state) => [state.key, state]));
  const after = unleashStateOf(to);
  const beforeSegments = new Map(from.segments.map((segment) => [segment.id, segment]));
  const eventId = to.version;
  const events: UnleashDeltaEvent[] = [];
  // Segments first, so a strategy never refers to a segment the client does not hold yet.
  to.segments.forEach((segment, index) => {
    const old = beforeSegments.get(segment.id);
    if (!old || old.updatedAt !== segment.updatedAt || JSON.stringify(old.constraints) !== JSON.stringify(segment.constraints)) {
      events.push({ type: 'segment-updated', eventId, segment: after.segments[index]! });
    }
  });
  to.flags.forEach((state, index) => {
    if (before.get(state.key)?.version !== state.version) events.push({ type: 'feature-updated', eventId, feature: after.features[index]! });
  });
  const live = new Set(to.flags.map((state) => state.key));
  for (const key of before.keys()) {
    if (!live.has(key)) events.push({ type: 'feature-removed', eventId, featureName: key, project: before.get(key)!.project });
  }
  const liveSegments = new Set(to.segments.map((segment) => segment.id));
  for (const id of beforeSegments.keys()) {
    if (!liveSegments.has(id)) events.push({ type: 'segment-removed', eventId, segmentId: id });
  }
  return events;
}

function hydration(snapshot: Snapshot): UnleashDeltaEvent {
  const { features, segments } = unleashStateOf(snapshot);
  return { type: 'hydration', eventId: snapshot.version, features, segments };
}

/**
 * Serves `GET /api/client/streaming`, the SSE endpoint unleash-client 6 uses in
 * streaming mode, from the same change feed as every other push (the snapshot
 * reader's onChange). A client first gets `unleash-connected` with the whole
 * environment (a hydration), then one `unleash-updated` per new version with
 * what changed; the SSE id is the environment version. A client reconnecting
 * with Last-Event-ID gets only what changed since (from the change events),
 * or a hydration when that is too far back or not in this database's log.
 */
export class UnleashStreamingHub {
  private readonly streams: SseStreams<UnleashStream>;
  private readonly resumeWindow: number;

  constructor(
    private readonly snapshots: SnapshotReader,
    private readonly db: Queryable,
    private readonly revocations: RevocationWatch,
    private readonly logger: Logger,
    options: UnleashStreamingOptions = {},
  ) {
    this.resumeWindow = options.resumeWindow ?? 1000;
    this.streams = new SseStreams(snapshots, (change, streams) => this.relay(change, streams), options);
  }

  /** The snapshot a stream's token sees. */
  private async snapshotOf(stream: Pick<UnleashStream, 'environment' | 'projects'>): Promise<Snapshot> {
    return scopeSnapshot(await this.snapshots.get(stream.environment), stream.projects);
  }

  async open(
    req: Request,
    res: Response,
    { tokenId, environment, projects }: { tokenId: string; environment: string; projects: readonly string[] },
  ): Promise<void> {
    const stream: UnleashStream = {
      res,
      environment,
      // A revoked token's stream ends at once; the SDK's reconnect is then refused (401).
      stopWatching: this.revocations.watch(tokenId, () => res.end()),
      lastVersion: -1,
      held: undefined,
      queue: Promise.resolve(),
      projects,
      server: SseStreams.serverOf(req),
    };
    const resumeFrom = parseLastEventId(req.headers['last-event-id']);
    startEventStream(res);
    // Registered before the first read: a change landing meanwhile queues behind the first event.
    this.streams.add(stream);
    let first: { name: 'unleash-connected' | 'unleash-updated'; events: UnleashDeltaEvent[] };
    let snapshot: Snapshot;
    try {
      snapshot = await this.snapshotOf(stream);
      // A token of some projects is always hydrated: the event log's keys are every project's, and a removal
      // of a key the client never held would name another project's flag.
      first = await this.firstEvent(environment, seesEveryProject(projects) ? resumeFrom : -1, snapshot);
    } catch (error) {
      this.streams.remove(stream);
      if (!res.headersSent) throw error;
      this.logger.error({ err: error, environment }, 'Unleash streaming: could not read the snapshot');
      res.end();
      return;
    }
    if (!this.streams.has(stream)) return;
    res.flushHeaders();
    stream.held = snapshot;
    stream.lastVersion = snapshot.version;
    if (first.events.length > 0 || first.name === 'unleash-connected') this.write(stream, first.name, snapshot.version, first.events);
    // A change announced while the first snapshot was read found nothing held yet: look again.
    stream.queue = stream.queue.then(() => this.catchUp(stream)).catch((error: unknown) => this.failed(stream, error));
  }

  /** How many streams are open (for tests and metrics). */
  get size(): number {
    return this.streams.size;
  }

  private async firstEvent(environment: string, resumeFrom: number, snapshot: Snapshot) {
    if (resumeFrom >= 0 && resumeFrom <= snapshot.version && snapshot.version - resumeFrom <= this.resumeWindow) {
      const changed = await changedSubjectsBetween(this.db, environment, resumeFrom, snapshot.version);
      if (changed.complete) {
        const { byName, segments } = unleashStateOf(snapshot);
        const eventId = snapshot.version;
        const events: UnleashDeltaEvent[] = [];
        for (const id of changed.segmentIds) {
          const segment = segments.find((candidate) => candidate.id === id);
          events.push(segment ? { type: 'segment-updated', eventId, segment } : { type: 'segment-removed', eventId, segmentId: id });
        }
        for (const key of changed.flagKeys) {
          const feature = byName.get(key);
          events.push(feature ? { type: 'feature-updated', eventId, feature } : { type: 'feature-removed', eventId, featureName: key, project: 'default' });
        }
        return { name: 'unleash-updated' as const, events };
      }
    }
    return { name: 'unleash-connected' as const, events: [hydration(snapshot)] };
  }

  private relay(change: SnapshotChanged, streams: UnleashStream[]): void {
    for (const stream of streams) {
      if (change.version <= stream.lastVersion) continue;
      stream.queue = stream.queue.then(() => this.catchUp(stream)).catch((error: unknown) => this.failed(stream, error));
    }
  }

  private failed(stream: UnleashStream, error: unknown): void {
    this.logger.warn({ err: error, environment: stream.environment }, 'Unleash streaming: could not send a change; closing the stream');
    // The SDK reconnects with its Last-Event-ID and resumes from there.
    stream.res.end();
  }

  private async catchUp(stream: UnleashStream): Promise<void> {
    if (!stream.held || stream.res.writableEnded) return;
    const snapshot = await this.snapshotOf(stream);
    if (snapshot.version <= stream.lastVersion) return;
    const events = changesBetween(stream.held, snapshot);
    stream.held = snapshot;
    stream.lastVersion = snapshot.version;
    // A change of a project this token does not see costs its stream nothing.
    if (events.length > 0) this.write(stream, 'unleash-updated', snapshot.version, events);
  }

  private write(stream: UnleashStream, name: string, version: number, events: UnleashDeltaEvent[]): void {
    if (stream.res.writableEnded) return;
    stream.res.write(`event: ${name}\nid: ${version}\ndata: ${JSON.stringify({ events })}\n\n`);
  }
}

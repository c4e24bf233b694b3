import type { Queryable } from '../../db/pool.js';
import { SnapshotLists, type ListsNow } from '../snapshots/snapshot-lists.js';
import {
  findCheckpointAtOrBelow,
  findCheckpointHeadAtOrBelow,
  insertCheckpoint,
  listSubjectsChangedBetween,
  type Checkpoint,
  type SubjectAfter,
} from './checkpoint-repository.js';
import { listsAtVersion, type ListsAtVersion } from './history-repository.js';

/**
 * Versions from one checkpoint of an environment to the next: half as many as
 * the checkpoint has flags and segments, and at least MIN_SPACING. A snapshot
 * as of V reads the checkpoint at or below V and replays the events after it
 * (consecutive rows, about 1.6 KB each): at most about half a snapshot's worth
 * of events. A checkpoint costs one snapshot's lists (about 0.6 KB a flag as
 * JSON, about a fifth of that once PostgreSQL compresses it), so checkpoints
 * add about an eighth to the log's size whatever the number of flags (measured:
 * 21 MiB beside 168 MiB of log at 1,000 flags and 100,000 versions).
 */
export function checkpointSpacing(subjects: number): number {
  return Math.max(MIN_SPACING, Math.ceil(subjects / 2));
}
const MIN_SPACING = 100;

/**
 * `lists` moved forward by `changes` (in the order they were written), by the
 * rule every snapshot moves forward by (snapshot-lists.ts): flags in
 * code-point order of their keys and segments by id, the order loadSnapshot
 * reads, so JSON.stringify gives the text /v1/client/flags served.
 */
export function replayOnto(lists: ListsAtVersion, changes: SubjectAfter[]): ListsAtVersion {
  if (changes.length === 0) return lists;
  const moved = new SnapshotLists(lists);
  replay(moved, changes);
  return moved.now().lists();
}

/** Applies `changes` (in the order they were written) to `lists`. */
function replay(lists: SnapshotLists, changes: SubjectAfter[]): void {
  for (const change of changes) {
    if (change.flag) lists.setFlag(change.flag);
    else lists.setSegment(change.segment);
  }
}

/**
 * Every live flag and segment of `environment` as they stood at `version`
 * (a version already committed): the checkpoint at or below it and the events
 * after it. The worker keeps checkpoints up to the current version every few
 * seconds; without one within twice its spacing (a new installation, a worker
 * that is not running), the lists are read from the log by subject
 * (listsAtVersion, one index probe per flag and segment) and kept as a
 * checkpoint at `version`, so the next reader nearby replays from it.
 */
export async function listsAsOf(db: Queryable, environment: string, version: number): Promise<ListsAtVersion> {
  return (await snapshotListsAsOf(db, environment, version)).lists();
}

/**
 * listsAsOf, and the snapshot's JSON at `version`, made from each flag's and
 * segment's JSON: those of the checkpoint were made once, when it was first
 * read (it stays in memory: CheckpointCache), so only what the events after
 * it changed is serialised again.
 */
export async function snapshotListsAsOf(db: Queryable, environment: string, version: number): Promise<ListsNow> {
  const cache = checkpointCaches.get(db) ?? new CheckpointCache(CHECKPOINT_CACHE_BYTES);
  checkpointCaches.set(db, cache);
  let base = cache.nearestAtOrBelow(environment, version);
  if (!base) {
    const stored = await findCheckpointAtOrBelow(db, environment, version);
    if (!stored || version - stored.version > 2 * checkpointSpacing(stored.flags.length + stored.segments.length)) {
      const lists = await listsAtVersion(db, environment, version);
      await insertCheckpoint(db, environment, { version, ...lists });
      return new SnapshotLists(lists).now();
    }
    base = cache.add(environment, stored.version, new SnapshotLists(stored));
  }
  const changes = await listSubjectsChangedBetween(db, environment, base.version, version);
  if (changes.length === 0) return base.lists.now();
  const moved = base.lists.copy();
  replay(moved, changes);
  return moved.now();
}

/**
 * Drops the checkpoints of `db` kept in memory. Never needed for the answers
 * (a kept checkpoint stays as true as its row, deleted or not); a test that
 * deletes the rows uses it to read from checkpoints built again.
 */
export function forgetKeptCheckpoints(db: Queryable): void {
  checkpointCaches.delete(db);
}

/** The checkpoints read from each database (pool) lately. */
const checkpointCaches = new WeakMap<Queryable, CheckpointCache>();
/** What they may hold: about 230 checkpoints of 1,000 flags (their JSON, about 420 KB each), 115,000 versions at the worker's spacing. */
const CHECKPOINT_CACHE_BYTES = 96 * 1024 * 1024;

/**
 * Checkpoints read lately, each as SnapshotLists (its flags' and segments'
 * JSON made once), the least recently used dropped first beyond `maxBytes`.
 * A checkpoint never changes once written, so one kept here is as true as the
 * row, and a reader replays from any one within twice its spacing below the
 * version asked for (the worker's, or one a reader built).
 */
class CheckpointCache {
  private readonly entries = new Map<string, { environment: string; version: number; lists: SnapshotLists; bytes: number }>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  nearestAtOrBelow(environment: string, version: number): { version: number; lists: SnapshotLists } | undefined {
    let nearest: { key: string; version: number; lists: SnapshotLists } | undefined;
    for (const [key, entry] of this.entries) {
      if (entry.environment !== environment || entry.version > version || (nearest && nearest.version >= entry.version)) continue;
      if (version - entry.version <= 2 * checkpointSpacing(entry.lists.size)) nearest = { key, ...entry };
    }
    if (!nearest) return undefined;
    // Most recently used last.
    const entry = this.entries.get(nearest.key)!;
    this.entries.delete(nearest.key);
    this.entries.set(nearest.key, entry);
    return nearest;
  }

  add(environment: string, version: number, lists: SnapshotLists): { version: number; lists: SnapshotLists } {
    const key = `${environment}\u0000${version}`;
    const old = this.entries.get(key);
    if (old) return old;
    const bytes = lists.compact();
    this.entries.set(key, { environment, version, lists, bytes });
    this.bytes += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.maxBytes || oldest === key) break;
      this.entries.delete(oldest);
      this.bytes -= entry.bytes;
    }
    return { version, lists };
  }
}

/**
 * Walks the checkpoints of `environment` from the one at or below `from` (or
 * a new one at version 0) up to `upTo` (a committed version), building each
 * missing one from the one before it and the events between, at most `limit`
 * per call. Returns the version of the last checkpoint reached (the caller's
 * next `from`) and how many it built.
 */
export async function buildCheckpoints(
  db: Queryable,
  environment: string,
  options: { from: number; upTo: number; limit?: number },
): Promise<{ doneUpTo: number; built: number }> {
  const limit = options.limit ?? 50;
  let built = 0;
  // Only the heads are read until a checkpoint is to be built: a round with nothing to build reads no lists.
  let head = await findCheckpointHeadAtOrBelow(db, environment, options.from);
  let base: Checkpoint | undefined;
  if (!head) {
    base = { version: 0, ...(await listsAtVersion(db, environment, 0)) };
    await insertCheckpoint(db, environment, base);
    head = { version: 0, subjects: base.flags.length + base.segments.length };
    built += 1;
  }
  while (built < limit) {
    const next: number = head.version + checkpointSpacing(head.subjects);
    if (next > options.upTo) break;
    // One built meanwhile (by a reader, or another worker) between the two is as good a base.
    const existing = await findCheckpointHeadAtOrBelow(db, environment, next);
    if (existing && existing.version > head.version) {
      head = existing;
      base = undefined;
      continue;
    }
    base ??= (await findCheckpointAtOrBelow(db, environment, head.version))!;
    base = { version: next, ...replayOnto(base, await listSubjectsChangedBetween(db, environment, base.version, next)) };
    await insertCheckpoint(db, environment, base);
    head = { version: next, subjects: base.flags.length + base.segments.length };
    built += 1;
  }
  return { doneUpTo: head.version, built };
}

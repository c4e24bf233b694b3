import type { Redis } from 'ioredis';
import type { RedisAvailability } from '../../shared/redis/availability.js';
import { snapshotJson } from '../../shared/domain/snapshots/snapshot-json.js';
import { readCachedSnapshot } from '../../shared/domain/snapshots/snapshot-store.js';
import { loadSnapshot } from '../../shared/domain/snapshots/snapshot-repository.js';
import { requireEnvironment } from '../../shared/domain/environments/environment-repository.js';
import { listEventsSince } from '../../shared/domain/events/event-repository.js';
import type { Queryable } from '../../shared/db/pool.js';
import type { Snapshot } from '../../shared/schemas/snapshots.js';
import { changesOfEvents, type FlagChange } from '../../shared/schemas/socket.js';
import { PreparedPayload } from './prepared-payload.js';
import { EVERY_PROJECT, scopeSnapshot, seesEveryProject, type ProjectScope } from '../../shared/domain/projects/project-scope.js';
import { memoPerSnapshot } from '../../shared/domain/snapshots/snapshot-memo.js';

/** A snapshot to send: its version, and its JSON to emit as it is (prepared-payload.ts; the relay's is made once per version). */
export interface SnapshotToSend {
  version: number;
  payload: PreparedPayload<Snapshot>;
}

/** Where a newly connected socket's first messages come from. */
export interface ReplaySource {
  /** The environment's snapshot, as much of it as `scope` sees (every project by default). */
  snapshot(environment: string, scope?: ProjectScope): Promise<SnapshotToSend>;
  /**
   * The environment's current version, as far as a socket resuming from
   * `since` needs it: this notifier's last relayed version when `since` is
   * not beyond it, else PostgreSQL's.
   */
  currentVersion(environment: string, since?: number): Promise<number>;
  /** The changes after `version`, in version order, at most `limit`. */
  changesSince(environment: string, version: number, limit: number): Promise<FlagChange[]>;
}

/** What this notifier's relay has sent its sockets so far (ChangeRelay). */
export interface RelayedState {
  relayedVersion(environment: string): number | undefined;
  relayedPayload(environment: string): SnapshotToSend | undefined;
  /** The relay's snapshot object (shared, never modified), for the part a scope sees. */
  relayedSnapshot(environment: string): Snapshot | undefined;
  relayedChangesAfter(environment: string, version: number, limit: number): FlagChange[] | undefined;
}

/**
 * A socket joins its room before it asks (client-stream.ts), so every change
 * after the relay's last one reaches it live: the relay's own snapshot is
 * exactly where it starts, and a socket resuming at the relay's version needs
 * nothing from the table. Both come from memory, at no query and no parse per
 * socket, which is what a reconnect storm of thousands of sockets costs.
 *
 * A socket resuming a little behind (within the relay's last few hundred
 * changes) is replayed them from memory too: a reconnect storm costs no query
 * per socket, and it resumes while PostgreSQL is away.
 *
 * Otherwise (before the relay's first catch-up, or `relayed` not given),
 * snapshots come from the Redis cache when it has one, else from PostgreSQL;
 * older changes come from the event table. A cached snapshot a little behind
 * is harmless: the socket's stream notices the gap before the next live change
 * and fills it from the table. While Redis does not answer, snapshots come
 * straight from PostgreSQL. A `since` beyond the relay (the socket came from
 * a notifier further ahead) is checked against PostgreSQL and replayed from
 * the table, as before.
 */
export function createReplaySource(
  db: Queryable,
  redis: Redis,
  redisPrefix: string,
  availability: RedisAvailability,
  relayed?: RelayedState,
): ReplaySource {
  // Its JSON as read from Redis when known, else made once here (Socket.IO would also walk it for binary first).
  const toSend = (snapshot: Snapshot): SnapshotToSend => ({ version: snapshot.version, payload: new PreparedPayload<Snapshot>(snapshotJson(snapshot)) });
  // A scope's part of one snapshot is made and serialised once, however many of its sockets connect.
  const scopedPayload = memoPerSnapshot(toSend);
  /**
   * Reads of the event table in flight, by (environment, version, limit):
   * sockets that need the same changes at once share one query. After the
   * relay reloads (its catch-up failed on a loaded machine), every socket of
   * the environment reads from the same version: the capacity bench saw
   * 6,667 sockets per notifier each start its own query, drain the pool and
   * be disconnected. A read that started earlier is as fresh as the joiner's
   * own would be, less the moments in flight; the stream reads again for
   * anything newer (client-stream.ts).
   */
  const reading = new Map<string, Promise<FlagChange[]>>();
  return {
    async snapshot(environment, scope = EVERY_PROJECT) {
      const everyProject = seesEveryProject(scope);
      const fromRelay = everyProject ? relayed?.relayedPayload(environment) : relayed?.relayedSnapshot(environment);
      if (fromRelay) return 'payload' in fromRelay ? fromRelay : scopedPayload(scopeSnapshot(fromRelay, scope));
      let snapshot: Snapshot | undefined;
      if (availability.usable()) {
        snapshot = await readCachedSnapshot(redis, redisPrefix, environment).catch((error: unknown) => {
          availability.failed(error);
          return undefined;
        });
      }
      snapshot ??= await loadSnapshot(db, environment);
      return everyProject ? toSend(snapshot) : scopedPayload(scopeSnapshot(snapshot, scope));
    },
    async currentVersion(environment, since) {
      const relayedVersion = relayed?.relayedVersion(environment);
      if (relayedVersion !== undefined && since !== undefined && since <= relayedVersion) return relayedVersion;
      return (await requireEnvironment(db, environment)).version;
    },
    async changesSince(environment, version, limit) {
      const fromRelay = relayed?.relayedChangesAfter(environment, version, limit);
      if (fromRelay) return fromRelay;
      const key = `${environment}\u0000${version}\u0000${limit}`;
      let read = reading.get(key);
      if (!read) {
        const started = listEventsSince(db, environment, version, limit).then(changesOfEvents);
        reading.set(key, started);
        const landed = () => {
          if (reading.get(key) === started) reading.delete(key);
        };
        started.then(landed, landed);
        read = started;
      }
      return read;
    },
  };
}

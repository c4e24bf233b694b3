import type { Redis } from 'ioredis';
import type { RedisAvailability } from '../../shared/redis/availability.js';
import { snapshotJson } from '../../shared/domain/snapshots/snapshot-json.js';
import { readCachedSnapshot } from '../../shared/domain/snapshots/snapshot-store.js';
import { loadSnapshot } from '../../shared/domain/snapshots/snapshot-repository.js';
import { requireEnvironment } from '../../shared/domain/environments/environment-repository.js';
import { listEventsSince } from '../../shared/domain/events/event-repository.js';
import type { Queryable } from '../../shared/db/pool.js';
import type { Snapshot } from '../../shared/schemas/snapshots.js';
import { changeOfEvent, type FlagChange } from '../../shared/schemas/socket.js';
import { PreparedPayload } from './prepared-payload.js';

/** A snapshot to send: its version, and its JSON to emit as it is (prepared-payload.ts; the relay's is made once per version). */
export interface SnapshotToSend {
  version: number;
  payload: PreparedPayload<Snapshot>;
}

/** Where a newly connected socket's first messages come from. */
export interface ReplaySource {
  snapshot(environment: string): Promise<SnapshotToSend>;
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
  return {
    async snapshot(environment) {
      const fromRelay = relayed?.relayedPayload(environment);
      if (fromRelay) return fromRelay;
      // Its JSON as read from Redis when known, else made once here (Socket.IO would also walk it for binary first).
      const toSend = (snapshot: Snapshot): SnapshotToSend => ({ version: snapshot.version, payload: new PreparedPayload<Snapshot>(snapshotJson(snapshot)) });
      if (availability.usable()) {
        const cached = await readCachedSnapshot(redis, redisPrefix, environment).catch((error: unknown) => {
          availability.failed(error);
          return undefined;
        });
        if (cached) return toSend(cached);
      }
      return toSend(await loadSnapshot(db, environment));
    },
    async currentVersion(environment, since) {
      const relayedVersion = relayed?.relayedVersion(environment);
      if (relayedVersion !== undefined && since !== undefined && since <= relayedVersion) return relayedVersion;
      return (await requireEnvironment(db, environment)).version;
    },
    async changesSince(environment, version, limit) {
      const fromRelay = relayed?.relayedChangesAfter(environment, version, limit);
      if (fromRelay) return fromRelay;
      const events = await listEventsSince(db, environment, version, limit);
      return events.map(changeOfEvent);
    },
  };
}

import type { Redis } from 'ioredis';
import type { Queryable } from '../../db/pool.js';
import type { EnvironmentRelay } from '../../schemas/environments.js';
import { requireEnvironment } from '../environments/environment-repository.js';
import { readRelayReports } from './relay-report-store.js';
import type { RelayWatch } from './relay-watch.js';

/**
 * How far the live notifiers have pushed `environment`: the lowest version
 * every one of them relayed (null while none is live, or one has relayed
 * nothing there yet). A 404 for an unknown environment.
 */
export async function readEnvironmentRelay(db: Queryable, redis: Redis, redisPrefix: string, environment: string): Promise<EnvironmentRelay> {
  const [{ version: currentVersion }, notifiers] = await Promise.all([
    requireEnvironment(db, environment),
    readRelayReports(redis, redisPrefix, environment),
  ]);
  const versions = notifiers.map((notifier) => notifier.version);
  const version = versions.length === 0 || versions.includes(null) ? null : Math.min(...(versions as number[]));
  return { environment, version, currentVersion, notifiers };
}

/** Whether every live notifier (at least one) has relayed `version`: what a deploy gate waits for. */
export function hasRelayed(relay: EnvironmentRelay, version: number): boolean {
  return relay.version !== null && relay.version >= version;
}

/**
 * readEnvironmentRelay, held until every live notifier has relayed
 * `atLeast` (read again at each report a notifier announces), or `waitMs`
 * passed (then the relay as it stands), or `signal` aborted (the caller left).
 */
export async function awaitEnvironmentRelay(
  db: Queryable,
  redis: Redis,
  redisPrefix: string,
  watch: RelayWatch,
  request: { environment: string; atLeast: number; waitMs: number; signal?: AbortSignal },
): Promise<EnvironmentRelay> {
  const read = () => readEnvironmentRelay(db, redis, redisPrefix, request.environment);
  return watch.readUntil(read, (relay) => hasRelayed(relay, request.atLeast), request.waitMs, request.signal);
}

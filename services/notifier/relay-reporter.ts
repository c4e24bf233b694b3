import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { removeRelayReport, writeRelayReport } from '../../shared/domain/relay-reports/relay-report-store.js';
import { rateLimitedWarn } from '../../shared/log-rate-limit.js';
import type { Logger } from '../../shared/logger.js';

/** Tells Redis what this notifier relayed (shared/domain/relay-reports), for deploy gates. */
export interface RelayReporter {
  readonly id: string;
  /** This notifier relayed (or loaded) `version` of `environment`; reported in the background. */
  relayed(environment: string, version: number): void;
  /** Stops reporting and removes the report (bounded: a stalled Redis cannot hold the shutdown). */
  close(): Promise<void>;
}

export interface RelayReporterOptions {
  /** How often the report is refreshed while nothing changes. Default 1 s. */
  heartbeatMs?: number;
  /** How long a report outlives its last refresh: how long a dead notifier still counts. Default 5 s. */
  ttlMs?: number;
}

export const DEFAULT_RELAY_HEARTBEAT_MS = 1000;
export const DEFAULT_RELAY_REPORT_TTL_MS = 5000;
const CLOSE_LIMIT_MS = 500;

/**
 * Reports each relayed version at once (a gate learns of it within a Redis
 * round trip) and refreshes the report every heartbeat. Never awaited by the
 * relay: pushes never wait on Redis. One write is in flight at a time, always
 * of the newest versions; a failed one is retried at the next heartbeat.
 */
export function createRelayReporter(redis: Redis, prefix: string, logger: Logger, options: RelayReporterOptions = {}): RelayReporter {
  const id = randomUUID();
  const heartbeatMs = options.heartbeatMs ?? DEFAULT_RELAY_HEARTBEAT_MS;
  const ttlMs = options.ttlMs ?? DEFAULT_RELAY_REPORT_TTL_MS;
  const versions = new Map<string, number>();
  const warn = rateLimitedWarn(logger, 'could not report relayed versions to Redis; retrying');
  let writing: Promise<void> | undefined;
  let again = false;
  let closed = false;

  const write = (): void => {
    if (closed) return;
    if (writing) {
      again = true;
      return;
    }
    again = false;
    writing = writeRelayReport(redis, prefix, id, new Map(versions), ttlMs)
      .catch((error: unknown) => warn(error))
      .finally(() => {
        writing = undefined;
        if (again) write();
      });
  };
  const heartbeat = setInterval(write, heartbeatMs);
  heartbeat.unref();
  write();

  return {
    id,
    relayed(environment, version) {
      if ((versions.get(environment) ?? -1) >= version) return;
      versions.set(environment, version);
      write();
    },
    async close() {
      closed = true;
      clearInterval(heartbeat);
      await Promise.race([
        (async () => {
          await writing;
          await removeRelayReport(redis, prefix, id);
        })().catch((error: unknown) => warn(error)),
        sleep(CLOSE_LIMIT_MS),
      ]);
    },
  };
}

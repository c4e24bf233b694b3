import type { Pool } from '../../../shared/db/pool.js';
import { addUsage, deleteUsageBefore, type UsageCounts } from '../../../shared/db/usage.js';
import type { Closable } from '../../../shared/lifecycle.js';
import type { Logger } from '../../../shared/logger.js';
import { MAX_VARIANTS_PER_FLAG, type ToggleCounts } from '../../../shared/schemas/usage.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** How long hourly rows are kept: the usage table's size bound (flags × environments × this many hours). */
export const USAGE_RETENTION_DAYS = 90;

export interface UsageRecorderOptions {
  pool: Pool;
  logger: Logger;
  now: () => Date;
  /** How often counted evaluations are written (default 10 s); 0: only on flush() and close(). */
  flushIntervalMs?: number;
}

/** One SDK report of one environment: Unleash's metrics bucket. */
export interface UsageReport {
  start: Date;
  stop: Date;
  toggles: Record<string, ToggleCounts>;
}

/** Where the API counts evaluations of flags, per environment and hour. */
export interface UsageRecorder extends Closable {
  /** Counts one server-side evaluation, in memory: written at the next flush, never a write per request. */
  count(environment: string, flagKey: string, enabled: boolean, variant?: string): void;
  /** Stores an SDK's report at once (one statement); returns how many of its names are flags. */
  record(environment: string, report: UsageReport): Promise<number>;
  /** Writes what count() gathered so far. */
  flush(): Promise<void>;
}

function startOfHour(time: Date): Date {
  return new Date(Math.floor(time.getTime() / HOUR_MS) * HOUR_MS);
}

function addVariants(into: Record<string, number>, from: Record<string, number> | undefined): void {
  for (const [name, times] of Object.entries(from ?? {})) {
    if (name in into || Object.keys(into).length < MAX_VARIANTS_PER_FLAG) into[name] = (into[name] ?? 0) + times;
  }
}

/**
 * Counts evaluations made by the API itself (POST /v1/client/evaluate, OFREP,
 * Unleash's frontend API) in memory and writes them every few seconds, one
 * statement per environment; stores SDK reports (Unleash's metrics) as they
 * come. Old hourly rows are deleted as new ones arrive, at most once an hour.
 */
export function createUsageRecorder(options: UsageRecorderOptions): UsageRecorder {
  const { pool, logger, now } = options;
  /** environment → "<hour ms>|<flag key>" → counts */
  let pending = new Map<string, Map<string, UsageCounts>>();
  let lastPrune = 0;
  let flushing: Promise<void> | undefined;

  const merge = (environment: string, counts: UsageCounts) => {
    let byKey = pending.get(environment);
    if (!byKey) pending.set(environment, (byKey = new Map()));
    const id = `${counts.hour.getTime()}|${counts.flagKey}`;
    const held = byKey.get(id);
    if (!held) {
      byKey.set(id, { ...counts, variants: { ...counts.variants } });
      return;
    }
    held.yes += counts.yes;
    held.no += counts.no;
    addVariants(held.variants, counts.variants);
    if (counts.lastSeenAt > held.lastSeenAt) held.lastSeenAt = counts.lastSeenAt;
  };

  const prune = async () => {
    const at = now().getTime();
    if (at - lastPrune < HOUR_MS) return;
    lastPrune = at;
    const removed = await deleteUsageBefore(pool, new Date(at - USAGE_RETENTION_DAYS * DAY_MS));
    if (removed > 0) logger.debug({ removed }, 'usage: deleted hourly rows past the retention');
  };

  const writePending = async () => {
    const batch = pending;
    pending = new Map();
    for (const [environment, byKey] of batch) {
      try {
        await addUsage(pool, environment, [...byKey.values()], MAX_VARIANTS_PER_FLAG);
      } catch (error) {
        // Kept for the next flush: the map is keyed by flag and hour, so it cannot grow without bound.
        for (const counts of byKey.values()) merge(environment, counts);
        logger.warn({ err: error, environment }, 'usage: could not write evaluation counts; will retry');
      }
    }
    await prune().catch((error: unknown) => logger.warn({ err: error }, 'usage: could not delete old rows'));
  };

  const flush = () => {
    // One flush at a time; a flush asked for meanwhile waits for it, then writes what came since.
    flushing = (flushing ?? Promise.resolve()).then(writePending);
    return flushing;
  };

  const interval = options.flushIntervalMs ?? 10_000;
  const timer = interval > 0 ? setInterval(() => void flush(), interval).unref() : undefined;

  return {
    count(environment, flagKey, enabled, variant) {
      const at = now();
      merge(environment, {
        flagKey,
        hour: startOfHour(at),
        yes: enabled ? 1 : 0,
        no: enabled ? 0 : 1,
        variants: variant === undefined ? {} : { [variant]: 1 },
        lastSeenAt: at,
      });
    },
    async record(environment, report) {
      // SDK clocks drift: a report is never from the future, nor older than what is kept.
      const at = now();
      const oldest = at.getTime() - USAGE_RETENTION_DAYS * DAY_MS;
      const stop = new Date(Math.max(Math.min(report.stop.getTime(), at.getTime()), oldest));
      const hour = startOfHour(new Date(Math.max(Math.min(report.start.getTime(), stop.getTime()), oldest)));
      const counts = Object.entries(report.toggles)
        .filter(([, toggle]) => toggle.yes + toggle.no > 0 || Object.keys(toggle.variants ?? {}).length > 0)
        .map(([flagKey, toggle]) => {
          const variants: Record<string, number> = {};
          addVariants(variants, toggle.variants);
          return { flagKey, hour, yes: toggle.yes, no: toggle.no, variants, lastSeenAt: stop };
        });
      const known = await addUsage(pool, environment, counts, MAX_VARIANTS_PER_FLAG);
      await prune().catch((error: unknown) => logger.warn({ err: error }, 'usage: could not delete old rows'));
      return known;
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}

import type { Pool } from '../../../shared/db/pool.js';
import { addUsage, deleteUsageBefore, type UsageCounts } from '../../../shared/domain/usage/usage-repository.js';
import type { Closable } from '../../../shared/lifecycle.js';
import type { Logger } from '../../../shared/logger.js';
import { isDataError } from '../../../shared/db/postgres-errors.js';
import { MAX_USAGE_COUNT, MAX_VARIANTS_PER_FLAG, type ToggleCounts } from '../../../shared/schemas/usage.js';

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
  /** count() for the evaluations of one request in one environment: the clock is read once for them all. */
  counter(environment: string): (flagKey: string, enabled: boolean, variant?: string) => void;
  /** Stores an SDK's report at once (one statement); returns how many of its names are flags. */
  record(environment: string, report: UsageReport): Promise<number>;
  /** Writes what count() gathered so far. */
  flush(): Promise<void>;
}

function startOfHour(time: Date): Date {
  return new Date(Math.floor(time.getTime() / HOUR_MS) * HOUR_MS);
}

const USAGE_LIMITS = { maxVariants: MAX_VARIANTS_PER_FLAG, maxCount: MAX_USAGE_COUNT };

/** a + b, stopping at MAX_USAGE_COUNT: counts held for a retry never lose precision or overflow what is stored. */
function saturatingAdd(a: number, b: number): number {
  return Math.min(a + b, MAX_USAGE_COUNT);
}

function addVariants(into: Record<string, number>, from: Record<string, number> | undefined): void {
  for (const [name, times] of Object.entries(from ?? {})) {
    // Variant names are the user's: `in` and `into[name]` would find Object's `constructor`.
    if (Object.hasOwn(into, name) || Object.keys(into).length < MAX_VARIANTS_PER_FLAG) {
      into[name] = saturatingAdd(Object.hasOwn(into, name) ? into[name]! : 0, times);
    }
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
  /** environment → hour (ms) → flag key → counts */
  let pending = new Map<string, Map<number, Map<string, UsageCounts>>>();
  let lastPrune = 0;
  let flushing: Promise<void> | undefined;

  /** The counts held for an environment and hour, by flag key. */
  const heldForHour = (environment: string, hour: number): Map<string, UsageCounts> => {
    let byHour = pending.get(environment);
    if (!byHour) pending.set(environment, (byHour = new Map()));
    let byFlag = byHour.get(hour);
    if (!byFlag) byHour.set(hour, (byFlag = new Map()));
    return byFlag;
  };

  /** The counts held for a flag, made empty when there are none yet. */
  const heldIn = (byFlag: Map<string, UsageCounts>, hour: number, flagKey: string, at: Date): UsageCounts => {
    let held = byFlag.get(flagKey);
    if (!held) {
      held = { flagKey, hour: new Date(hour), yes: 0, no: 0, variants: {}, lastSeenAt: at };
      byFlag.set(flagKey, held);
    }
    return held;
  };

  const heldFor = (environment: string, hour: number, flagKey: string, at: Date) => heldIn(heldForHour(environment, hour), hour, flagKey, at);

  /**
   * A counter for evaluations at `at`. Called once per flag per evaluating
   * request (100 times for 100 flags): the environment's and hour's table is
   * found once, and each count increments what is held in place, keyed by the
   * snapshot's own key strings.
   */
  const counterAt = (environment: string, at: Date) => {
    const hour = Math.floor(at.getTime() / HOUR_MS) * HOUR_MS;
    const atMs = at.getTime();
    // Found again if a flush took the pending tables since: counts must land in the batch still to be written.
    let batch = pending;
    let byFlag = heldForHour(environment, hour);
    return (flagKey: string, enabled: boolean, variant: string | undefined) => {
      if (batch !== pending) {
        batch = pending;
        byFlag = heldForHour(environment, hour);
      }
      const held = heldIn(byFlag, hour, flagKey, at);
      if (enabled) held.yes = saturatingAdd(held.yes, 1);
      else held.no = saturatingAdd(held.no, 1);
      if (variant !== undefined) {
        if (Object.hasOwn(held.variants, variant)) held.variants[variant] = saturatingAdd(held.variants[variant]!, 1);
        else if (Object.keys(held.variants).length < MAX_VARIANTS_PER_FLAG) held.variants[variant] = 1;
      }
      if (atMs > held.lastSeenAt.getTime()) held.lastSeenAt = at;
    };
  };

  const merge = (environment: string, counts: UsageCounts) => {
    const held = heldFor(environment, counts.hour.getTime(), counts.flagKey, counts.lastSeenAt);
    held.yes = saturatingAdd(held.yes, counts.yes);
    held.no = saturatingAdd(held.no, counts.no);
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

  const keepForRetry = (environment: string, counts: UsageCounts[], error: unknown) => {
    // The map is keyed by flag and hour, so what is kept cannot grow without bound.
    for (const held of counts) merge(environment, held);
    logger.warn({ err: error, environment }, 'usage: could not write evaluation counts; will retry');
  };

  /**
   * PostgreSQL refused the environment's batch for its data: one row must not
   * hold back the others for ever, so each is written alone and a row refused
   * for its data is dropped (a retry could only fail the same way).
   */
  const writeEachRow = async (environment: string, counts: UsageCounts[]) => {
    for (const [index, row] of counts.entries()) {
      try {
        await addUsage(pool, environment, [row], USAGE_LIMITS);
      } catch (error) {
        if (!isDataError(error)) {
          keepForRetry(environment, counts.slice(index), error);
          return;
        }
        logger.error({ err: error, environment, flag: row.flagKey, hour: row.hour }, 'usage: dropped evaluation counts PostgreSQL refuses');
      }
    }
  };

  const writePending = async () => {
    const batch = pending;
    pending = new Map();
    for (const [environment, byHour] of batch) {
      const counts = [...byHour.values()].flatMap((byFlag) => [...byFlag.values()]);
      try {
        await addUsage(pool, environment, counts, USAGE_LIMITS);
      } catch (error) {
        if (isDataError(error)) await writeEachRow(environment, counts);
        else keepForRetry(environment, counts, error);
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
      counterAt(environment, now())(flagKey, enabled, variant);
    },
    counter(environment) {
      return counterAt(environment, now());
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
      const known = await addUsage(pool, environment, counts, USAGE_LIMITS);
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

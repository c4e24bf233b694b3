import type { Pool } from '../../../shared/db/pool.js';
import { pruneClientEvents } from '../../../shared/domain/client-events/client-event-service.js';
import { watchGuardsOnce, type GuardBreach, type GuardRound } from '../../../shared/domain/ramps/guard-service.js';
import type { Closable } from '../../../shared/lifecycle.js';
import type { Logger } from '../../../shared/logger.js';
import type { WorkerMetrics } from '../metrics.js';
import { startReconcileLoop } from './reconcile-loop.js';

/** Guards look at least this often while a ramp runs (the contract says at least every 5 s). */
export const DEFAULT_GUARD_EVERY_MS = 2000;

const HOUR_MS = 3_600_000;

export interface GuardWatcherOptions {
  pool: Pool;
  logger: Logger;
  metrics?: WorkerMetrics;
  /** Time between looks (default DEFAULT_GUARD_EVERY_MS). */
  everyMs?: number;
  /** Called after a breach's transaction committed. */
  onBreach?: (breach: GuardBreach) => void;
}

export interface RunningGuardWatcher extends Closable {
  /** Runs a look now (tests; the loop runs on its own). */
  lookNow(): Promise<GuardRound>;
}

/**
 * Watches the guards of every running ramp: a look every few seconds, each
 * reading the counts from PostgreSQL (nothing kept between looks, so a
 * restart loses nothing), and deletes event counts past their retention once
 * an hour. Several workers may watch at once: a breach locks its ramp, and
 * the second finds it stopped.
 */
export function startGuardWatcher(options: GuardWatcherOptions): RunningGuardWatcher {
  const { pool, logger, metrics } = options;
  let lastPrune = 0;
  const look = async (): Promise<GuardRound> => {
    const round = await watchGuardsOnce(pool, logger);
    for (const breach of round.breaches) {
      logger.warn(
        { planId: breach.planId, flag: breach.flag, environment: breach.environment, status: breach.status, rollout: breach.rollout, version: breach.version },
        `ramp guard breached: ${breach.reason}`,
      );
      options.onBreach?.(breach);
    }
    const byRamp = new Map<string, { environment: string; decisions: string[] }>();
    for (const { planId, environment, figures } of round.figures) {
      const entry = byRamp.get(planId) ?? { environment, decisions: [] };
      entry.decisions.push(figures.decision);
      byRamp.set(planId, entry);
    }
    for (const [planId, { environment, decisions }] of byRamp) {
      const breach = round.breaches.find((b) => b.planId === planId);
      metrics?.guardLooked({ environment, decisions, breach: breach && { action: breach.guard.action } });
    }
    if (Date.now() - lastPrune >= HOUR_MS) {
      lastPrune = Date.now();
      const pruned = await pruneClientEvents(pool, new Date()).catch((error: unknown) => {
        logger.warn({ err: error }, 'could not delete event counts past their retention');
        return undefined;
      });
      if (pruned && (pruned.minutes > 0 || pruned.batches > 0)) logger.info(pruned, 'deleted event counts past their retention');
    }
    return round;
  };
  const loop = startReconcileLoop(look, options.everyMs ?? DEFAULT_GUARD_EVERY_MS, logger, {
    what: 'ramp guard',
    onReport: (round, atStart) => {
      if (atStart) logger.info({ watchedRamps: round.watchedRamps }, 'watching ramp guards');
    },
  });
  return { lookNow: () => loop.runNow(), close: () => loop.stop() };
}

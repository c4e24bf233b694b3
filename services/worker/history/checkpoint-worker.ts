import type { Pool } from '../../../shared/db/pool.js';
import { listEnvironments } from '../../../shared/domain/environments/environment-repository.js';
import { buildCheckpoints } from '../../../shared/domain/history/checkpoints.js';
import type { Closable } from '../../../shared/lifecycle.js';
import type { Logger } from '../../../shared/logger.js';
import { startReconcileLoop } from '../ramps/reconcile-loop.js';

/**
 * How often the worker brings every environment's time-travel checkpoints up
 * to its current version. A snapshot as of a version past the last checkpoint
 * replays the events after it, so a lag only costs a little speed.
 */
export const CHECKPOINT_POLL_MS = 5000;

export interface RunningCheckpointWorker extends Closable {
  /** Runs a round now; resolves with how many checkpoints it built. */
  runNow(): Promise<number>;
}

/**
 * Keeps the checkpoints of time travel (shared/domain/history/checkpoints.ts)
 * up to date: each round, for each environment, builds the missing ones from
 * the last one it knows complete. Idempotent (a checkpoint is a function of
 * the log; two workers building the same keep one), and nothing but speed
 * depends on it running.
 */
export function startCheckpointWorker({ pool, logger, pollMs = CHECKPOINT_POLL_MS }: { pool: Pool; logger: Logger; pollMs?: number }): RunningCheckpointWorker {
  /** Per environment: every checkpoint from 0 up to this version is known to exist. */
  const complete = new Map<string, number>();
  const round = async (): Promise<number> => {
    let built = 0;
    for (const { key, version } of await listEnvironments(pool)) {
      const from = complete.get(key) ?? 0;
      const result = await buildCheckpoints(pool, key, { from, upTo: version });
      complete.set(key, result.doneUpTo);
      built += result.built;
    }
    return built;
  };
  const loop = startReconcileLoop(round, pollMs, logger, {
    what: 'time-travel checkpoints',
    onReport: (built) => {
      if (built > 0) logger.debug({ built }, 'built time-travel checkpoints');
    },
  });
  return { runNow: loop.runNow, close: () => loop.stop() };
}

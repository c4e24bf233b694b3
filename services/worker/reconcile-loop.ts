import type { Logger } from '../../shared/logger.js';
import type { ReconcileReport } from './reconcile.js';

export interface ReconcileLoop {
  /** Runs a round now (after the one in progress, if any) and resolves with its report. */
  runNow(): Promise<ReconcileReport>;
  /** Stops scheduling rounds and waits (a bounded time: Redis may be away) for the one in progress. */
  stop(): Promise<void>;
}

/**
 * Runs `reconcile` at once and then every `everyMs`, never two rounds at a
 * time: the next round is timed from the end of the previous one. A failed
 * round is logged and the loop goes on.
 */
const STOP_WAIT_MS = 10_000;

export function startReconcileLoop(reconcile: () => Promise<ReconcileReport>, everyMs: number, logger: Logger): ReconcileLoop {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let last: Promise<unknown> = Promise.resolve();

  const round = (): Promise<ReconcileReport> => {
    const result = last.then(() => reconcile());
    last = result.catch((error: unknown) => logger.error({ err: error }, 'ramp reconciliation failed'));
    return result;
  };
  const scheduleNext = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      void round()
        .then((report) => {
          if (report.appliedSteps > 0 || report.requeuedTimers > 0) logger.info(report, 'reconciled rollout ramps');
        })
        .catch(() => undefined)
        .finally(scheduleNext);
    }, everyMs);
  };

  void round()
    .then((report) => logger.info(report, 'reconciled rollout ramps at start'))
    .catch(() => undefined)
    .finally(scheduleNext);

  return {
    runNow: round,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      let waited: NodeJS.Timeout | undefined;
      await Promise.race([last, new Promise((resolve) => (waited = setTimeout(resolve, STOP_WAIT_MS)))]);
      clearTimeout(waited);
    },
  };
}

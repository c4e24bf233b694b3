import type { Logger } from '../../../shared/logger.js';

export interface ReconcileLoop<Report> {
  /** Runs a round now (after the one in progress, if any) and resolves with its report. */
  runNow(): Promise<Report>;
  /** Stops scheduling rounds and waits (a bounded time: Redis may be away) for the one in progress. */
  stop(): Promise<void>;
}

export interface ReconcileLoopHooks<Report> {
  /** What the rounds reconcile, for the log ("rollout ramps", "webhook deliveries"). */
  what: string;
  /** Logs a round's report; `atStart` for the round run when the loop starts. */
  onReport(report: Report, atStart: boolean): void;
}

const STOP_WAIT_MS = 10_000;

/**
 * Runs `reconcile` at once and then every `everyMs`, never two rounds at a
 * time: the next round is timed from the end of the previous one. A failed
 * round is logged and the loop goes on.
 */
export function startReconcileLoop<Report>(
  reconcile: () => Promise<Report>,
  everyMs: number,
  logger: Logger,
  hooks: ReconcileLoopHooks<Report>,
): ReconcileLoop<Report> {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let last: Promise<unknown> = Promise.resolve();

  const round = (): Promise<Report> => {
    const result = last.then(() => reconcile());
    last = result.catch((error: unknown) => logger.error({ err: error }, `${hooks.what} reconciliation failed`));
    return result;
  };
  const scheduleNext = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      void round()
        .then((report) => hooks.onReport(report, false))
        .catch(() => undefined)
        .finally(scheduleNext);
    }, everyMs);
  };

  void round()
    .then((report) => hooks.onReport(report, true))
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

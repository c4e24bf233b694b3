import type { Pool } from '../../../shared/db/pool.js';
import { listDueChangeRequests } from '../../../shared/domain/change-requests/change-request-repository.js';
import { applyDueChangeRequest } from '../../../shared/domain/change-requests/change-request-service.js';
import type { Closable } from '../../../shared/lifecycle.js';
import type { Logger } from '../../../shared/logger.js';
import { startReconcileLoop, type ReconcileLoop } from '../ramps/reconcile-loop.js';

/**
 * How often the worker looks for scheduled changes whose time has come. The
 * schedule lives in PostgreSQL only (change_request.scheduled_at, a partial
 * index of the scheduled ones), so this one indexed query is the timer: no
 * Redis job to lose in a flush, nothing to re-create after a kill, and a
 * change is applied at most this much (plus its own transaction) late.
 */
export const SCHEDULE_POLL_MS = 200;
/** Requests applied per round at most (the next round follows at once when there were more). */
const DUE_PER_ROUND = 50;

export interface ScheduleRound {
  applied: number;
  conflicted: number;
  /** Taken by another worker first, or no longer scheduled: not applied here. */
  skipped: number;
  failed: number;
}

export interface RunningScheduleWorker extends Closable {
  /** Runs a round now (tests and shutdown). */
  runNow(): Promise<ScheduleRound>;
}

export interface ScheduleWorkerOptions {
  pool: Pool;
  logger: Logger;
  pollMs?: number;
}

/**
 * Applies scheduled change requests and schedules when their time comes,
 * exactly once: each apply locks the request's row and applies it only while
 * it is still `scheduled` and due (applyDueChangeRequest), so several workers,
 * a worker killed mid-apply (the transaction rolls back, the next round applies
 * it) or a lost connection never apply it twice or half.
 */
export function startScheduleWorker({ pool, logger, pollMs = SCHEDULE_POLL_MS }: ScheduleWorkerOptions): RunningScheduleWorker {
  const round = async (): Promise<ScheduleRound> => {
    const report: ScheduleRound = { applied: 0, conflicted: 0, skipped: 0, failed: 0 };
    const due = await listDueChangeRequests(pool, DUE_PER_ROUND);
    for (const { id, scheduledAt } of due) {
      try {
        const outcome = await applyDueChangeRequest(pool, id);
        if (outcome.kind === 'applied') {
          report.applied += 1;
          logger.info({ changeRequest: id, scheduledAt, version: outcome.version, lateMs: Date.now() - Date.parse(scheduledAt) }, 'applied a scheduled change');
        } else if (outcome.kind === 'conflicted') {
          report.conflicted += 1;
          logger.warn({ changeRequest: id, subjects: outcome.subjects }, 'a scheduled change conflicted: not applied');
        } else {
          report.skipped += 1;
        }
      } catch (error) {
        // A request that cannot apply (a change became invalid) stays scheduled and is logged each round; others go on.
        report.failed += 1;
        logger.error({ err: error, changeRequest: id }, 'could not apply a scheduled change');
      }
    }
    return report;
  };
  const loop: ReconcileLoop<ScheduleRound> = startReconcileLoop(round, pollMs, logger, {
    what: 'scheduled changes',
    onReport: () => undefined,
  });
  return {
    runNow: loop.runNow,
    close: () => loop.stop(),
  };
}

import type { Pool, Queryable } from '../../db/pool.js';
import { withTransaction } from '../../db/tx.js';
import type { Logger } from '../../logger.js';
import { CONTROL_VARIANTS, EXPOSURE_EVENT } from '../../schemas/client-events.js';
import { insertRampEvent } from '../change-requests/change-request-repository.js';
import { listArmMinutes } from '../client-events/client-event-repository.js';
import { changeFlagState } from '../flags/flag-state-service.js';
import { listWatchedRamps, recordGuardFigures, type WatchedGuard, type WatchedRamp } from './guard-repository.js';
import { judgeGuard, type GuardFigures } from './guard-statistics.js';
import { rampActor } from './ramp-actor.js';
import { lockRamp, stopRamp } from './ramp-repository.js';
import { PENDING_RAMP_STATUSES, rampTransition, statusesAllowing } from './ramp-status.js';

/** What a breach did to its ramp. */
export interface GuardBreach {
  planId: string;
  flag: string;
  environment: string;
  guard: WatchedGuard;
  figures: GuardFigures;
  /** The ramp's status now: rolled_back or paused. */
  status: 'rolled_back' | 'paused';
  /** The rollout put back (rollback only). */
  rollout?: number;
  /** The environment version of the rollback's change (rollback only). */
  version?: number;
  reason: string;
}

const percent = (rate: number | null) => (rate === null ? 'n/a' : `${(rate * 100).toPrecision(3)}%`);
const figure = (value: number | null, digits = 3) => (value === null ? 'n/a' : value.toPrecision(digits));

/** The ramp's stop reason: which guard, the figures of both arms, the test's evidence, and what it did. */
export function breachReason(guard: WatchedGuard, figures: GuardFigures, outcome: string): string {
  const { treatment, control } = figures;
  return (
    `guard on '${guard.event}' breached: treatment ${treatment.events}/${treatment.exposures} = ${percent(treatment.rate)}, ` +
    `control ${control.events}/${control.exposures} = ${percent(control.rate)}, ratio ${figure(figures.ratio)} ` +
    `(maxRatio ${guard.maxRatio}; evidence ${figure(figures.evidence)} >= ${figures.threshold}); ${outcome}`
  );
}

/** Each guard of a watched ramp judged on the counts so far (all apps, from the minute the ramp was created). */
export async function judgeRampGuards(pool: Pool, ramp: WatchedRamp): Promise<Array<{ guard: WatchedGuard; figures: GuardFigures }>> {
  const judged: Array<{ guard: WatchedGuard; figures: GuardFigures }> = [];
  for (const guard of ramp.guards) {
    const windows = await listArmMinutes(pool, {
      environment: ramp.environment,
      flagKey: ramp.flagKey,
      event: guard.event,
      since: new Date(ramp.createdAt),
      exposureEvent: EXPOSURE_EVENT,
      controlVariants: CONTROL_VARIANTS,
    });
    judged.push({ guard, figures: judgeGuard(windows, guard) });
  }
  return judged;
}

/**
 * Stops a ramp whose guard breached, in one transaction, with the ramp as the
 * actor: locks the plan, checks it is still scheduled or running, rolls the
 * rollout back to where the ramp started through the one write path
 * (changeFlagState: the triggers write the event and push it) or leaves it,
 * then records the status (rolled_back or paused) with the figures as the
 * reason. Undefined when the ramp had already stopped (nothing is written).
 */
export async function stopRampOnBreach(
  pool: Pool,
  ramp: WatchedRamp,
  guard: WatchedGuard,
  figures: GuardFigures,
  now: Date,
): Promise<GuardBreach | undefined> {
  return withTransaction(
    pool,
    async (client): Promise<GuardBreach | undefined> => {
      const locked = await lockRamp(client, ramp.id);
      if (!locked) return undefined;
      const action = guard.action === 'rollback' ? 'rollback' : 'pause';
      const transition = rampTransition(locked, action);
      if (!transition.allowed) return undefined;
      const base = { planId: ramp.id, flag: locked.flagKey, environment: locked.environment, guard, figures };
      let rollout: number | undefined;
      let version: number | undefined;
      if (action === 'rollback' && !locked.flagArchived) {
        rollout = locked.startRollout ?? 0;
        const change = await changeFlagState(
          client,
          locked.flagKey,
          locked.environment,
          { rollout, strategyId: locked.strategyId ?? undefined },
          { rampPlanId: locked.id },
        );
        // No rollout to drive any more: the write path paused the ramp, saying why; the guard's figures still stand.
        if (change.rampPaused) {
          await recordGuardFigures(client, ramp.id, guard.position, figures, now);
          const reason = 'the ramp has no rollout to roll back';
          await announcePause(client, locked, guard, figures, breachReason(guard, figures, `paused: ${reason}`));
          return { ...base, status: 'paused', reason };
        }
        version = change.state.version;
      }
      const reason = breachReason(guard, figures, action === 'rollback' ? `rolled back to ${rollout ?? locked.startRollout ?? 0}%` : 'paused');
      const to = transition.to as 'rolled_back' | 'paused';
      if (!(await stopRamp(client, ramp.id, { to, from: statusesAllowing(action) }, { reason }))) {
        throw new Error(`rollout ${ramp.id} changed status while locked`);
      }
      await recordGuardFigures(client, ramp.id, guard.position, figures, now);
      // A rollback is announced by its change (`rollout.rolled_back`); a pause changes no flag, so it writes its own webhook event.
      if (to === 'paused') await announcePause(client, locked, guard, figures, reason);
      return { ...base, status: to, rollout, version, reason };
    },
    { actor: rampActor(ramp.id) },
  );
}

/** The `rollout.paused` webhook event of a guard's pause, in the transaction that records it (migration 000027). */
async function announcePause(
  client: Queryable,
  ramp: { id: string; flagKey: string; environment: string },
  guard: WatchedGuard,
  figures: GuardFigures,
  reason: string,
): Promise<void> {
  const { event, maxRatio, minExposures, action } = guard;
  await insertRampEvent(client, { id: ramp.id, flag: ramp.flagKey, environment: ramp.environment }, 'rollout.paused', rampActor(ramp.id), {
    status: 'paused',
    reason,
    guard: { event, maxRatio, minExposures, action },
    figures,
  });
}

/** What one look at every guarded ramp found. */
export interface GuardRound {
  watchedRamps: number;
  breaches: GuardBreach[];
  figures: Array<{ planId: string; environment: string; guard: WatchedGuard; figures: GuardFigures }>;
}

/**
 * One look at every scheduled or running ramp with guards: judge each guard
 * on the counts so far, keep the figures, and stop the ramp at the first
 * breach. PostgreSQL holds everything a look needs, so a restarted worker (or
 * one whose Redis was flushed) picks up where the last look was. One ramp's
 * failure does not stop the others.
 */
export async function watchGuardsOnce(pool: Pool, logger: Logger, now: () => Date = () => new Date()): Promise<GuardRound> {
  const ramps = await listWatchedRamps(pool, PENDING_RAMP_STATUSES);
  const round: GuardRound = { watchedRamps: ramps.length, breaches: [], figures: [] };
  for (const ramp of ramps) {
    try {
      const judged = await judgeRampGuards(pool, ramp);
      const at = now();
      const breached = judged.find(({ figures }) => figures.decision === 'breach');
      for (const { guard, figures } of judged) {
        round.figures.push({ planId: ramp.id, environment: ramp.environment, guard, figures });
        if (guard !== breached?.guard) await recordGuardFigures(pool, ramp.id, guard.position, figures, at);
      }
      if (breached) {
        const breach = await stopRampOnBreach(pool, ramp, breached.guard, breached.figures, at);
        if (breach) round.breaches.push(breach);
      }
    } catch (error) {
      logger.error({ err: error, planId: ramp.id }, 'could not check the guards of a ramp; retrying on the next look');
    }
  }
  return round;
}

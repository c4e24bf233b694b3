import { DateTime, Duration } from 'luxon';
import { ValidationError } from '../../errors.js';
import type { CreateRamp } from '../../schemas/ramps.js';

/** How far ahead a ramp may reach: further is a typo, and keeps every time well inside PostgreSQL's range. */
export const MAX_RAMP_HORIZON_DAYS = 366;

export interface PlannedStep {
  rollout: number;
  /** ISO 8601, UTC. */
  plannedAt: string;
}

interface Problem {
  in: 'body';
  path: string[];
  message: string;
}

function rolloutsFromTo(from: number, to: number, step: number): number[] {
  const rollouts: number[] = [];
  for (let rollout = from; rollout < to; rollout += step) rollouts.push(rollout);
  rollouts.push(to);
  return rollouts;
}

/**
 * Turns a validated create body into its steps, checking what depends on the
 * clock: explicit times in the future, `startAt` not in the past, the last
 * step within the horizon. `now` is injected so tests can fix it.
 */
export function planRampSteps(body: CreateRamp, now: Date): PlannedStep[] {
  const problems: Problem[] = [];
  const horizon = now.getTime() + MAX_RAMP_HORIZON_DAYS * 24 * 3600 * 1000;
  let steps: PlannedStep[];
  if (body.steps) {
    steps = body.steps.map((step, index) => {
      const at = Date.parse(step.at);
      if (at <= now.getTime()) {
        problems.push({ in: 'body', path: ['steps', String(index), 'at'], message: `must be in the future (now is ${now.toISOString()})` });
      } else if (at > horizon) {
        problems.push({ in: 'body', path: ['steps', String(index), 'at'], message: `must be within ${MAX_RAMP_HORIZON_DAYS} days` });
      }
      return { rollout: step.rollout, plannedAt: new Date(at).toISOString() };
    });
  } else {
    // The schema guarantees the generated form is complete when steps is absent.
    const { from, to, step, every } = body as Required<Pick<CreateRamp, 'from' | 'to' | 'step' | 'every'>>;
    const start = body.startAt ? DateTime.fromISO(body.startAt, { setZone: true }) : DateTime.fromJSDate(now);
    if (start.toMillis() < now.getTime()) {
      problems.push({ in: 'body', path: ['startAt'], message: `must not be in the past (now is ${now.toISOString()})` });
    }
    const interval = Duration.fromISO(every);
    // Calendar units (P1D across a DST change, P1M) add as calendar time, in UTC.
    steps = rolloutsFromTo(from, to, step).map((rollout, index) => ({
      rollout,
      plannedAt: start.toUTC().plus(interval.mapUnits((value) => value * index)).toJSDate().toISOString(),
    }));
    const last = steps[steps.length - 1]!;
    if (Date.parse(last.plannedAt) > horizon) {
      problems.push({ in: 'body', path: ['every'], message: `the ramp must end within ${MAX_RAMP_HORIZON_DAYS} days; this one ends at ${last.plannedAt}` });
    }
  }
  if (problems.length > 0) {
    throw new ValidationError(
      `invalid body: ${problems.map((problem) => `${['body', ...problem.path].join('.')}: ${problem.message}`).join('; ')}`,
      problems,
    );
  }
  return steps;
}

export interface ScheduledStep {
  position: number;
  plannedAt: string;
}

/**
 * Re-plans the steps a paused ramp has left (ordered by position) for a resume
 * at `now`: the wait that remained before the next step when the ramp stopped
 * is kept (none if it was already due), and so is the spacing of every later step.
 */
export function replanRemainingSteps(remaining: ScheduledStep[], stoppedAt: Date, now: Date): ScheduledStep[] {
  const first = remaining[0];
  if (!first) return [];
  const remainingWait = Math.max(0, Date.parse(first.plannedAt) - stoppedAt.getTime());
  const shift = now.getTime() + remainingWait - Date.parse(first.plannedAt);
  return remaining.map((step) => ({
    position: step.position,
    plannedAt: new Date(Date.parse(step.plannedAt) + shift).toISOString(),
  }));
}

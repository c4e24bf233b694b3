import t from 'tap';
import { MAX_RAMP_HORIZON_DAYS, planRampSteps, replanRemainingSteps } from '../../shared/domain/ramps/plan-steps.js';
import { ValidationError } from '../../shared/errors.js';
import { CreateRampSchema } from '../../shared/schemas/ramps.js';

// The clock is injected: every "now" below is fixed.
const now = new Date('2030-01-15T10:00:00.000Z');
const parse = (body: unknown) => CreateRampSchema.parse(body);

/** The ValidationError that `plan` throws (fails the test when it throws nothing). */
function refusal(plan: () => unknown): ValidationError {
  try {
    plan();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

t.test('from/to/step/every: rollouts rise by step, the last capped at to, times every interval from now', async (t) => {
  const steps = planRampSteps(parse({ from: 5, to: 100, step: 5, every: 'PT1H' }), now);
  t.equal(steps.length, 20);
  t.same(steps[0], { rollout: 5, plannedAt: '2030-01-15T10:00:00.000Z' });
  t.same(steps[1], { rollout: 10, plannedAt: '2030-01-15T11:00:00.000Z' });
  t.same(steps[19], { rollout: 100, plannedAt: '2030-01-16T05:00:00.000Z' });
  t.same(planRampSteps(parse({ from: 10, to: 25, step: 10, every: 'PT30M' }), now).map((step) => step.rollout), [10, 20, 25]);
});

t.test('calendar and fractional durations, and startAt with an offset', async (t) => {
  const monthly = planRampSteps(parse({ from: 10, to: 30, step: 10, every: 'P1M', startAt: '2030-01-31T00:00:00Z' }), now);
  t.same(monthly.map((step) => step.plannedAt), ['2030-01-31T00:00:00.000Z', '2030-02-28T00:00:00.000Z', '2030-03-31T00:00:00.000Z']);
  const quick = planRampSteps(parse({ from: 1, to: 4, step: 1, every: 'PT0.5S' }), now);
  t.same(quick.map((step) => Date.parse(step.plannedAt) - now.getTime()), [0, 500, 1000, 1500]);
  const offset = planRampSteps(parse({ from: 10, to: 20, step: 10, every: 'PT1H', startAt: '2030-01-15T12:00:00+02:00' }), now);
  t.equal(offset[0]!.plannedAt, '2030-01-15T10:00:00.000Z', 'normalised to UTC');
});

t.test('clock checks: the past and beyond the horizon are refused, naming the field', async (t) => {
  const past = () => planRampSteps(parse({ steps: [{ rollout: 10, at: '2030-01-15T09:59:59Z' }, { rollout: 20, at: '2030-01-15T11:00:00Z' }] }), now);
  t.match(refusal(past).details, [{ in: 'body', path: ['steps', '0', 'at'], message: /in the future/ }]);
  t.throws(() => planRampSteps(parse({ steps: [{ rollout: 10, at: now.toISOString() }] }), now), ValidationError, 'now is not the future');
  const pastStart = refusal(() => planRampSteps(parse({ from: 10, to: 20, step: 10, every: 'PT1H', startAt: '2030-01-15T09:00:00Z' }), now));
  t.match(pastStart.details, [{ path: ['startAt'] }]);
  const horizon = new Date(now.getTime() + MAX_RAMP_HORIZON_DAYS * 24 * 3600 * 1000).toISOString();
  t.same(planRampSteps(parse({ steps: [{ rollout: 10, at: horizon }] }), now), [{ rollout: 10, plannedAt: horizon }], 'the horizon itself is fine');
  t.match(refusal(() => planRampSteps(parse({ from: 0, to: 10, step: 1, every: 'P40D' }), now)).details, [{ path: ['every'] }]);
});

t.test('resume re-planning keeps the wait that was left and the spacing', async (t) => {
  const remaining = [
    { position: 2, plannedAt: '2030-01-15T10:20:00.000Z' },
    { position: 3, plannedAt: '2030-01-15T11:20:00.000Z' },
    { position: 4, plannedAt: '2030-01-15T12:20:00.000Z' },
  ];
  const stoppedAt = new Date('2030-01-15T10:00:00.000Z');
  t.same(replanRemainingSteps(remaining, stoppedAt, new Date('2030-01-15T15:00:00.000Z')), [
    { position: 2, plannedAt: '2030-01-15T15:20:00.000Z' },
    { position: 3, plannedAt: '2030-01-15T16:20:00.000Z' },
    { position: 4, plannedAt: '2030-01-15T17:20:00.000Z' },
  ]);
  const overdueWhenPaused = new Date('2030-01-15T10:30:00.000Z');
  t.same(
    replanRemainingSteps(remaining, overdueWhenPaused, new Date('2030-01-15T15:00:00.000Z')).map((step) => step.plannedAt),
    ['2030-01-15T15:00:00.000Z', '2030-01-15T16:00:00.000Z', '2030-01-15T17:00:00.000Z'],
    'a step already due when paused is due at once on resume',
  );
  t.same(replanRemainingSteps([], stoppedAt, now), []);
});

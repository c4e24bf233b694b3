import t from 'tap';
import { Redis } from 'ioredis';
import { advanceRampStep } from '../../services/worker/ramps/advance-ramp.js';
import { RAMP_STEP_JOB_NAME, bullPrefix, rampStepJobId } from '../../shared/domain/ramps/ramp-queue.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { rampClient, type RampStep } from '../helpers/ramps.js';
import { REDIS_URL, deleteRedisKeys } from '../helpers/redis.js';
import { flagEvents, openTestRampQueue, startTestWorker, waitFor, waitForTimerDone } from '../helpers/worker.js';

const env = await createTestEnvironment(t, 'worker-recovery');
const { request } = await startTestApi(t, env);
// The reconciler runs at start and then only when a test asks (reconcileNow).
const worker = await startTestWorker(t, env, { reconcileEveryMs: 3_600_000 });
const queue = openTestRampQueue(t, env);
const admin = env.adminSecret;
const { createFlag, scheduleRamp, readRamp } = rampClient(request, admin);

async function rampRollouts(flag: string, rampId: string): Promise<(number | null)[]> {
  return (await flagEvents(env, flag, 'prod')).filter((event) => event.actor.type === 'ramp' && event.actor.id === rampId).map((event) => event.after.rollout);
}

/** Job hashes of this installation's ramp queue still in Redis (a running worker re-creates its bookkeeping keys at once). */
async function bullJobKeys(): Promise<string[]> {
  const redis = new Redis(REDIS_URL);
  try {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${bullPrefix(env.config.redisPrefix)}:*:ramp-*`, 'COUNT', 500);
      cursor = next;
      found.push(...keys);
    } while (cursor !== '0');
    return found;
  } finally {
    redis.disconnect();
  }
}

const sleepUntil = (at: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));

t.test('Redis flushed mid-ramp: nothing moves until the reconciler, which applies the overdue step and re-creates the timer', async (t) => {
  await createFlag('flushed');
  const ramp = await scheduleRamp('flushed', [[10, 1000], [20, 3500], [30, 5500], [40, 5800]]);
  await waitFor('step 0 applied and the timer of step 1 queued', async () =>
    (await readRamp(ramp.id)).currentStep === 1 && (await queue.getJob(rampStepJobId({ planId: ramp.id, revision: 0, position: 1 }))) !== undefined,
  );

  await deleteRedisKeys(env.config.redisPrefix);
  t.equal(await queue.getJob(rampStepJobId({ planId: ramp.id, revision: 0, position: 1 })), undefined, 'the timer of step 1 is gone');
  t.same(await bullJobKeys(), [], 'and so is every job of this installation');
  await sleepUntil(Date.parse(ramp.steps[1]!.plannedAt) + 200);
  t.equal((await readRamp(ramp.id)).currentStep, 1, 'with its timer lost, step 1 waits');

  const report = await worker.reconcileNow();
  t.equal(report.appliedSteps, 1, 'the reconciler applies the overdue step at once');
  t.equal(report.requeuedTimers, 1, 'and re-creates the timer of the next one');
  t.same(await rampRollouts('flushed', ramp.id), [10, 20]);

  await waitFor('the ramp to complete', async () => (await readRamp(ramp.id)).status === 'completed');
  t.same(await rampRollouts('flushed', ramp.id), [10, 20, 30, 40], 'every step once, in order');
});

t.test('overdue steps are applied at once, in order, by one reconciler round', async (t) => {
  await createFlag('overdue');
  const ramp = await scheduleRamp('overdue', [[10, 1000], [20, 1100], [30, 1200]]);
  await queue.remove(rampStepJobId({ planId: ramp.id, revision: 0, position: 0 }));
  await sleepUntil(Date.parse(ramp.steps[2]!.plannedAt) + 50);
  t.equal((await readRamp(ramp.id)).currentStep, 0, 'no timer, no step');

  const report = await worker.reconcileNow();
  t.equal(report.appliedSteps, 3);
  t.equal(report.requeuedTimers, 0, 'nothing left to time');
  const done = await readRamp(ramp.id);
  t.equal(done.status, 'completed');
  t.same(await rampRollouts('overdue', ramp.id), [10, 20, 30]);
  const applied = done.steps.map((step: RampStep) => Date.parse(step.appliedAt!));
  t.ok(applied[0] < applied[1] && applied[1] < applied[2], 'applied in order');
});

t.test('the same step delivered twice at once: one applies, the other does nothing', async (t) => {
  await createFlag('twice');
  const ramp = await scheduleRamp('twice', [[10, 60_000], [20, 120_000]]);
  // Take the timer away: this test delivers the step itself, with a clock set to its planned time.
  await queue.remove(rampStepJobId({ planId: ramp.id, revision: 0, position: 0 }));
  const job = { planId: ramp.id, revision: 0, position: 0 };
  const plannedAt = new Date(ramp.steps[0]!.plannedAt);

  const early = await advanceRampStep(env.pool, job, new Date(plannedAt.getTime() - 1));
  t.same(early, { kind: 'not-due', plannedAt: ramp.steps[0]!.plannedAt }, 'a timer firing early changes nothing');
  t.same(await rampRollouts('twice', ramp.id), []);

  const outcomes = await Promise.all([advanceRampStep(env.pool, job, plannedAt), advanceRampStep(env.pool, job, plannedAt)]);
  t.same(outcomes.map((outcome) => outcome.kind).sort(), ['applied', 'skipped']);
  const again = await advanceRampStep(env.pool, job, plannedAt);
  t.match(again, { kind: 'skipped', next: { position: 1 } }, 'a late redelivery points at the real next step');
  t.same(await rampRollouts('twice', ramp.id), [10], 'one change');
  t.equal((await readRamp(ramp.id)).currentStep, 1);

  const stale = await advanceRampStep(env.pool, { ...job, position: 1, revision: 5 }, new Date(ramp.steps[1]!.plannedAt));
  t.match(stale, { kind: 'skipped' }, 'a job of another revision does nothing');
  t.same(await rampRollouts('twice', ramp.id), [10]);
});

t.test('the same step queued twice in BullMQ (a duplicate delivery): one change', async (t) => {
  await createFlag('duplicated');
  const ramp = await scheduleRamp('duplicated', [[10, 1500], [20, 60_000]]);
  const job = { planId: ramp.id, revision: 0, position: 0 };
  await queue.add(RAMP_STEP_JOB_NAME, job, { jobId: 'duplicate-delivery-of-step-0', delay: Math.max(0, Date.parse(ramp.steps[0]!.plannedAt) - Date.now()) });
  await queue.add(RAMP_STEP_JOB_NAME, job, { jobId: rampStepJobId(job), delay: 0 });
  t.equal((await queue.getDelayed()).filter((queued) => queued.data.planId === ramp.id).length, 2, 'two timers for one step (the second add of the deterministic id kept one)');

  await waitForTimerDone(queue, job);
  await waitFor('the duplicate to run', async () => (await queue.getJob('duplicate-delivery-of-step-0')) === undefined);
  t.same(await rampRollouts('duplicated', ramp.id), [10], 'one change');
  t.equal((await readRamp(ramp.id)).currentStep, 1);
  t.ok(await queue.getJob(rampStepJobId({ ...job, position: 1 })), 'the next step is timed once');
});

t.test('a timer that fires before its step is due goes back to wait, and the step applies at its time, once', async (t) => {
  await createFlag('early');
  const ramp = await scheduleRamp('early', [[10, 1500], [20, 60_000]]);
  const job = { planId: ramp.id, revision: 0, position: 0 };
  await queue.add(RAMP_STEP_JOB_NAME, job, { jobId: 'fires-at-once', delay: 0 });
  await waitFor('the early timer to be sent back to wait', async () => (await queue.getJob('fires-at-once'))?.isDelayed());
  t.equal((await readRamp(ramp.id)).currentStep, 0, 'nothing applied early');

  await waitFor('the early timer to run again', async () => (await queue.getJob('fires-at-once')) === undefined);
  const done = await readRamp(ramp.id);
  t.equal(done.currentStep, 1);
  t.ok(Date.parse(done.steps[0].appliedAt) >= Date.parse(done.steps[0].plannedAt), 'applied at or after its planned time');
  t.same(await rampRollouts('early', ramp.id), [10], 'one change');
});

import t from 'tap';
import { rampStepJobId } from '../../shared/domain/ramps/ramp-queue.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { rampClient, type RampStep } from '../helpers/ramps.js';
import { flagEvents, openTestRampQueue, spawnWorkerProcess, waitFor } from '../helpers/worker.js';

const env = await createTestEnvironment(t, 'worker-crash');
const { request } = await startTestApi(t, env);
const queue = openTestRampQueue(t, env);
const admin = env.adminSecret;
const { createFlag, scheduleRamp, readRamp } = rampClient(request, admin);
const CRASHING_WORKER = 'test/worker/fixtures/crashing-worker.ts';

async function rampRollouts(flag: string, rampId: string): Promise<(number | null)[]> {
  return (await flagEvents(env, flag, 'prod')).filter((event) => event.actor.type === 'ramp' && event.actor.id === rampId).map((event) => event.after.rollout);
}

t.test('worker SIGKILLed right after a step committed, then restarted: no step twice, none skipped', async (t) => {
  await createFlag('crashy');
  // Short BullMQ locks, so the killed worker's job is handed out again within the test.
  const first = await spawnWorkerProcess(t, env, CRASHING_WORKER, { CRASH_AFTER_POSITION: '1', JOB_LOCK_MS: '1500' });
  const { id: rampId } = await scheduleRamp('crashy', [[10, 1000], [20, 1500], [30, 2000], [40, 2500]]);

  t.equal(await first.exited, 'SIGKILL', 'the worker died');
  const atCrash = await readRamp(rampId);
  t.match(atCrash, { status: 'running', currentStep: 2 }, 'step 1 committed before the kill');
  t.same(atCrash.steps.map((step: { appliedAt: string | null }) => step.appliedAt !== null), [true, true, false, false]);
  t.same(await rampRollouts('crashy', rampId), [10, 20]);
  t.equal(await queue.getJob(rampStepJobId({ planId: rampId, revision: 0, position: 2 })), undefined, 'it died before timing step 2');
  const orphan = await queue.getJob(rampStepJobId({ planId: rampId, revision: 0, position: 1 }));
  t.equal(await orphan?.getState(), 'active', "step 1's job is left locked by the dead worker");

  const second = await spawnWorkerProcess(t, env, CRASHING_WORKER, { JOB_LOCK_MS: '1500' });
  await waitFor('the ramp to complete after the restart', async () => (await readRamp(rampId)).status === 'completed');
  await waitFor("the dead worker's job to be redelivered and finish", async () =>
    (await queue.getJob(rampStepJobId({ planId: rampId, revision: 0, position: 1 }))) === undefined,
  );
  t.same(await rampRollouts('crashy', rampId), [10, 20, 30, 40], 'every step exactly once, in order');
  const done = await readRamp(rampId);
  t.ok(done.steps.every((step: { appliedAt: string | null }) => step.appliedAt !== null));
  t.same(
    second.logs.filter((line) => line.planId === rampId && line.msg.startsWith('applied')).map((line) => line.position),
    [2, 3],
    'the restarted worker applied exactly the steps left',
  );

  t.equal(await second.kill('SIGTERM'), 0, 'SIGTERM: a clean exit');
});

t.test('npm run start:worker: the entry point runs the worker alone and stops cleanly on SIGTERM', async (t) => {
  await createFlag('standalone');
  const worker = await spawnWorkerProcess(t, env);
  const { id: rampId } = await scheduleRamp('standalone', [[50, 1000], [100, 1300]]);
  await waitFor('the ramp to complete', async () => (await readRamp(rampId)).status === 'completed');
  t.same(await rampRollouts('standalone', rampId), [50, 100]);
  t.ok(worker.logs.some((line) => line.planId === rampId && line.msg === 'applied the last ramp step: ramp completed'));

  t.equal(await worker.kill('SIGTERM'), 0, 'exit code 0');
  t.ok(worker.logs.some((line) => line.msg === 'stopped'));
});

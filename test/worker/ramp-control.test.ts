import t from 'tap';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { rampClient, type RampStep } from '../helpers/ramps.js';
import type { HttpResponse } from '../helpers/http.js';
import { flagEvents, openTestRampQueue, startTestWorker, waitFor, waitForTimerDone } from '../helpers/worker.js';
import { actorLabel } from '../../shared/domain/people/actors.js';

const env = await createTestEnvironment(t, 'worker-control');
const { request } = await startTestApi(t, env);
await startTestWorker(t, env);
const queue = openTestRampQueue(t, env);
const admin = env.adminSecret;
const { createFlag, scheduleRamp, readRamp } = rampClient(request, admin);
const ADMIN_ACTOR = 'token:FLAGSHIP_ADMIN_TOKEN';

function said(response: HttpResponse, status: number): string {
  return response.status === status ? `answered ${status}` : `answered ${response.status}: ${response.text}`;
}

async function waitForStep(id: string, applied: number) {
  return waitFor(`ramp ${id} to apply ${applied} step(s)`, async () => {
    const ramp = await readRamp(id);
    return ramp.currentStep >= applied && ramp;
  });
}

async function rolloutOf(flag: string): Promise<number> {
  return (await request('GET', `/v1/flags/${flag}/environments/prod`, { token: admin })).body.rollout;
}

t.test('pause stops the ramp; resume re-plans the rest from now, keeping the spacing; it then completes', async (t) => {
  await createFlag('pausable');
  const ramp = await scheduleRamp('pausable', [[10, 1000], [20, 3000], [30, 3300]]);
  await waitForStep(ramp.id, 1);

  const paused = await request('POST', `/v1/rollouts/${ramp.id}/pause`, { token: admin, body: { reason: 'checking metrics' } });
  t.equal(paused.status, 200, said(paused, 200));
  t.match(paused.body, { status: 'paused', currentStep: 1, stopReason: 'checking metrics', stoppedBy: ADMIN_ACTOR });
  const stoppedAt = Date.parse(paused.body.stoppedAt);

  // The timer of step 1 fires while paused and must do nothing.
  await waitForTimerDone(queue, { planId: ramp.id, revision: 0, position: 1 });
  t.equal(await rolloutOf('pausable'), 10, 'no step while paused');
  t.equal((await readRamp(ramp.id)).steps[1].appliedAt, null);

  const again = await request('POST', `/v1/rollouts/${ramp.id}/pause`, { token: admin });
  t.equal(again.status, 409, 'pausing a paused ramp is a conflict');

  const before = (await readRamp(ramp.id)).steps as RampStep[];
  const resumeAsked = Date.now();
  const resumed = await request('POST', `/v1/rollouts/${ramp.id}/resume`, { token: admin });
  const resumeAnswered = Date.now();
  t.equal(resumed.status, 200, said(resumed, 200));
  t.match(resumed.body, { status: 'running', currentStep: 1, stopReason: null, stoppedBy: null, stoppedAt: null });
  const after = resumed.body.steps as RampStep[];
  t.equal(after[0]!.plannedAt, before[0]!.plannedAt, 'an applied step keeps its time');
  const shift = Date.parse(after[1]!.plannedAt) - Date.parse(before[1]!.plannedAt);
  t.equal(Date.parse(after[2]!.plannedAt) - Date.parse(before[2]!.plannedAt), shift, 'every remaining step moves by the same amount');
  const remainingWait = Date.parse(before[1]!.plannedAt) - stoppedAt;
  t.ok(Date.parse(after[1]!.plannedAt) >= resumeAsked + remainingWait, 'the wait left at pause is kept');
  t.ok(Date.parse(after[1]!.plannedAt) <= resumeAnswered + remainingWait, 'and counts from the resume');

  const done = await waitFor('the resumed ramp to complete', async () => {
    const current = await readRamp(ramp.id);
    return current.status === 'completed' && current;
  });
  t.ok(done.steps.every((step: RampStep) => step.appliedAt !== null));
  const events = (await flagEvents(env, 'pausable', 'prod')).filter((event) => event.actor.type === 'ramp' && event.actor.id === ramp.id);
  t.same(events.map((event) => event.after.rollout), [10, 20, 30], 'each step once, in order');

  const resumeDone = await request('POST', `/v1/rollouts/${ramp.id}/resume`, { token: admin });
  t.equal(resumeDone.status, 409, 'a completed ramp cannot be resumed');
});

t.test('cancel stops the ramp for good and frees the flag for a new ramp', async (t) => {
  await createFlag('cancellable');
  const ramp = await scheduleRamp('cancellable', [[10, 1000], [60, 2500]]);
  await waitForStep(ramp.id, 1);

  const cancelled = await request('POST', `/v1/rollouts/${ramp.id}/cancel`, { token: admin });
  t.equal(cancelled.status, 200, said(cancelled, 200));
  t.match(cancelled.body, { status: 'cancelled', stopReason: `cancelled by ${ADMIN_ACTOR}`, stoppedBy: ADMIN_ACTOR });

  await waitForTimerDone(queue, { planId: ramp.id, revision: 0, position: 1 });
  t.equal(await rolloutOf('cancellable'), 10, 'the step after the cancel never applies; applied ones stay');
  t.match(await readRamp(ramp.id), { status: 'cancelled', currentStep: 1 });

  for (const action of ['cancel', 'pause', 'resume']) {
    const refused = await request('POST', `/v1/rollouts/${ramp.id}/${action}`, { token: admin });
    t.equal(refused.status, 409, `${action} of a cancelled ramp: 409`);
  }
  const next = await request('POST', '/v1/flags/cancellable/environments/prod/rollouts', {
    token: admin,
    body: { steps: [{ rollout: 80, at: new Date(Date.now() + 60_000).toISOString() }] },
  });
  t.equal(next.status, 201, said(next, 201));
  const cleanup = await request('POST', `/v1/rollouts/${next.body.id}/cancel`, { token: admin, body: { reason: 'test done' } });
  t.equal(cleanup.body.stopReason, 'test done');
});

t.test('a manual change of the rollout pauses the ramp, saying why; other changes do not', async (t) => {
  await createFlag('manual');
  const ramp = await scheduleRamp('manual', [[10, 1000], [20, 3000], [30, 3300]]);
  await waitForStep(ramp.id, 1);

  const disabled = await request('PATCH', '/v1/flags/manual/environments/prod', { token: admin, body: { enabled: false } });
  t.equal(disabled.status, 200, said(disabled, 200));
  t.equal((await readRamp(ramp.id)).status, 'running', 'switching the flag off leaves the ramp running');

  const stale = await request('PATCH', '/v1/flags/manual/environments/prod', {
    token: admin,
    body: { rollout: 40 },
    headers: { 'if-match': '"1"' },
  });
  t.equal(stale.status, 412, 'a refused change...');
  t.equal((await readRamp(ramp.id)).status, 'running', '...pauses nothing (same transaction)');

  const manual = await request('PATCH', '/v1/flags/manual/environments/prod', { token: admin, body: { rollout: 40 } });
  t.equal(manual.status, 200, said(manual, 200));
  const paused = await readRamp(ramp.id);
  t.match(paused, { status: 'paused', currentStep: 1, stoppedBy: ADMIN_ACTOR });
  t.match(paused.stopReason, /manual change of the rollout from 10% to 40%/);

  await waitForTimerDone(queue, { planId: ramp.id, revision: 0, position: 1 });
  t.equal(await rolloutOf('manual'), 40, 'the manual value stays: the ramp no longer moves it');
  const events = await flagEvents(env, 'manual', 'prod');
  t.same(
    events.slice(1).map((event) => [actorLabel(event.actor), event.after.rollout]),
    [[`rollout:${ramp.id}`, 10], [ADMIN_ACTOR, 10], [ADMIN_ACTOR, 40]],
  );

  const second = await request('POST', '/v1/flags/manual/environments/prod/rollouts', {
    token: admin,
    body: { steps: [{ rollout: 90, at: new Date(Date.now() + 60_000).toISOString() }] },
  });
  t.equal(second.status, 409, 'a paused ramp still holds the flag');
  t.equal(second.body.error.details.activeRampId, ramp.id);
});

t.test('archiving the flag under a ramp cancels the ramp at once', async (t) => {
  await createFlag('doomed');
  const ramp = await scheduleRamp('doomed', [[10, 1000], [20, 2500]]);
  await waitForStep(ramp.id, 1);
  const archived = await request('DELETE', '/v1/flags/doomed', { token: admin });
  t.equal(archived.status, 200, said(archived, 200));
  // Cancelled in the archive's own transaction, not when its next timer fires.
  const cancelled = await readRamp(ramp.id);
  t.match(cancelled, { status: 'cancelled', stopReason: "flag 'doomed' was archived", currentStep: 1 });
  t.not(cancelled.stoppedBy, `rollout:${ramp.id}`, 'stopped by the archive, not by the ramp itself');
  const rampEvents = (await flagEvents(env, 'doomed', 'prod')).filter((event) => event.actor.type === 'ramp' && event.actor.id === ramp.id);
  t.equal(rampEvents.length, 1, 'only the step before the archive');
});

import t from 'tap';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { rampClient } from '../helpers/ramps.js';

/*
 * Ramps that do what they say: one whose first step is below the current
 * rollout is refused unless the request says it means it; archiving a flag
 * cancels its ramps at once; GET /v1/rollouts lists them.
 */

const env = await createTestEnvironment(t, 'ramp-rules');
const { request } = await startTestApi(t, env);
const admin = env.adminSecret;
const ramps = rampClient(request, admin);
const HOUR = 3_600_000;
const future = (offset: number) => new Date(Date.now() + offset).toISOString();

async function rolloutOf(flag: string): Promise<number> {
  return (await request('GET', `/v1/flags/${flag}/environments/prod`, { token: admin })).body.rollout;
}

t.test('a ramp starting below the current rollout is a 400 that says so, unless allowDecrease', async (t) => {
  await ramps.createFlag('checkout');
  t.equal((await request('PATCH', '/v1/flags/checkout/environments/prod', { token: admin, body: { rollout: 50 } })).status, 200);

  const generated = await request('POST', '/v1/flags/checkout/environments/prod/rollouts', {
    token: admin,
    body: { from: 5, to: 100, step: 5, every: 'PT1H', startAt: future(HOUR) },
  });
  t.equal(generated.status, 400);
  t.match(generated.body.error.message, /below the current rollout \(50%\).*allowDecrease/);
  t.match(generated.body.error.details, [{ path: ['from'] }]);

  const explicit = await request('POST', '/v1/flags/checkout/environments/prod/rollouts', {
    token: admin,
    body: { steps: [{ rollout: 10, at: future(HOUR) }, { rollout: 60, at: future(2 * HOUR) }] },
  });
  t.equal(explicit.status, 400);
  t.match(explicit.body.error.details, [{ path: ['steps', '0', 'rollout'] }]);
  t.equal(await rolloutOf('checkout'), 50, 'nothing changed');

  const atOrAbove = await request('POST', '/v1/flags/checkout/environments/prod/rollouts', {
    token: admin,
    body: { from: 50, to: 100, step: 25, every: 'PT1H', startAt: future(HOUR) },
  });
  t.equal(atOrAbove.status, 201, 'starting at the current rollout is fine');
  t.equal((await request('POST', `/v1/rollouts/${atOrAbove.body.id}/cancel`, { token: admin, body: {} })).status, 200);

  const meant = await request('POST', '/v1/flags/checkout/environments/prod/rollouts', {
    token: admin,
    body: { from: 5, to: 100, step: 5, every: 'PT1H', startAt: future(HOUR), allowDecrease: true },
  });
  t.equal(meant.status, 201, 'allowDecrease: true says it is meant');
});

t.test('archiving a flag cancels its active ramps at once', async (t) => {
  await ramps.createFlag('retiring');
  const ramp = await ramps.scheduleRamp('retiring', [[10, 24 * HOUR], [20, 48 * HOUR]]);
  t.equal((await request('DELETE', '/v1/flags/retiring', { token: admin })).status, 200);
  const after = await ramps.readRamp(ramp.id);
  t.equal(after.status, 'cancelled');
  t.match(after.stopReason, /archived/);
  t.type(after.stoppedAt, 'string');
});

t.test('GET /v1/rollouts lists ramps by flag, environment and status, a page at a time', async (t) => {
  await ramps.createFlag('listed_a');
  await ramps.createFlag('listed_b');
  const a = await ramps.scheduleRamp('listed_a', [[10, HOUR]]);
  const b = await ramps.scheduleRamp('listed_b', [[10, HOUR]]);
  t.equal((await request('POST', `/v1/rollouts/${b.id}/pause`, { token: admin, body: {} })).status, 200);

  const byFlag = await request('GET', '/v1/rollouts?flag=listed_a', { token: admin });
  t.equal(byFlag.status, 200);
  t.same(byFlag.body.ramps.map((ramp: { id: string }) => ramp.id), [a.id]);
  const paused = await request('GET', '/v1/rollouts?status=paused&environment=prod', { token: admin });
  t.same(paused.body.ramps.map((ramp: { id: string }) => ramp.id), [b.id]);
  t.match(paused.body.ramps[0], { flag: 'listed_b', environment: 'prod', status: 'paused', steps: [{ rollout: 10 }] });
  t.same((await request('GET', '/v1/rollouts?environment=dev', { token: admin })).body.ramps, []);

  const everything = (await request('GET', '/v1/rollouts?limit=200', { token: admin })).body.ramps.map((ramp: { id: string }) => ramp.id);
  t.ok(everything.length >= 5);
  const walked: string[] = [];
  let after: string | null = null;
  do {
    const page: { body: { ramps: Array<{ id: string }>; nextAfter: string | null } } = await request(
      'GET',
      `/v1/rollouts?limit=2${after ? `&after=${after}` : ''}`,
      { token: admin },
    );
    walked.push(...page.body.ramps.map((ramp) => ramp.id));
    after = page.body.nextAfter;
  } while (after !== null);
  t.same(walked, everything, 'pages walk every ramp once, newest first');

  t.equal((await request('GET', '/v1/rollouts?flag=ghost', { token: admin })).status, 404);
  const badStatus = await request('GET', '/v1/rollouts?status=sleeping', { token: admin });
  t.equal(badStatus.status, 400);
  t.match(badStatus.body.error.message, /status/);
});

import t from 'tap';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { rampClient } from '../helpers/ramps.js';
import { startTestWorker, waitFor } from '../helpers/worker.js';

const env = await createTestEnvironment(t, 'worker-ramp-strategy');
const { request } = await startTestApi(t, env);
await startTestWorker(t, env);
const admin = env.adminSecret;
const { createFlag, readRamp } = rampClient(request, admin);

/** Two strategies: acme staff at 100%, then everyone else at `rollout` (the one a ramp drives). */
async function targetedState(key: string, rollout: number) {
  const put = await request('PUT', `/v1/flags/${key}/environments/prod`, {
    token: admin,
    body: {
      enabled: true,
      strategies: [
        {
          id: 'staff',
          name: 'flexibleRollout',
          parameters: { rollout: '100', stickiness: 'default', groupId: key },
          constraints: [{ contextName: 'email', operator: 'STR_ENDS_WITH', values: ['@acme.com'] }],
        },
        { id: 'everyone', name: 'flexibleRollout', parameters: { rollout: String(rollout), stickiness: 'default', groupId: key } },
      ],
    },
  });
  if (put.status !== 200) throw new Error(`PUT ${key}: ${put.text}`);
  return put.body;
}

function stepsFromNow(rollouts: number[], spacingMs: number) {
  const now = Date.now();
  return rollouts.map((rollout, index) => ({ rollout, at: new Date(now + 2000 + index * spacingMs).toISOString() }));
}

const rolloutsOf = async (key: string) =>
  (await request('GET', `/v1/flags/${key}/environments/prod`, { token: admin })).body.strategies.map(
    (strategy: { parameters: { rollout: string } }) => strategy.parameters.rollout,
  );

t.test('a ramp on a state with several strategies must name one; it then drives that strategy alone', async (t) => {
  await createFlag('multi');
  await targetedState('multi', 0);
  const unnamed = await request('POST', '/v1/flags/multi/environments/prod/rollouts', { token: admin, body: { steps: stepsFromNow([10], 100) } });
  t.equal(unnamed.status, 400);
  t.match(unnamed.body.error, { message: /strategyId/, details: [{ path: ['strategyId'] }] });
  const wrong = await request('POST', '/v1/flags/multi/environments/prod/rollouts', {
    token: admin,
    body: { strategyId: 'nope', steps: stepsFromNow([10], 100) },
  });
  t.equal(wrong.status, 400);

  const created = await request('POST', '/v1/flags/multi/environments/prod/rollouts', {
    token: admin,
    body: { strategyId: 'everyone', steps: stepsFromNow([10, 40], 200) },
  });
  t.equal(created.status, 201, created.text);
  t.equal(created.body.strategyId, 'everyone');
  await waitFor('the ramp to complete', async () => (await readRamp(created.body.id)).status === 'completed');
  t.same(await rolloutsOf('multi'), ['100', '40'], 'only the named strategy moved');
});

t.test('the simple case needs no strategyId; a PUT that takes its rollout away pauses the ramp, saying why', async (t) => {
  await createFlag('simple');
  const created = await request('POST', '/v1/flags/simple/environments/prod/rollouts', {
    token: admin,
    body: { steps: stepsFromNow([10, 20], 60_000) },
  });
  t.equal(created.status, 201, created.text);
  t.equal(created.body.strategyId, null);
  await waitFor('the first step', async () => (await readRamp(created.body.id)).currentStep === 1);
  await targetedState('simple', 10);
  const paused = await readRamp(created.body.id);
  t.equal(paused.status, 'paused');
  t.match(paused.stopReason, /manual change of the configuration/);
});

t.test('a PUT that leaves the driven strategy alone does not pause its ramp', async (t) => {
  await createFlag('kept');
  await targetedState('kept', 0);
  const created = await request('POST', '/v1/flags/kept/environments/prod/rollouts', {
    token: admin,
    body: { strategyId: 'everyone', steps: stepsFromNow([10, 20], 60_000) },
  });
  await waitFor('the first step', async () => (await readRamp(created.body.id)).currentStep === 1);
  const state = (await request('GET', '/v1/flags/kept/environments/prod', { token: admin })).body;
  const staffOnly = await request('PATCH', '/v1/flags/kept/environments/prod', { token: admin, body: { rollout: 50, strategyId: 'staff' } });
  t.equal(staffOnly.status, 200);
  const put = await request('PUT', '/v1/flags/kept/environments/prod', {
    token: admin,
    body: { enabled: true, strategies: staffOnly.body.strategies, variants: [{ name: 'v', weight: 1000 }] },
  });
  t.equal(put.status, 200, put.text);
  t.equal((await readRamp(created.body.id)).status, 'running', 'moving another strategy, or adding variants, leaves the ramp running');
  t.ok(put.body.version > state.version);
});

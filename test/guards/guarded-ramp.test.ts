import t from 'tap';
import { FlagShipClient } from '../../packages/sdk/index.js';
import { createWorkerMetrics } from '../../services/worker/metrics.js';
import { findNextWebhookEvent } from '../../shared/domain/webhooks/webhook-events.js';
import { createMetricsRegistry } from '../../shared/metrics/registry.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { deleteRedisKeys } from '../helpers/redis.js';
import { startTestNotifier } from '../helpers/notifier.js';
import { createSdkToken } from '../helpers/tokens.js';
import { flagEvents, startTestWorker, waitFor } from '../helpers/worker.js';

// A fleet of 3,000 users on 6 SDK clients (as 6 app servers would be), each
// request evaluating two flags and failing 2% of the time, 6% for users who
// get `checkout` on: that flag triples the error rate. `search` changes
// nothing (the A/A ramp). Both ramp at once, guarded.
const env = await createTestEnvironment(t, 'guarded-ramp');
const api = await startTestApi(t, env);
const notifier = await startTestNotifier(t, env);
const { request } = api;
const admin = env.adminSecret;
const sdk = await createSdkToken(request, admin, 'prod');

t.test('a guard on ramp creation: a 400 naming the field', async (t) => {
  await request('POST', '/v1/flags', { token: admin, body: { key: 'shape', environments: { prod: { enabled: true, rollout: 0 } } } });
  const cases: Array<[unknown, RegExp]> = [
    [{ maxRatio: 1.5, action: 'pause' }, /body\.guards\.0\.event/],
    [{ event: 'exposure', maxRatio: 1.5, action: 'pause' }, /body\.guards\.0\.event/],
    [{ event: 'errors', maxRatio: 0.5, action: 'pause' }, /body\.guards\.0\.maxRatio/],
    [{ event: 'errors', maxRatio: '2', action: 'pause' }, /body\.guards\.0\.maxRatio/],
    [{ event: 'errors', maxRatio: 2, minExposures: 0, action: 'pause' }, /body\.guards\.0\.minExposures/],
    [{ event: 'errors', maxRatio: 2, action: 'undo' }, /body\.guards\.0\.action/],
    [{ event: 'errors', maxRatio: 2, action: 'pause', window: 5 }, /window/],
  ];
  for (const [guard, names] of cases) {
    const response = await request('POST', '/v1/flags/shape/environments/prod/rollouts', {
      token: admin,
      body: { from: 10, to: 50, step: 10, every: 'PT1H', guards: [guard] },
    });
    t.equal(response.status, 400);
    t.match(response.body.error.message, names);
  }
  const six = await request('POST', '/v1/flags/shape/environments/prod/rollouts', {
    token: admin,
    body: { from: 10, to: 50, step: 10, every: 'PT1H', guards: Array.from({ length: 6 }, () => ({ event: 'errors', maxRatio: 2, action: 'pause' })) },
  });
  t.equal(six.status, 400);
  t.match(six.body.error.message, /body\.guards/);
  t.equal((await request('GET', '/v1/rollouts?flag=shape', { token: admin })).body.ramps.length, 0, 'no ramp was stored');
});

t.test('the fleet: a flag that triples the error rate is rolled back within a minute; an A/A ramp completes', async (t) => {
  for (const key of ['checkout', 'search']) {
    const created = await request('POST', '/v1/flags', { token: admin, body: { key, environments: { prod: { enabled: true, rollout: 0 } } } });
    await notifier.relayed('prod', created.body.environments.prod.version);
  }
  const registry = createMetricsRegistry();
  const workerMetrics = createWorkerMetrics(registry);
  let worker = await startTestWorker(t, env, { guardEveryMs: 1000, metrics: workerMetrics });

  const clients = await Promise.all(
    Array.from({ length: 6 }, async (_, index) => {
      // A bound for a loaded machine (the default 5 s is an app's), not a speed requirement.
      const client = new FlagShipClient({ url: notifier.url, token: sdk.secret, readyTimeoutMs: 30_000, events: { url: api.url, appName: `web-${index}`, intervalMs: 1000 } });
      client.on('error', () => undefined);
      await client.ready();
      return client;
    }),
  );
  t.teardown(() => Promise.all(clients.map((client) => client.close())));
  // When each client first held checkout at rollout 0 after a ramp step: the rollback's arrival, on this machine's clock.
  const heldZeroAt: Array<number | undefined> = clients.map(() => undefined);
  let ramped = false;
  clients.forEach((client, index) =>
    client.on('change', (change) => {
      const rollout = change.flags.find((flag) => flag.key === 'checkout')?.rollout;
      if (rollout !== undefined && rollout !== null && rollout > 0) ramped = true;
      else if (rollout === 0 && ramped && heldZeroAt[index] === undefined) heldZeroAt[index] = Date.now();
    }),
  );

  let running = true;
  let random = 42;
  const next = () => {
    random = (random * 1103515245 + 12345) % 2147483648;
    return random / 2147483648;
  };
  // 150 requests every 50 ms: about 3,000 a second, spread over 3,000 users.
  const traffic = (async () => {
    while (running) {
      for (let i = 0; i < 150; i += 1) {
        const user = Math.floor(next() * 3000);
        const client = clients[user % clients.length]!;
        const context = { targetingKey: `user-${user}` };
        const checkout = client.isEnabled('checkout', context);
        client.isEnabled('search', context);
        if (next() < (checkout ? 0.06 : 0.02)) client.trackError(context);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  t.teardown(async () => {
    running = false;
    await traffic;
  });

  const guard = (action: 'rollback' | 'pause') => [{ event: 'errors', maxRatio: 1.5, minExposures: 500, action }];
  const started = Date.now();
  const [checkout, search] = await Promise.all([
    request('POST', '/v1/flags/checkout/environments/prod/rollouts', { token: admin, body: { from: 10, to: 50, step: 10, every: 'PT10S', guards: guard('rollback') } }),
    request('POST', '/v1/flags/search/environments/prod/rollouts', { token: admin, body: { from: 10, to: 50, step: 10, every: 'PT6S', guards: guard('pause') } }),
  ]);
  t.equal(checkout.status, 201, checkout.text);
  t.equal(search.status, 201, search.text);
  t.equal(checkout.body.startRollout, 0, 'the ramp records where it started');
  t.match(checkout.body.guards, [{ event: 'errors', maxRatio: 1.5, minExposures: 500, action: 'rollback', decision: 'pending' }]);

  // A worker restart while the ramps run, and the Redis keys gone: the guards go on from PostgreSQL.
  await waitFor('a first look at the guards', async () => (await request('GET', `/v1/rollouts/${search.body.id}`, { token: admin })).body.guards[0].evaluatedAt !== null);
  await worker.close();
  await deleteRedisKeys(env.config.redisPrefix);
  worker = await startTestWorker(t, env, { guardEveryMs: 1000, metrics: workerMetrics });

  const rolledBack = await waitFor(
    'the checkout ramp to be rolled back',
    async () => {
      const ramp = (await request('GET', `/v1/rollouts/${checkout.body.id}`, { token: admin })).body;
      return ramp.status === 'rolled_back' && ramp;
    },
    60_000,
  );
  t.comment(`rolled back ${((Date.now() - started) / 1000).toFixed(1)} s after the ramp was created: ${rolledBack.stopReason}`);
  t.match(rolledBack.stopReason, /^guard on 'errors' breached: treatment \d+\/\d+ = [\d.]+%, control \d+\/\d+ = [\d.]+%, ratio [\d.]+ \(maxRatio 1\.5; evidence [\d.e+]+ >= 100\); rolled back to 0%$/);
  t.equal(rolledBack.stoppedBy, `rollout:${checkout.body.id}`);
  const [figures] = rolledBack.guards;
  t.equal(figures.decision, 'breach');
  t.ok(figures.treatment.exposures >= 500 && figures.control.exposures >= 500, 'both arms past minExposures');
  t.ok(figures.ratio > 1.5, `ratio ${figures.ratio}`);
  t.equal(figures.treatment.rate, figures.treatment.events / figures.treatment.exposures);
  t.ok(figures.evidence >= figures.threshold);
  t.ok(figures.breachedAt);

  // The rollback is one change through the write path, by the ramp; every SDK client gets it.
  const events = await flagEvents(env, 'checkout', 'prod');
  const rollback = events.at(-1)!;
  t.match(rollback.actor, { type: 'ramp', id: checkout.body.id }, 'the ramp made the change');
  t.equal(rollback.after.rollout, 0);
  await waitFor('every SDK client to hold rollout 0', async () =>
    clients.every((client) => (client.version ?? 0) >= rollback.version && client.snapshot()?.flags.find((flag) => flag.key === 'checkout')?.rollout === 0),
  10_000);
  // Push latency, reported (speed is the bench's to judge): from the rollback's commit to the last client holding it.
  const committedAt = Date.parse(rollback.createdAt);
  t.ok(heldZeroAt.every((at) => at !== undefined), 'every client got the rollback as a live change');
  const lateness = heldZeroAt.map((at) => at! - committedAt);
  t.comment(`every client held rollout 0 within ${Math.max(...lateness)} ms of the rollback's commit (per client: ${lateness.join(', ')} ms)`);
  for (const client of clients) t.equal(client.isEnabled('checkout', { targetingKey: 'user-1' }) || client.isEnabled('checkout', { targetingKey: 'user-2' }), false);
  const webhookEvent = await findNextWebhookEvent(env.pool, 'prod', rollback.version - 1, ['checkout']);
  t.equal(webhookEvent?.event.version, rollback.version);
  t.equal(webhookEvent?.rampRolledBack, true, 'webhooks announce it as rollout.rolled_back');
  const metrics = await registry.metrics();
  t.match(metrics, /flagship_worker_guard_breaches_total\{environment="prod",action="rollback"\} 1/);
  // Every look is counted by its decision (how many looked before the breach depends on the machine).
  t.match(metrics, /flagship_worker_guard_looks_total\{environment="prod",decision="[a-z-]+"\} [1-9]\d*/);

  // The A/A ramp: no stop on the way; its guard stops watching once it completes.
  const completed = await waitFor(
    'the A/A ramp to complete',
    async () => {
      const ramp = (await request('GET', `/v1/rollouts/${search.body.id}`, { token: admin })).body;
      return ramp.status !== 'scheduled' && ramp.status !== 'running' && ramp;
    },
    60_000,
  );
  t.equal(completed.status, 'completed', `A/A: ${completed.stopReason ?? 'no stop'}`);
  t.not(completed.guards[0].decision, 'breach');
  t.comment(`A/A guard at completion: ratio ${completed.guards[0].ratio}, evidence ${completed.guards[0].evidence}`);
  const lastLook = completed.guards[0].evaluatedAt;
  await worker.lookAtGuardsNow();
  t.equal((await request('GET', `/v1/rollouts/${search.body.id}`, { token: admin })).body.guards[0].evaluatedAt, lastLook, 'no look after completion');
});

import t from 'tap';
import { Webhook } from 'standardwebhooks';
import { createWorkerMetrics } from '../../services/worker/metrics.js';
import { createMetricsRegistry } from '../../shared/metrics/registry.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { rampClient } from '../helpers/ramps.js';
import { bodyOf, startTestWebhookWorker, webhookClient } from '../helpers/webhooks.js';
import { startWebhookReceiver, type ReceivedRequest } from '../helpers/webhook-receiver.js';
import { startTestWorker, waitFor } from '../helpers/worker.js';

const env = await createTestEnvironment(t, 'worker-webhooks');
const { request } = await startTestApi(t, env, { allowPrivateWebhooks: true });
const admin = env.adminSecret;
const receiver = await startWebhookReceiver(t);
const { call, createWebhook, createFlag, setRollout, events } = webhookClient(request, admin);

const to = (path: string) => receiver.requests.filter((r) => r.path === path);
const acceptedAt = (path: string) => to(path).filter((r) => r.status === 200);

// Each subtest runs its own worker and deletes its webhooks, so no worker sees another's lanes.
async function removeWebhooks(): Promise<void> {
  for (const { id } of (await call('GET', '/v1/webhooks')).webhooks) await call('DELETE', `/v1/webhooks/${id}`);
}

t.test('each change arrives in order, typed, signed; filters and a disabled webhook', async (t) => {
  const worker = await startTestWebhookWorker(t, env);
  const all = await createWebhook({ url: `${receiver.url}/all` });
  const filtered = await createWebhook({ url: `${receiver.url}/filtered`, environments: ['prod'], flags: ['alpha'] });
  await createWebhook({ url: `${receiver.url}/disabled`, enabled: false });

  await createFlag('alpha', { prod: { enabled: true, rollout: 10 } });
  await createFlag('beta');
  await setRollout('alpha', 'prod', 20);
  await setRollout('beta', 'prod', 30);
  await setRollout('alpha', 'staging', 40);
  await call('DELETE', '/v1/flags/beta');

  const expected = [...(await events('dev')), ...(await events('staging')), ...(await events('prod'))];
  t.equal(expected.length, 12, '2 created + 1 archived per environment, 3 rollouts');
  await waitFor('every event at /all', async () => acceptedAt('/all').length >= expected.length);
  await waitFor('the filtered events', async () => acceptedAt('/filtered').length >= 2);

  for (const environment of ['dev', 'staging', 'prod']) {
    const sent = acceptedAt('/all').map(bodyOf).filter((body) => body.environment === environment);
    const log = expected.filter((event) => event.environment === environment);
    t.same(sent.map((body) => body.version), log.map((event) => event.version), `${environment}: every version, in order`);
    t.same(sent.map(({ type, ...event }) => event), log, `${environment}: the body is the event as /v1/events shows it`);
  }
  t.same(
    acceptedAt('/all').map(bodyOf).filter((body) => body.environment === 'prod').map((body) => `${body.type} ${body.flag}`),
    ['flag.created alpha', 'flag.created beta', 'flag.updated alpha', 'flag.updated beta', 'flag.archived beta'],
  );
  for (const request of acceptedAt('/all')) {
    t.match(request.headers['webhook-id'], `evt_${bodyOf(request).id}`);
    new Webhook(all.secret).verify(request.body, request.headers);
  }
  t.same(
    acceptedAt('/filtered').map((r) => `${bodyOf(r).type} ${bodyOf(r).environment}`),
    ['flag.created prod', 'flag.updated prod'],
    'only alpha in prod',
  );
  t.equal(to('/disabled').length, 0, 'a disabled webhook receives nothing');

  const deliveries = await waitFor('both filtered deliveries logged', async () => {
    const page = await call('GET', `/v1/webhooks/${filtered.webhook.id}/deliveries`);
    return page.deliveries.length === 2 && page;
  });
  t.match(deliveries.deliveries, [
    { type: 'flag.updated', environment: 'prod', statusCode: 200, attempt: 1, error: null },
    { type: 'flag.created', environment: 'prod', statusCode: 200, attempt: 1 },
  ]);
  await worker.close();
  await removeWebhooks();
});

t.test('a failing receiver: retried with the same webhook-id, disabled with its reason, resumed in order', async (t) => {
  // A day of failures shrunk to none, so 3 failures disable it.
  const registry = createMetricsRegistry();
  const worker = await startTestWebhookWorker(
    t,
    env,
    { webhookRetryBaseMs: 20, webhookDisableAfterFailures: 3 },
    { failurePeriodMs: 0, metrics: createWorkerMetrics(registry) },
  );
  const { webhook, secret } = await createWebhook({ url: `${receiver.url}/failing`, environments: ['prod'] });
  let failing = true;
  receiver.answerWith((r) => (r.path === '/failing' && failing ? { status: 500, body: 'boom' } : { status: 200 }));
  await setRollout('alpha', 'prod', 50);
  await setRollout('alpha', 'prod', 60);

  const disabled = await waitFor('the webhook to be disabled', async () => {
    const current = await call('GET', `/v1/webhooks/${webhook.id}`);
    return current.enabled === false && current;
  });
  t.match(disabled.disabledReason, /3 consecutive failed attempts .*answered 500/);
  const attempts = to('/failing');
  t.equal(attempts.length, 3, 'three attempts, then no more');
  t.equal(new Set(attempts.map((r) => r.headers['webhook-id'])).size, 1, 'the same webhook-id on every retry');
  t.equal(bodyOf(attempts[0]!).after.rollout, 50, 'at the first pending event: the next is never sent before it');
  const log = await call('GET', `/v1/webhooks/${webhook.id}/deliveries`);
  t.same(log.deliveries.map((d: { attempt: number }) => d.attempt), [3, 2, 1]);
  t.match(log.deliveries[0], { statusCode: 500, error: 'answered 500', responseBody: 'boom' });
  const metrics = (await request('GET', '/metrics')).text;
  t.match(metrics, `flagship_webhook_disabled{webhook="${webhook.id}"} 1`);
  const workerMetrics = await registry.metrics();
  t.match(workerMetrics, 'flagship_worker_webhook_attempts_total{environment="prod",outcome="failed"} 3');
  t.match(workerMetrics, 'flagship_worker_webhooks_disabled_total 1');

  failing = false;
  const enabled = await call('PATCH', `/v1/webhooks/${webhook.id}`, { enabled: true });
  t.match(enabled, { enabled: true, disabledReason: null });
  await worker.scanNow();
  await waitFor('both events after re-enabling', async () => acceptedAt('/failing').length >= 2);
  t.same(acceptedAt('/failing').map((r) => bodyOf(r).after.rollout), [50, 60], 'resumed from the failed event, in order');
  t.equal(acceptedAt('/failing')[0]!.headers['webhook-id'], attempts[0]!.headers['webhook-id']);
  for (const r of to('/failing')) new Webhook(secret).verify(r.body, r.headers);
  t.notMatch((await request('GET', '/metrics')).text, `flagship_webhook_disabled{webhook="${webhook.id}"}`);
  await worker.close();
  await removeWebhooks();
});

t.test('a stalled receiver times out and the event is retried', async (t) => {
  const worker = await startTestWebhookWorker(t, env, { webhookRetryBaseMs: 20 }, { attemptTimeoutMs: 300 });
  const { webhook } = await createWebhook({ url: `${receiver.url}/stall`, environments: ['prod'] });
  receiver.answerWith((r) => (r.path === '/stall' && to('/stall').length === 1 ? { stall: true } : { status: 200 }));
  await setRollout('alpha', 'prod', 70);
  const log = await waitFor('the retry to be accepted and logged', async () => {
    const page = await call('GET', `/v1/webhooks/${webhook.id}/deliveries`);
    return page.deliveries.length === 2 && page;
  });
  t.match(log.deliveries, [{ attempt: 2, statusCode: 200 }, { attempt: 1, statusCode: null, error: 'no answer within 300 ms' }]);
  t.equal(to('/stall')[0]!.headers['webhook-id'], to('/stall')[1]!.headers['webhook-id']);
  await worker.close();
  await removeWebhooks();
});

t.test('the address is checked again at delivery: a private one is refused without the setting', async (t) => {
  const worker = await startTestWebhookWorker(t, env, { webhookAllowPrivate: false, webhookRetryBaseMs: 60_000 });
  // Created through an API that allows private addresses; this worker does not.
  const { webhook } = await createWebhook({ url: `${receiver.url}/refused`, environments: ['prod'] });
  await setRollout('alpha', 'prod', 80);
  const log = await waitFor('the refused attempt', async () => {
    const page = await call('GET', `/v1/webhooks/${webhook.id}/deliveries`);
    return page.deliveries.length > 0 && page;
  });
  t.match(log.deliveries[0], { statusCode: null, error: /^refused: 127\.0\.0\.1 is a loopback address/ });
  t.equal(to('/refused').length, 0, 'nothing was sent');
  await worker.close();
  await removeWebhooks();
});

t.test('segment changes are delivered as segment.* to webhooks without a flag filter', async (t) => {
  const worker = await startTestWebhookWorker(t, env);
  await createWebhook({ url: `${receiver.url}/segments`, environments: ['prod'] });
  await createWebhook({ url: `${receiver.url}/flags-only`, environments: ['prod'], flags: ['alpha'] });
  // No segment routes yet: the trigger records a change however the row is written.
  await env.pool.query(`insert into segment (name) values ('beta-testers')`);
  await env.pool.query(`update segment set description = 'people who opted in' where name = 'beta-testers'`);
  await env.pool.query(`delete from segment where name = 'beta-testers'`);
  await setRollout('alpha', 'prod', 85);
  await waitFor('the segment events and the flag change', async () => acceptedAt('/segments').length >= 4);
  t.same(acceptedAt('/segments').map((r) => bodyOf(r).type), ['segment.created', 'segment.updated', 'segment.deleted', 'flag.updated']);
  t.match(bodyOf(acceptedAt('/segments')[0]!), { segment: Number, after: { name: 'beta-testers' } });
  await waitFor('the flag change at the filtered webhook', async () => acceptedAt('/flags-only').length >= 1);
  t.same(acceptedAt('/flags-only').map((r) => bodyOf(r).type), ['flag.updated'], 'a flag filter leaves segment changes out');
  await worker.close();
  await removeWebhooks();
});

t.test('slack format and a completed ramp', async (t) => {
  const worker = await startTestWebhookWorker(t, env);
  await startTestWorker(t, env);
  await createWebhook({ url: `${receiver.url}/slack`, environments: ['prod'], format: 'slack' });
  await createWebhook({ url: `${receiver.url}/ramp`, environments: ['prod'], flags: ['ramped'] });
  await setRollout('alpha', 'prod', 90);
  await env.pool.query(`insert into segment (name) values ('slack-segment')`);
  const { createFlag: createRampFlag, scheduleRamp, readRamp } = rampClient(request, admin);
  await createRampFlag('ramped');
  const ramp = await scheduleRamp('ramped', [[50, 300], [100, 600]]);
  await waitFor('the ramp to complete', async () => (await readRamp(ramp.id)).status === 'completed');
  await waitFor('the ramp events', async () => acceptedAt('/ramp').length >= 3);
  t.same(acceptedAt('/ramp').map((r) => bodyOf(r).type), ['flag.created', 'flag.updated', 'rollout.completed']);

  await waitFor('the slack messages', async () => acceptedAt('/slack').length >= 5);
  const texts = acceptedAt('/slack').map((r) => bodyOf(r));
  t.same(Object.keys(texts[0]!), ['text']);
  t.match(texts[0]!.text, /^`alpha` updated in \*prod\* by token:FLAGSHIP_ADMIN_TOKEN: rollout 85% → 90% \(version \d+\)$/);
  t.match(texts[1]!.text, /^Segment `slack-segment` created in \*prod\* by system \(version \d+\)$/);
  t.match(texts.at(-1)!.text, /^`ramped` finished its rollout in \*prod\* by rollout:/);
  await worker.close();
  await removeWebhooks();
});

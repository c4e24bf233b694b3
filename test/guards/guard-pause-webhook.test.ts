import t from 'tap';
import { Webhook } from 'standardwebhooks';
import { watchGuardsOnce } from '../../shared/domain/ramps/guard-service.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { createSdkToken } from '../helpers/tokens.js';
import { bodyOf, startTestWebhookWorker, webhookClient } from '../helpers/webhooks.js';
import { startWebhookReceiver } from '../helpers/webhook-receiver.js';
import { capturingLogger, waitFor } from '../helpers/worker.js';

/*
 * A guard that pauses its ramp changes no flag, so no change event carries it:
 * the pause writes its own `rollout.paused` webhook event, in the transaction
 * that records the ramp's status, and the webhook lanes deliver it like the
 * others: signed, retried in place, in order with the environment's changes,
 * once, to the webhooks whose flag filter takes the ramp's flag.
 */
const env = await createTestEnvironment(t, 'guard-pause-webhook');
const { request } = await startTestApi(t, env, { allowPrivateWebhooks: true });
const admin = env.adminSecret;
const sdk = await createSdkToken(request, admin, 'prod');
const receiver = await startWebhookReceiver(t);
const { call, createWebhook, createFlag, setRollout } = webhookClient(request, admin);
const { logger } = capturingLogger();

t.test('a guard pause is delivered as rollout.paused: signed, retried, in order, once, filtered by flag', async (t) => {
  await createFlag('gp_ramped', { prod: { enabled: true, rollout: 0 } });
  await createFlag('gp_other', { prod: { enabled: true, rollout: 0 } });
  const ramp = await call(
    'POST',
    '/v1/flags/gp_ramped/environments/prod/rollouts',
    { from: 10, to: 50, step: 10, every: 'PT1H', guards: [{ event: 'errors', maxRatio: 1.5, minExposures: 100, action: 'pause' }] },
    201,
  );
  const worker = await startTestWebhookWorker(t, env, { webhookRetryBaseMs: 20 });
  const all = await createWebhook({ url: `${receiver.url}/all`, environments: ['prod'] });
  const ramped = await createWebhook({ url: `${receiver.url}/ramped`, environments: ['prod'], flags: ['gp_ramped'] });
  await createWebhook({ url: `${receiver.url}/other`, environments: ['prod'], flags: ['gp_other'] });
  const accepted = (path: string) => receiver.accepted().filter((r) => r.path === path);
  const summary = (path: string) => accepted(path).map((r) => `${bodyOf(r).type} ${bodyOf(r).flag}`);

  // The pause's first attempt at /all fails: it is retried, and the change after it waits.
  let failedOnce = false;
  receiver.answerWith((r) => {
    if (r.path === '/all' && !failedOnce && bodyOf(r).type === 'rollout.paused') {
      failedOnce = true;
      return { status: 503, body: 'busy' };
    }
    return { status: 200 };
  });

  const before = await setRollout('gp_other', 'prod', 20);
  // Treatment: 100 errors in 1,000 exposures; control: 10 in 1,000 — ten times the rate.
  const at = new Date().toISOString();
  const bucket = (variant: string, event: string, count: number) => ({ flag: 'gp_ramped', variant, event, count, start: at, end: at });
  const sent = await request('POST', '/v1/client/events', {
    token: sdk.secret,
    body: { appName: 'shop', buckets: [bucket('on', 'exposure', 1000), bucket('on', 'errors', 100), bucket('off', 'exposure', 1000), bucket('off', 'errors', 10)] },
  });
  t.equal(sent.status, 202, sent.text);
  const round = await watchGuardsOnce(env.pool, logger);
  t.match(round.breaches, [{ planId: ramp.id, status: 'paused' }], 'the guard paused the ramp');
  const after = await setRollout('gp_other', 'prod', 30);
  t.same((await watchGuardsOnce(env.pool, logger)).breaches, [], 'a paused ramp is not judged again');

  await waitFor('every delivery at /all', async () => accepted('/all').length >= 3);
  t.same(summary('/all'), ['flag.updated gp_other', 'rollout.paused gp_ramped', 'flag.updated gp_other'], 'in the order things happened');
  t.same(accepted('/all').map((r) => bodyOf(r).version), [before.version, before.version, after.version]);
  t.ok(failedOnce, 'the pause failed once');
  const pauses = receiver.requests.filter((r) => r.path === '/all' && bodyOf(r).type === 'rollout.paused');
  t.equal(pauses.length, 2, 'and was retried');
  t.equal(pauses[0]!.headers['webhook-id'], pauses[1]!.headers['webhook-id'], 'with the same webhook-id');
  t.match(pauses[0]!.headers['webhook-id'], /^rpe_\d+$/);
  for (const r of receiver.requests.filter((r) => r.path === '/all')) new Webhook(all.secret).verify(r.body, r.headers);

  const stored = await call('GET', `/v1/rollouts/${ramp.id}`);
  t.equal(stored.status, 'paused');
  const body = bodyOf(accepted('/all')[1]!);
  t.match(body, {
    type: 'rollout.paused',
    environment: 'prod',
    flag: 'gp_ramped',
    actor: { type: 'ramp', id: ramp.id },
    rollout: {
      id: ramp.id,
      status: 'paused',
      guard: { event: 'errors', maxRatio: 1.5, minExposures: 100, action: 'pause' },
      figures: { treatment: { exposures: 1000, events: 100 }, control: { exposures: 1000, events: 10 }, decision: 'breach' },
    },
  });
  t.equal(body.rollout.reason, stored.stopReason, "the ramp's reason, figures included");
  t.match(body.rollout.reason, /treatment 100\/1000 = 10\.0%, control 10\/1000 = 1\.00%.*paused$/);

  await waitFor('the filtered webhooks', async () => accepted('/ramped').length >= 1 && accepted('/other').length >= 2);
  t.same(summary('/ramped'), ['rollout.paused gp_ramped'], "a webhook on the ramp's flag takes the pause");
  for (const r of accepted('/ramped')) new Webhook(ramped.secret).verify(r.body, r.headers);
  t.same(summary('/other'), ['flag.updated gp_other', 'flag.updated gp_other'], 'a webhook on another flag does not');

  // Once: nothing more arrives after another scan.
  await worker.scanNow();
  t.equal(receiver.accepted().filter((r) => bodyOf(r).type === 'rollout.paused').length, 2, 'one accepted pause per webhook that takes it');
  const log = await call('GET', `/v1/webhooks/${all.webhook.id}/deliveries`);
  t.match(log.deliveries.find((d: { type: string; statusCode: number }) => d.type === 'rollout.paused' && d.statusCode === 200), { environment: 'prod', messageId: /^rpe_/ });
  await worker.close();
});

t.test('a Slack webhook gets one line with the reason, escaped', async (t) => {
  const flag = 'gp_slack';
  await createFlag(flag, { prod: { enabled: true, rollout: 0 } });
  await call('POST', `/v1/flags/${flag}/environments/prod/rollouts`, { from: 10, to: 50, step: 10, every: 'PT1H', guards: [{ event: 'errors', maxRatio: 1.5, minExposures: 100, action: 'pause' }] }, 201);
  const worker = await startTestWebhookWorker(t, env, { webhookRetryBaseMs: 20 });
  await createWebhook({ url: `${receiver.url}/slack`, format: 'slack', environments: ['prod'], flags: [flag] });
  const at = new Date().toISOString();
  const bucket = (variant: string, event: string, count: number) => ({ flag, variant, event, count, start: at, end: at });
  await request('POST', '/v1/client/events', {
    token: sdk.secret,
    body: { appName: 'shop', buckets: [bucket('on', 'exposure', 500), bucket('on', 'errors', 50), bucket('off', 'exposure', 500), bucket('off', 'errors', 5)] },
  });
  t.equal((await watchGuardsOnce(env.pool, logger)).breaches.length, 1);
  await waitFor('the Slack message', async () => receiver.accepted().some((r) => r.path === '/slack'));
  const texts = receiver.accepted().filter((r) => r.path === '/slack').map((r) => bodyOf(r).text as string);
  t.equal(texts.length, 1);
  t.match(texts[0], /^`gp_slack`'s ramp \(rollout:[0-9a-f-]+\) was paused by a guard in \*prod\*: guard on 'errors' breached: treatment 50\/500 = 10\.0%, control 5\/500 = 1\.00%.* &gt;= 100\); paused$/);
  await worker.close();
});

import t from 'tap';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { bodyOf, startTestWebhookWorker, webhookClient } from '../helpers/webhooks.js';
import { startWebhookReceiver } from '../helpers/webhook-receiver.js';
import { waitFor } from '../helpers/worker.js';

/*
 * Subscriptions progress independently: four receivers that answer slowly
 * (successfully) with a backlog each, and a healthy fifth. The healthy one
 * receives its events while the slow ones still have theirs to go, and every
 * subscription still gets each of its events once, in order.
 */

const env = await createTestEnvironment(t, 'webhook-fairness');
const { request } = await startTestApi(t, env, { allowPrivateWebhooks: true });
const { createWebhook, createFlag, setRollout, events } = webhookClient(request, env.adminSecret);
const receiver = await startWebhookReceiver(t);

const SLOW = ['/slow-0', '/slow-1', '/slow-2', '/slow-3'];
const BACKLOG = 6;
// Longer than a lane run's time budget (1 s), so each slow run yields after one attempt.
const SLOW_ANSWER_MS = 1200;

t.test('four slow receivers with a backlog each do not hold back a healthy one', async (t) => {
  receiver.answerWith((r) => (r.path.startsWith('/slow') ? { status: 200, delayMs: SLOW_ANSWER_MS } : { status: 200 }));
  await createFlag('backlog', { prod: { enabled: true, rollout: 0 } });
  await createFlag('healthy', { staging: { enabled: true, rollout: 0 } });
  for (const path of SLOW) await createWebhook({ url: `${receiver.url}${path}`, environments: ['prod'], flags: ['backlog'] });
  await createWebhook({ url: `${receiver.url}/healthy`, environments: ['staging'], flags: ['healthy'] });
  // The backlog builds up before the worker starts.
  for (let change = 1; change <= BACKLOG; change += 1) await setRollout('backlog', 'prod', change * 10);

  // As many lanes as slots (4): every slot is taken by a slow receiver.
  const worker = await startTestWebhookWorker(t, env);
  const to = (path: string) => receiver.requests.filter((r) => r.path === path);
  const accepted = (path: string) => receiver.accepted().filter((r) => r.path === path);
  await waitFor('an attempt at every slow receiver', async () => SLOW.every((path) => to(path).length > 0), 15_000);

  for (let change = 1; change <= 3; change += 1) await setRollout('healthy', 'staging', change * 10);
  await waitFor('the healthy receiver to accept its 3 events', async () => accepted('/healthy').length >= 3, 30_000);
  const backlogLeft = SLOW.map((path) => BACKLOG - accepted(path).length);
  t.ok(
    backlogLeft.every((left) => left > 0),
    `every slow receiver still had events to receive when the healthy one had all of its own (left: ${backlogLeft.join(', ')})`,
  );
  t.same(accepted('/healthy').map((r) => bodyOf(r).after.rollout), [10, 20, 30], 'the healthy receiver, in order');

  // Then the slow ones catch up: each event once, in version order.
  await waitFor('every slow receiver to accept its backlog', async () => SLOW.every((path) => accepted(path).length >= BACKLOG), 30_000);
  const versions = (await events('prod')).filter((event) => 'flag' in event && event.flag === 'backlog' && event.action === 'updated').map((e) => e.version);
  t.equal(versions.length, BACKLOG);
  for (const path of SLOW) {
    t.same(accepted(path).map((r) => bodyOf(r).version), versions, `${path}: every event once, in order`);
    t.equal(to(path).length, BACKLOG, `${path}: no event sent twice`);
  }
  await worker.close();
});

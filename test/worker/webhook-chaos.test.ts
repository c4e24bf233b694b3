import t from 'tap';
import { Webhook } from 'standardwebhooks';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { deleteRedisKeys } from '../helpers/redis.js';
import { bodyOf, webhookClient } from '../helpers/webhooks.js';
import { startWebhookReceiver, type ReceivedRequest } from '../helpers/webhook-receiver.js';
import { spawnWorkerProcess, waitFor, type WorkerProcess } from '../helpers/worker.js';

const env = await createTestEnvironment(t, 'webhook-chaos');
const { request } = await startTestApi(t, env, { allowPrivateWebhooks: true });
const admin = env.adminSecret;
const { call, createWebhook, createFlag, setRollout, events } = webhookClient(request, admin);
const receiver = await startWebhookReceiver(t);

const WORKER = 'test/worker/fixtures/webhook-worker.ts';
const WORKER_ENV = {
  FLAGSHIP_WEBHOOK_ALLOW_PRIVATE: '1',
  FLAGSHIP_WEBHOOK_RETRY_BASE_MS: '50',
  ATTEMPT_TIMEOUT_MS: '1000',
  SCAN_EVERY_MS: '1000',
};
const startWorker = () => spawnWorkerProcess(t, env, WORKER, WORKER_ENV, 'webhook worker started');
const ENVIRONMENTS = ['dev', 'staging', 'prod'];
const LATENCY_CHANGES = 10;

const isAccepted = (r: ReceivedRequest) => r.status !== undefined && r.status >= 200 && r.status < 300;

t.test('8 writers × 25 changes, a failing and stalling receiver, the worker killed and Redis flushed: every event, in order', async (t) => {
  const { secret } = await createWebhook({ url: `${receiver.url}/all` });
  await createWebhook({ url: `${receiver.url}/disabled`, enabled: false });

  // The first attempt at every 5th event fails, at every 23rd it stalls past the timeout.
  const seen = new Map<string, number>();
  receiver.answerWith((r) => {
    const id = r.headers['webhook-id']!;
    const attempt = (seen.get(id) ?? 0) + 1;
    seen.set(id, attempt);
    const n = Number(id.slice('evt_'.length));
    if (attempt === 1 && n % 23 === 0) return { stall: true };
    if (attempt === 1 && n % 5 === 0) return { status: 500, body: 'try again' };
    return { status: 200 };
  });
  const toAll = () => receiver.requests.filter((r) => r.path === '/all');
  const acceptedIds = () => new Set(toAll().filter(isAccepted).map((r) => r.headers['webhook-id']));

  let worker: WorkerProcess = await startWorker();
  const writers = Array.from({ length: 8 }, async (_, writer) => {
    const flag = `writer-${writer}`;
    await createFlag(flag, { prod: { enabled: true, rollout: 0 }, staging: { enabled: true, rollout: 0 } });
    for (let change = 1; change <= 25; change += 1) await setRollout(flag, change % 2 ? 'prod' : 'staging', change * 4);
  });

  const chaos = (async () => {
    await waitFor('40 accepted deliveries', async () => acceptedIds().size >= 40, 40_000);
    t.equal(await worker.kill('SIGKILL'), 'SIGKILL', 'the worker was killed mid-delivery');
    worker = await startWorker();
    await waitFor('100 accepted deliveries', async () => acceptedIds().size >= 100, 40_000);
    await deleteRedisKeys(env.config.redisPrefix);
    await waitFor('150 accepted deliveries', async () => acceptedIds().size >= 150, 40_000);
    t.equal(await worker.kill('SIGKILL'), 'SIGKILL', 'killed again');
    await deleteRedisKeys(env.config.redisPrefix);
    worker = await startWorker();
  })();
  await Promise.all(writers);
  await chaos;

  const expected = new Map<string, number[]>();
  for (const environment of ENVIRONMENTS) expected.set(environment, (await events(environment)).map((event) => event.version));
  const total = [...expected.values()].reduce((sum, versions) => sum + versions.length, 0);
  t.equal(total, 8 * 3 + 8 * 25, 'each flag created in three environments, then 25 changes each');
  await waitFor(`all ${total} events accepted`, async () => acceptedIds().size >= total, 45_000);

  const requests = toAll();
  for (const environment of ENVIRONMENTS) {
    const ofEnvironment = requests.filter((r) => bodyOf(r).environment === environment);
    const accepted = ofEnvironment.filter(isAccepted).map((r) => bodyOf(r).version as number);
    t.same([...new Set(accepted)], expected.get(environment), `${environment}: every version accepted, first acceptances in order`);
    t.ok(accepted.every((version, i) => i === 0 || version >= accepted[i - 1]!), `${environment}: acceptances never go back`);
    // Event N+1 is never sent before N was accepted.
    const versions = expected.get(environment)!;
    const acceptedBy = new Map<number, number>();
    for (const r of ofEnvironment) if (isAccepted(r) && !acceptedBy.has(bodyOf(r).version)) acceptedBy.set(bodyOf(r).version, r.index);
    const early = ofEnvironment.filter((r) => {
      const previous = versions[versions.indexOf(bodyOf(r).version) - 1];
      return previous !== undefined && !(acceptedBy.get(previous)! < r.index);
    });
    t.equal(early.length, 0, `${environment}: no event sent before the one ahead of it was accepted`);
  }

  const retried = [...seen.values()].filter((attempts) => attempts > 1).length;
  t.ok(retried >= 20, `failed and stalled attempts were retried (${retried} events took more than one attempt)`);
  const bodiesById = new Map<string, Set<string>>();
  for (const r of requests) {
    new Webhook(secret).verify(r.body, r.headers);
    const bodies = bodiesById.get(r.headers['webhook-id']!) ?? new Set();
    bodiesById.set(r.headers['webhook-id']!, bodies.add(r.body));
  }
  t.pass(`all ${requests.length} requests verified with the standardwebhooks package`);
  t.ok([...bodiesById.values()].every((bodies) => bodies.size === 1), 'a webhook-id always carries the same event');
  const sample = requests[0]!;
  t.throws(() => new Webhook(secret).verify(sample.body.replace('"version":', '"version": '), sample.headers), /No matching signature/, 'a tampered body fails verification');
  t.equal(receiver.requests.filter((r) => r.path === '/disabled').length, 0, 'the disabled webhook received nothing');

  t.equal(await worker.kill('SIGTERM'), 0, 'SIGTERM: a clean exit');
  for (const { id } of (await call('GET', '/v1/webhooks')).webhooks) await call('DELETE', `/v1/webhooks/${id}`);
});

t.test('delay from commit to the receiver\'s 2xx, healthy receiver (measured, not asserted)', async (t) => {
  receiver.answerWith(() => ({ status: 200 }));
  await createWebhook({ url: `${receiver.url}/latency`, environments: ['prod'] });
  const worker = await startWorker();
  await createFlag('latency', { prod: { enabled: true, rollout: 0 } });
  await waitFor('the creation event', async () => receiver.requests.some((r) => r.path === '/latency' && isAccepted(r)));
  // The commit happens between sending the PATCH and its answer: measure from both.
  const fromSent: number[] = [];
  const fromAnswered: number[] = [];
  // Ten changes: enough for a median and a worst case in the comment below (the delivery itself is proven above, under chaos).
  for (let change = 1; change <= LATENCY_CHANGES; change += 1) {
    const sentAt = Date.now();
    const state = await setRollout('latency', 'prod', change);
    const answeredAt = Date.now();
    const arrived = await waitFor(`version ${state.version}`, async () =>
      receiver.requests.find((r) => r.path === '/latency' && isAccepted(r) && bodyOf(r).version === state.version && r.answeredAt),
    );
    fromSent.push(arrived.answeredAt! - sentAt);
    fromAnswered.push(arrived.answeredAt! - answeredAt);
  }
  const summary = (delays: number[]) => {
    const sorted = [...delays].sort((a, b) => a - b);
    return `median ${sorted[Math.floor(sorted.length / 2)]} ms, worst ${sorted.at(-1)} ms`;
  };
  t.equal(fromSent.length, LATENCY_CHANGES);
  t.comment(`commit → receiver 2xx over ${fromSent.length} changes, from sending the PATCH (upper bound): ${summary(fromSent)}`);
  t.comment(`… from the PATCH's answer (lower bound; negative when the 2xx came first): ${summary(fromAnswered)}`);
  t.equal(await worker.kill('SIGTERM'), 0);
});

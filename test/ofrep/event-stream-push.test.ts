import t from 'tap';
import { redisKeys } from '../../shared/redis/keys.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { startTestNotifier } from '../helpers/notifier.js';
import { changeState, createFlags, createSdkToken, eventually } from '../evaluation/fixtures.js';
import { openEventStream, readStreamEvents } from './event-stream-client.js';

/*
 * Push for OpenFeature clients, end to end with the production snapshot reader:
 * REST change → trigger + NOTIFY → notifier rewrites the Redis snapshot and
 * publishes → the API's cache fires onChange → every open OFREP stream of that
 * environment gets refetchEvaluation with the new ETag → the re-fetch sees it.
 */

const env = await createTestEnvironment(t, 'ofrep-event-push');
const api = await startTestApi(t, env, { snapshots: 'cache' });
await startTestNotifier(t, env);
const { request } = api;
const admin = env.adminSecret;

await createFlags(request, admin, {
  new_ui: { prod: { enabled: true, rollout: 100 }, dev: { enabled: true, rollout: 100 } },
});
const prod = await createSdkToken(request, admin, 'prod');
const dev = await createSdkToken(request, admin, 'dev');

/** The environment's version in PostgreSQL. */
async function storedVersion(environment: string): Promise<number> {
  const environments = await request('GET', '/v1/environments', { token: admin });
  return environments.body.environments.find((row: { key: string }) => row.key === environment).version;
}

/** Waits until the API's cache has caught up with PostgreSQL, so streams start from a known version. */
async function settled(environment: string): Promise<number> {
  const version = await storedVersion(environment);
  await eventually(() => api.snapshots.get(environment), (snapshot) => snapshot.version >= version);
  return version;
}

const bulk = (secret: string, etag?: string, query = '') =>
  request('POST', `/ofrep/v1/evaluate/flags${query}`, {
    token: secret,
    body: { context: { targetingKey: 'user-7' } },
    headers: etag ? { 'if-none-match': etag } : {},
  });

t.test('a REST change reaches an open stream with the new ETag, and the re-fetch reflects it at once', async (t) => {
  const version = await settled('prod');
  const first = await bulk(prod.secret);
  t.match(first.body.flags[0], { key: 'new_ui', value: true });
  const stream = openEventStream(first.body.eventStreams[0].url);
  t.teardown(() => stream.close());
  t.same((await stream.next()).data, { type: 'refetchEvaluation', etag: `"${version}"` });

  const changed = await changeState(request, admin, 'new_ui', 'prod', { enabled: false });
  const pushed = await stream.next();
  t.same(pushed, { id: String(changed.version), data: { type: 'refetchEvaluation', etag: `"${changed.version}"` } });

  // What a provider does next (ADR-0008): re-fetch with If-None-Match and the event's etag.
  const refetched = await bulk(prod.secret, first.headers.get('etag')!, `?flagConfigEtag=${encodeURIComponent(pushed.data.etag!)}`);
  t.equal(refetched.status, 200, 'not 304: the change is readable by the time the event arrives');
  t.match(refetched.body.flags[0], { key: 'new_ui', value: false, reason: 'DISABLED' });
  const client = await request('POST', '/v1/client/evaluate', { token: prod.secret, body: { context: { key: 'user-7' } } });
  t.match(client.body, { version: changed.version, flags: [{ key: 'new_ui', value: false, reason: 'DISABLED' }] }, '/v1/client/evaluate too');
});

t.test("a stream hears its own environment's changes only", async (t) => {
  const prodVersion = await settled('prod');
  const devVersion = await settled('dev');
  const prodStream = openEventStream((await bulk(prod.secret)).body.eventStreams[0].url);
  const devStream = openEventStream((await bulk(dev.secret)).body.eventStreams[0].url);
  t.teardown(() => {
    prodStream.close();
    devStream.close();
  });
  t.equal((await prodStream.next()).id, String(prodVersion));
  t.equal((await devStream.next()).id, String(devVersion));

  const devChange = await changeState(request, admin, 'new_ui', 'dev', { rollout: 50 });
  t.equal((await devStream.next()).id, String(devChange.version));
  const prodChange = await changeState(request, admin, 'new_ui', 'prod', { rollout: 40 });
  t.equal((await prodStream.next()).id, String(prodChange.version));
  // The hub relays a change to all matching streams in one pass, so a dev event sent to
  // the prod stream by mistake would have arrived before prod's own.
  t.same(prodStream.received.map((message) => message.id), [String(prodVersion), String(prodChange.version)]);
  t.same(devStream.received.map((message) => message.id), [String(devVersion), String(devChange.version)]);
});

t.test('a client that resumes with Last-Event-ID = the current version hears only what comes next', async (t) => {
  const version = await settled('prod');
  const url = (await bulk(prod.secret)).body.eventStreams[0].url;
  const response = await fetch(url, { headers: { 'last-event-id': String(version) } });
  t.equal(response.status, 200);
  const events = readStreamEvents(response, 1);
  const changed = await changeState(request, admin, 'new_ui', 'prod', { rollout: 45 });
  const [event] = await events;
  t.match(event, new RegExp(`^id: ${changed.version}\n`), 'the first event is the new change, not a repeat');
});

t.test('with Redis empty, evaluation is still right (read from PostgreSQL)', async (t) => {
  await changeState(request, admin, 'new_ui', 'prod', { enabled: true, rollout: 100 });
  const version = await settled('prod');
  await env.redis.del(redisKeys.snapshot(env.redisPrefix, 'prod'));
  // A fresh API process: nothing in memory, nothing in Redis.
  const fresh = await startTestApi(t, env, { snapshots: 'cache' });
  const answer = await fresh.request('POST', '/ofrep/v1/evaluate/flags/new_ui', {
    token: prod.secret,
    body: { context: { targetingKey: 'user-7' } },
  });
  t.equal(answer.status, 200);
  t.match(answer.body, { value: true, reason: 'STATIC', metadata: { rollout: 100 } });
  t.equal((await fresh.snapshots.get('prod')).version, version);
});

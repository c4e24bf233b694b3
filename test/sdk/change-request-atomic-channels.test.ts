import t from 'tap';
import type { Unleash } from 'unleash-client';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { startTestNotifier } from '../helpers/notifier.js';
import { createSdkToken } from '../helpers/tokens.js';
import { waitFor } from '../helpers/worker.js';
import { openEventStream } from '../ofrep/event-stream-client.js';
import { startUnleashClient } from '../unleash/support.js';

/*
 * change-request-atomic.test.ts proves it for Socket.IO; this file for the
 * other ways apps read: OFREP (the web provider's way: the event stream
 * announces a version, the app fetches the bulk evaluation; and plain polling
 * of the bulk evaluation) and Unleash (unleash-client streaming, unleash-client
 * polling, and polling /api/client/features). Every reader checks every state
 * it gets: the 20 flags a request switches together are all on or all off,
 * never a mix of the request's before and after.
 */
const FLAGS = Array.from({ length: 20 }, (_, index) => `grp_${String(index).padStart(2, '0')}`);
const env = await createTestEnvironment(t, 'cr-atomic-channels');
await startTestNotifier(t, env);
// The production reader (in-process copy, Redis, PostgreSQL, told of changes by the notifier).
const api = await startTestApi(t, env, { snapshots: 'cache' });
const pollingApi = await startTestApi(t, env, { snapshots: 'cache', unleashFetchMode: 'polling' });
const { request } = api;
const admin = env.adminSecret;
const reviewer = (await request('POST', '/v1/tokens', { token: admin, body: { name: 'reviewer', kind: 'admin' } })).body.secret as string;
for (const key of FLAGS) {
  const created = await request('POST', '/v1/flags', { token: admin, body: { key, environments: { prod: { enabled: false, rollout: 100 } } } });
  if (created.status !== 201) throw new Error(created.text);
}
const sdk = await createSdkToken(request, admin, 'prod');

interface Reader {
  name: string;
  mixes: string[];
  /** States checked. */
  seen: number;
  /** The last state: how many of the 20 were on. */
  lastOn: number;
}
const readers: Reader[] = [];
function reader(name: string): Reader {
  const created: Reader = { name, mixes: [], seen: 0, lastOn: -1 };
  readers.push(created);
  return created;
}
function check(who: Reader, on: number, at: string): void {
  who.seen += 1;
  who.lastOn = on;
  if (on !== 0 && on !== FLAGS.length) who.mixes.push(`${who.name} at ${at}: ${on} of ${FLAGS.length} on`);
}

// OFREP: a bulk evaluation, checked.
async function bulk(who: Reader): Promise<void> {
  const response = await fetch(`${api.url}/ofrep/v1/evaluate/flags`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sdk.secret}`, 'content-type': 'application/json' },
    body: JSON.stringify({ context: { targetingKey: 'someone' } }),
  });
  const body = (await response.json()) as { flags: Array<{ key: string; value: unknown }> };
  const on = body.flags.filter((flag) => FLAGS.includes(flag.key) && flag.value === true).length;
  check(who, on, `etag ${response.headers.get('etag')}`);
}

// OFREP the web provider's way: each message of the event stream, then the bulk evaluation.
const streams = Array.from({ length: 3 }, (_, index) => {
  const who = reader(`ofrep-stream-${index}`);
  const stream = openEventStream(`${api.url}/ofrep/v1/event-stream`, { authorization: `Bearer ${sdk.secret}` });
  t.teardown(() => stream.close());
  let fetching = Promise.resolve();
  let taken = 0;
  const pump = () => {
    while (taken < stream.received.length) {
      taken += 1;
      fetching = fetching.then(() => bulk(who));
    }
  };
  const timer = setInterval(pump, 5);
  t.teardown(() => clearInterval(timer));
  return { who, stream, settled: () => fetching };
});

// Unleash: unleash-client streaming (delta events) and polling, each checked at every `changed`.
function watchUnleash(client: Unleash, who: Reader): void {
  const count = () => FLAGS.filter((key) => client.isEnabled(key, { userId: 'someone' })).length;
  client.on('changed', () => check(who, count(), 'changed'));
}
for (let index = 0; index < 3; index += 1) {
  const client = await startUnleashClient(t, api.url, sdk.secret, { experimentalMode: { type: 'streaming' } });
  watchUnleash(client, reader(`unleash-streaming-${index}`));
}
for (let index = 0; index < 2; index += 1) {
  const client = await startUnleashClient(t, pollingApi.url, sdk.secret, { refreshInterval: 20 });
  watchUnleash(client, reader(`unleash-polling-${index}`));
}

// A breath between polls: the machine runs other tests too.
const pause = () => new Promise((resolve) => setTimeout(resolve, 10));

// Plain pollers: the OFREP bulk evaluation and /api/client/features.
let polling = true;
const ofrepPoller = reader('ofrep-poller');
const featuresPoller = reader('features-poller');
const pollers = [
  (async () => {
    while (polling) {
      await bulk(ofrepPoller);
      await pause();
    }
  })(),
  (async () => {
    while (polling) {
      const response = await fetch(`${pollingApi.url}/api/client/features`, { headers: { authorization: sdk.secret } });
      const body = (await response.json()) as { features: Array<{ name: string; enabled: boolean }> };
      check(featuresPoller, body.features.filter((feature) => FLAGS.includes(feature.name) && feature.enabled).length, `etag ${response.headers.get('etag')}`);
      await pause();
    }
  })(),
];
t.teardown(async () => {
  polling = false;
  await Promise.all(pollers);
});

async function applyAll(enabled: boolean, title: string): Promise<number> {
  if (process.env.SABOTAGE) {
    let version = 0;
    for (const flag of FLAGS) version = (await request('PATCH', `/v1/flags/${flag}/environments/prod`, { token: admin, body: { enabled } })).body.version;
    return version;
  }
  const opened = await request('POST', '/v1/change-requests', {
    token: admin,
    body: { environment: 'prod', title, changes: FLAGS.map((flag) => ({ flag, set: { enabled } })) },
  });
  if (opened.status !== 201) throw new Error(opened.text);
  const approved = await request('POST', `/v1/change-requests/${opened.body.id}/approve`, { token: reviewer });
  if (approved.body.state !== 'approved') throw new Error(approved.text);
  const applied = await request('POST', `/v1/change-requests/${opened.body.id}/apply`, { token: reviewer });
  if (applied.status !== 200) throw new Error(applied.text);
  return applied.body.appliedVersion as number;
}

t.test('no OFREP or Unleash reader, streaming or polling, ever sees part of a change request', async (t) => {
  const before = new Map(readers.map((who) => [who.name, who.seen]));
  const started = performance.now();
  await applyAll(true, 'all on');
  await applyAll(false, 'all off');
  const last = await applyAll(true, 'all on again');

  await waitFor(
    'every reader to hold the last request',
    async () => {
      await Promise.all(streams.map((stream) => stream.settled()));
      const streamsDone = streams.every(({ stream }) => stream.received.some((message) => message.id === String(last)));
      return streamsDone && readers.every((who) => who.lastOn === FLAGS.length && who.seen > before.get(who.name)!);
    },
    30_000,
  );
  t.comment(`every reader held the last request ${(performance.now() - started).toFixed(0)} ms after the first was opened`);
  polling = false;
  await Promise.all(pollers);
  await Promise.all(streams.map((stream) => stream.settled()));
  t.same(readers.flatMap((who) => who.mixes), [], 'no reader ever held a mix');
  for (const who of readers) t.ok(who.seen > before.get(who.name)!, `${who.name} checked ${who.seen - before.get(who.name)!} states during the requests`);
  const announced = streams[0]!.stream.received.map((message) => Number(message.id)).filter((version) => version > last - 3);
  t.equal(new Set(announced).size, announced.length, 'the event stream announces each version once');
  t.ok(announced.every((version) => version === last - 2 || version === last - 1 || version === last), 'only the three versions the requests took');
});

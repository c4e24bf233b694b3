import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { inKeyOrder, readCachedSnapshot } from '../../shared/domain/snapshots/snapshot-store.js';
import { findEnvironment } from '../../shared/domain/environments/environment-repository.js';
import { listEnvironmentStates } from '../../shared/domain/flags/flag-state-reads.js';
import { FlagShipClient } from '../../packages/sdk/index.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { spawnNotifierProcess } from '../helpers/notifier.js';
import { deleteRedisKeys } from '../helpers/redis.js';
import { TcpProxy, viaProxy } from '../helpers/tcp-proxy.js';
import { createSdkToken } from './socket-client.js';

// Two notifier processes, 50 SDK clients spread over them, 8 writers making
// 100 changes each over REST, and meanwhile: notifier A's PostgreSQL
// connections cut and restored, notifier B killed (SIGKILL) and restarted on
// its port, the Redis cache deleted twice. Every client must end with
// PostgreSQL's flags, having seen every version once, in order.

const WRITERS = 8;
const CHANGES_PER_WRITER = 100;
const CLIENTS = 50;
const TOTAL = WRITERS * CHANGES_PER_WRITER;

const env = await createTestEnvironment(t, 'notifier-chaos');
const { request } = await startTestApi(t, env);
const admin = env.adminSecret;
const prefix = env.redisPrefix;

const flagKeys = Array.from({ length: WRITERS }, (_, writer) => `chaos_${writer}`);
for (const key of flagKeys) {
  const created = await request('POST', '/v1/flags', { token: admin, body: { key, environments: { prod: { enabled: true, rollout: 0 } } } });
  if (created.status !== 201) throw new Error(`could not create ${key}: ${created.text}`);
}
const sdk = await createSdkToken(request, admin, 'prod');

const proxyA = await new TcpProxy('127.0.0.1', 5432).start();
const proxyB = await new TcpProxy('127.0.0.1', 5432).start();
t.teardown(() => proxyA.close());
t.teardown(() => proxyB.close());
const [notifierA, firstB] = await Promise.all([
  spawnNotifierProcess(t, env, { databaseUrl: viaProxy(env.config.databaseUrl, proxyA.port) }),
  spawnNotifierProcess(t, env, { databaseUrl: viaProxy(env.config.databaseUrl, proxyB.port) }),
]);
let notifierB = firstB;
const portB = notifierB.port;

interface Observed {
  client: FlagShipClient;
  notifier: 'A' | 'B';
  versions: number[];
  snapshotsAfterReady: number;
}

const observed: Observed[] = [];
for (let index = 0; index < CLIENTS; index += 1) {
  const notifier = index % 2 === 0 ? 'A' : 'B';
  const client = new FlagShipClient({
    url: notifier === 'A' ? notifierA.url : notifierB.url,
    token: sdk.secret,
    reconnectDelayMs: 100,
    reconnectDelayMaxMs: 500,
  });
  t.teardown(() => client.close());
  observed.push({ client, notifier, versions: [], snapshotsAfterReady: 0 });
}
await Promise.all(observed.map((entry) => entry.client.ready()));
for (const entry of observed) {
  entry.versions.push(entry.client.version!);
  entry.client.on('change', (change) => {
    if (change.source === 'snapshot') entry.snapshotsAfterReady += 1;
    entry.versions.push(change.version);
  });
}

let written = 0;
/** Writes claimed so far, and how many the disruption schedule lets through. */
let claimed = 0;
let permitted = 0;

async function writer(index: number): Promise<void> {
  for (let change = 0; change < CHANGES_PER_WRITER; change += 1) {
    while (claimed >= permitted) await sleep(5);
    claimed += 1;
    // 1..100: each write differs from the one before, so each is a change.
    const response = await request('PATCH', `/v1/flags/${flagKeys[index]}/environments/prod`, {
      token: admin,
      body: { rollout: change + 1 },
    });
    if (response.status !== 200) throw new Error(`write failed: ${response.status} ${response.text}`);
    written += 1;
    await sleep(10);
  }
}

async function whenWritten(count: number): Promise<void> {
  while (written < count) await sleep(5);
}

// Each disruption happens at a point in the writes, and the writes wait for
// it there, so every one lands amid the writes however slow a machine is.
const disruptions: string[] = [];
async function disrupt(): Promise<void> {
  const at = (share: number) => Math.round(TOTAL * share);
  permitted = at(0.1);
  await whenWritten(at(0.1));
  proxyA.cut();
  disruptions.push(`cut A from PostgreSQL at ${written}`);
  permitted = at(0.3);
  await whenWritten(at(0.3));
  proxyA.restore();
  disruptions.push(`restored A at ${written}`);
  permitted = at(0.35);
  await whenWritten(at(0.35));
  disruptions.push(`killed B (${await notifierB.kill('SIGKILL')}) at ${written}`);
  permitted = at(0.45);
  await whenWritten(at(0.45));
  await deleteRedisKeys(prefix);
  disruptions.push(`flushed Redis at ${written}`);
  // Writes go on while B starts again.
  permitted = at(0.8);
  notifierB = await spawnNotifierProcess(t, env, { port: portB, databaseUrl: viaProxy(env.config.databaseUrl, proxyB.port) });
  disruptions.push('restarted B');
  await whenWritten(at(0.8));
  await deleteRedisKeys(prefix);
  disruptions.push(`flushed Redis at ${written}`);
  permitted = TOTAL;
}

// No assertion at the top level before the subtests: tap would end the root test after it.
await Promise.all([...Array.from({ length: WRITERS }, (_, index) => writer(index)), disrupt()]);

const truth = { version: (await findEnvironment(env.pool, 'prod'))!.version, flags: await listEnvironmentStates(env.pool, 'prod') };
// A bound on waiting, not a speed requirement: a client that never catches up fails below.
for (let waited = 0; waited < 30_000 && observed.some((entry) => entry.client.version !== truth.version); waited += 50) {
  await sleep(50);
}

t.test('every write and every disruption happened', async (t) => {
  t.equal(written, TOTAL);
  t.same(disruptions, [
    'cut A from PostgreSQL at 80',
    'restored A at 240',
    'killed B (SIGKILL) at 280',
    'flushed Redis at 360',
    'restarted B',
    'flushed Redis at 640',
  ]);
});

t.test('every client ends with the flags PostgreSQL has', async (t) => {
  const expected = inKeyOrder(truth.flags);
  for (const [index, entry] of observed.entries()) {
    t.equal(entry.client.version, truth.version, `client ${index} (on ${entry.notifier}) reached the last version`);
    t.same(inKeyOrder(entry.client.snapshot()?.flags ?? []), expected, `client ${index} holds PostgreSQL's flags`);
  }
});

t.test('every client saw every version once, in order', async (t) => {
  for (const [index, entry] of observed.entries()) {
    const first = entry.versions[0]!;
    const expected = Array.from({ length: truth.version - first + 1 }, (_, offset) => first + offset);
    t.same(entry.versions, expected, `client ${index} (on ${entry.notifier}): strictly increasing, no gap, no duplicate`);
    t.equal(entry.snapshotsAfterReady, 0, `client ${index} resumed by replay, never by a snapshot`);
    t.same(entry.client.stats.duplicatesIgnored, 0, `client ${index} was sent no duplicate`);
    t.same(entry.client.stats.gapsDetected, 0, `client ${index} was sent no gap`);
  }
  t.ok(
    observed.filter((entry) => entry.notifier === 'B').every((entry) => entry.client.stats.syncs >= 2),
    "B's clients reconnected after B was killed and resumed",
  );
});

t.test('the Redis cache holds the final snapshot again', async (t) => {
  // The flush removed it; the notifiers rewrite it on the next change.
  const cached = await readCachedSnapshot(env.redis, prefix, 'prod');
  t.equal(cached?.version, truth.version);
  t.same(cached?.flags, inKeyOrder(truth.flags));
});

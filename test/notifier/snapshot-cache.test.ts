import net from 'node:net';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { createSnapshotCache } from '../../services/api/snapshots/snapshot-cache.js';
import { readCachedSnapshot, storeSnapshotIfNewer } from '../../shared/domain/snapshots/snapshot-store.js';
import { createRedis } from '../../shared/redis/connection.js';
import type { Snapshot, SnapshotChanged } from '../../shared/schemas/snapshots.js';
import { redisKeys } from '../../shared/redis/keys.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { startTestNotifier } from '../helpers/notifier.js';
import { createSdkToken } from './socket-client.js';

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

/** Set by a test to hold the next PostgreSQL load between reading and writing back to Redis. */
let holdNextWriteBack: { loaded: ReturnType<typeof deferred<Snapshot>>; release: ReturnType<typeof deferred<void>> } | undefined;
/** The cache's clock runs this far ahead: a test moves it to expire the in-process copy. */
let clockSkewMs = 0;

const env = await createTestEnvironment(t, 'snapshot-cache');
const api = await startTestApi(t, env, {
  snapshots: 'cache',
  cache: {
    now: () => Date.now() + clockSkewMs,
    beforeWriteBack: async (snapshot) => {
      const hold = holdNextWriteBack;
      if (!hold) return;
      holdNextWriteBack = undefined;
      hold.loaded.resolve(snapshot);
      await hold.release.promise;
    },
  },
});
await startTestNotifier(t, env);
const { request, snapshots } = api;
const admin = env.adminSecret;
const prefix = env.redisPrefix;
const sdk = await createSdkToken(request, admin, 'prod');

await request('POST', '/v1/flags', { token: admin, body: { key: 'banner', environments: { prod: { enabled: true, rollout: 10 } } } });

async function setRollout(rollout: number): Promise<number> {
  const response = await request('PATCH', '/v1/flags/banner/environments/prod', { token: admin, body: { rollout } });
  if (response.status !== 200) throw new Error(`PATCH failed: ${response.status} ${response.text}`);
  return response.body.version;
}

/**
 * Makes a change and waits until the API's cache has heard of it. The listener
 * is in place before the change, and the highest announced version is checked
 * after the PATCH answers: the push often arrives before the REST response.
 */
async function setRolloutAndWait(rollout: number): Promise<number> {
  let highest = -1;
  let wake: () => void = () => undefined;
  const stop = snapshots.onChange((change) => {
    if (change.environment !== 'prod') return;
    highest = Math.max(highest, change.version);
    wake();
  });
  try {
    const version = await setRollout(rollout);
    while (highest < version) {
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
    return version;
  } finally {
    stop();
  }
}

async function cachedVersion(): Promise<number | undefined> {
  return (await readCachedSnapshot(env.redis, prefix, 'prod'))?.version;
}

t.test('GET /v1/client/flags: the snapshot with the version as ETag, 304 when current', async (t) => {
  const version = await setRolloutAndWait(20);
  const first = await request('GET', '/v1/client/flags', { token: sdk.secret });
  t.equal(first.status, 200);
  t.equal(first.headers.get('etag'), `"${version}"`);
  t.match(first.body, { environment: 'prod', version, flags: [{ key: 'banner', rollout: 20 }] });

  const unchanged = await request('GET', '/v1/client/flags', { token: sdk.secret, headers: { 'if-none-match': `"${version}"` } });
  t.equal(unchanged.status, 304);
  t.equal(unchanged.text, '');

  const next = await setRolloutAndWait(30);
  const changed = await request('GET', '/v1/client/flags', { token: sdk.secret, headers: { 'if-none-match': `"${version}"` } });
  t.equal(changed.status, 200);
  t.equal(changed.headers.get('etag'), `"${next}"`);
  t.match(changed.body.flags, [{ key: 'banner', rollout: 30 }]);
});

t.test('the compare-and-set script never lets an older snapshot replace a newer one', async (t) => {
  const key = redisKeys.snapshot(`${prefix}-script`, 'dev');
  t.teardown(() => env.redis.del(key).then(() => undefined));
  const older: Snapshot = { environment: 'dev', version: 4, flags: [], segments: [] };
  const newer: Snapshot = { environment: 'dev', version: 5, flags: [], segments: [] };
  t.equal(await storeSnapshotIfNewer(env.redis, `${prefix}-script`, newer), true);
  t.equal(await storeSnapshotIfNewer(env.redis, `${prefix}-script`, older), false);
  t.equal(await storeSnapshotIfNewer(env.redis, `${prefix}-script`, newer), false);
  t.equal((await readCachedSnapshot(env.redis, `${prefix}-script`, 'dev'))?.version, 5);
});

t.test('the cache race: a PostgreSQL read that a change overtakes never leaves Redis, nor any reader, with the older snapshot', async (t) => {
  const start = await setRolloutAndWait(40);
  // Empty cache (as after a flush or an expiry), so the next read loads from PostgreSQL.
  await env.redis.del(redisKeys.snapshot(prefix, 'prod'));
  // And the in-process copy expired (the cache refreshed it when it heard of the change).
  clockSkewMs += 60_000;

  holdNextWriteBack = { loaded: deferred<Snapshot>(), release: deferred<void>() };
  const hold = holdNextWriteBack;
  const slowRead = snapshots.get('prod');
  const loaded = await hold.loaded.promise;
  t.equal(loaded.version, start, 'the slow read loaded the snapshot before the change');

  // While that read is held between PostgreSQL and Redis, a change commits
  // and the notifier stores the newer snapshot.
  const newer = await setRolloutAndWait(50);
  t.equal(await cachedVersion(), newer);

  // Another request is served the newer snapshot meanwhile.
  const served = await snapshots.get('prod');
  t.equal(served.version, newer);

  // Now the slow read goes on to write back what it loaded: refused.
  hold.release.resolve();
  const slow = await slowRead;
  t.equal(await cachedVersion(), newer, 'Redis still holds the newer snapshot');
  t.equal(slow.version, newer, 'the slow reader is not served a version older than one already served');
  t.match(slow.flags, [{ key: 'banner', rollout: 50 }]);

  const http = await request('GET', '/v1/client/flags', { token: sdk.secret });
  t.equal(http.body.version, newer);
});

t.test('with Redis unreachable, reads fall back to PostgreSQL', async (t) => {
  // A port nothing listens on: this Redis connection never becomes ready.
  const closedPort = await new Promise<number>((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
  const deadRedis = createRedis(`redis://127.0.0.1:${closedPort}`, env.logger);
  t.teardown(() => deadRedis.disconnect());
  const cache = createSnapshotCache({ pool: env.pool, redis: deadRedis, redisPrefix: prefix, logger: env.logger });
  t.teardown(() => cache.close());
  const current = (await request('GET', '/v1/flags/banner/environments/prod', { token: admin })).body.version;
  const snapshot = await cache.get('prod');
  t.equal(snapshot.version, current);
  t.match(snapshot.flags, [{ key: 'banner', rollout: 50 }]);
});

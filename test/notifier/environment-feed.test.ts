import t from 'tap';
import type { FlagChange } from '../../shared/schemas/socket.js';
import { loadSnapshot } from '../../shared/domain/snapshots/snapshot-repository.js';
import { redisKeys } from '../../shared/redis/keys.js';
import { createCacheWriter } from '../../services/notifier/cache-writer.js';
import { EnvironmentFeed, RECENT_CHANGES } from '../../services/notifier/environment-feed.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';

/*
 * A feed remembers its latest changes (RECENT_CHANGES of them at least) for
 * sockets resuming a little behind: exactly the versions after `since`, in
 * order, or undefined when it does not hold them all.
 */

const env = await createTestEnvironment(t, 'environment-feed');
const { request } = await startTestApi(t, env);
const admin = env.adminSecret;
const created = await request('POST', '/v1/flags', { token: admin, body: { key: 'dial', environments: { prod: { enabled: true, rollout: 0 } } } });
if (created.status !== 201) throw new Error(`could not create the flag: ${created.status} ${created.text}`);

const delivered: FlagChange[] = [];
const cache = createCacheWriter(env.redis, env.redisPrefix, env.logger);
t.teardown(() => cache.close());
const feed = new EnvironmentFeed('prod', env.pool, cache, {
  deliver: (change) => delivered.push(change),
  reached: () => undefined,
});
const versionOf = (change: FlagChange) => change.version;

t.test('before its first catch-up it holds nothing', async (t) => {
  t.equal(feed.changesAfter(0, 10), undefined);
});

t.test('the changes after a version, from memory, within what it relayed', async (t) => {
  await feed.catchUp();
  const loadedAt = feed.relayedVersion!;
  t.same(feed.changesAfter(loadedAt, 10), [], 'at the relayed version: nothing to send');
  t.equal(feed.changesAfter(loadedAt - 1, 10), undefined, 'before the snapshot it loaded: not held');
  t.equal(feed.changesAfter(loadedAt + 1, 10), undefined, 'ahead of it: not held');

  for (let rollout = 1; rollout <= 5; rollout += 1) {
    const changed = await request('PATCH', '/v1/flags/dial/environments/prod', { token: admin, body: { rollout } });
    t.equal(changed.status, 200);
  }
  await feed.catchUp();
  t.equal(feed.relayedVersion, loadedAt + 5);
  t.same(feed.changesAfter(loadedAt, 10)!.map(versionOf), [1, 2, 3, 4, 5].map((step) => loadedAt + step));
  t.same(feed.changesAfter(loadedAt + 2, 10)!.map(versionOf), [3, 4, 5].map((step) => loadedAt + step));
  t.same(feed.changesAfter(loadedAt, 2)!.map(versionOf), [loadedAt + 1, loadedAt + 2], 'at most limit');
  t.same(feed.changesAfter(loadedAt + 1, 10), delivered.slice(1), 'the very changes it relayed');
});

t.test('it keeps the latest ones, not all', async (t) => {
  // Through the API, as every change goes (its triggers write the events).
  const start = feed.relayedVersion!;
  const total = RECENT_CHANGES * 2 + 50;
  for (let index = 0; index < total; index += 1) {
    const changed = await request('PATCH', '/v1/flags/dial/environments/prod', { token: admin, body: { rollout: index % 100 } });
    if (changed.status !== 200) throw new Error(`PATCH ${index}: ${changed.status}`);
  }
  await feed.catchUp();
  const end = feed.relayedVersion!;
  t.equal(end, start + total);
  t.equal(feed.changesAfter(start, 10), undefined, 'the oldest were let go');
  const kept = feed.changesAfter(end - RECENT_CHANGES, RECENT_CHANGES)!;
  t.equal(kept.length, RECENT_CHANGES, 'at least RECENT_CHANGES are held');
  t.same(kept.map(versionOf), Array.from({ length: RECENT_CHANGES }, (_, index) => end - RECENT_CHANGES + 1 + index));
});

t.test('Redis and a joining socket are given the relayed snapshot as its exact JSON, made once per version', async (t) => {
  const segment = await request('POST', '/v1/segments', { token: admin, body: { name: 'staff', constraints: [{ contextName: 'email', operator: 'STR_ENDS_WITH', values: ['@acme.com'] }] } });
  t.equal(segment.status, 201);
  const added = await request('POST', '/v1/flags', { token: admin, body: { key: 'another', environments: { prod: { enabled: true, rollout: 30 } } } });
  t.equal(added.status, 201);
  await feed.catchUp();
  await cache.idle();
  const snapshot = feed.relayedSnapshot()!;
  t.same(snapshot.flags.map((flag) => flag.key), ['another', 'dial'], 'the new flag in key order');
  t.same(snapshot.segments.map((stored) => stored.id), [segment.body.id]);
  const stored = await env.redis.hget(redisKeys.snapshot(env.redisPrefix, 'prod'), 'snapshot');
  t.equal(stored, JSON.stringify(snapshot), 'Redis holds the very text JSON.stringify writes');
  const payload = feed.relayedPayload()!;
  t.equal(payload.version, snapshot.version);
  t.equal(payload.payload.json, stored, 'and a socket is sent the same text');
  t.equal(feed.relayedPayload()!.payload, payload.payload, 'made once for the version');
});

t.test('flags added with keys beyond U+FFFF are listed in the order PostgreSQL lists them', async (t) => {
  for (const key of ['ｚoom', '😀party', 'ﬀ', '𝐀bold']) {
    const created = await request('POST', '/v1/flags', { token: admin, body: { key, environments: { prod: { enabled: true } } } });
    t.equal(created.status, 201, created.text);
  }
  await feed.catchUp();
  const fromTable = await loadSnapshot(env.pool, 'prod');
  t.equal(feed.relayedVersion, fromTable.version);
  t.same(feed.relayedSnapshot()!.flags.map((flag) => flag.key), fromTable.flags.map((flag) => flag.key));
  t.same(fromTable.flags.map((flag) => flag.key).slice(-4), ['ﬀ', 'ｚoom', '𝐀bold', '😀party'], 'code point order');
});

import t from 'tap';
import { snapshotJson } from '../../shared/domain/snapshots/snapshot-json.js';
import { SNAPSHOT_FORMAT, readCachedSnapshot, storeSnapshotIfNewer } from '../../shared/domain/snapshots/snapshot-store.js';
import type { Snapshot } from '../../shared/schemas/snapshots.js';
import { redisKeys } from '../../shared/redis/keys.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { startTestNotifier } from '../helpers/notifier.js';
import { waitFor } from '../helpers/worker.js';
import { createSdkToken, rawSocket } from './socket-client.js';

/*
 * A cached snapshot carries the format it was written in (a digest of the
 * schema). One of this code's format is read without the schema check, and
 * its text is what the API and the notifier then send, as it is; any other is
 * checked as before, so an entry left by another version of FlagShip is never
 * taken on trust.
 */

const env = await createTestEnvironment(t, 'snapshot-format');
const prefix = `${env.redisPrefix}-format`;
const key = redisKeys.snapshot(prefix, 'prod');
t.teardown(() => env.redis.del(key).then(() => undefined));

const snapshot: Snapshot = {
  environment: 'prod',
  version: 9,
  flags: [
    {
      id: '6f1c2d0e-8a7b-4c3d-9e2f-1a2b3c4d5e6f',
      key: 'checkout',
      project: 'default',
      environment: 'prod',
      enabled: true,
      rollout: 100,
      strategies: [{ name: 'default', parameters: {}, constraints: [] }],
      variants: [],
      dependencies: [],
      version: 9,
      updatedAt: '2026-12-01T10:00:00.000Z',
      updatedBy: 'admin "quoted" é',
    },
  ],
  segments: [],
};
const writeRaw = (fields: Record<string, string>) => env.redis.del(key).then(() => env.redis.hset(key, { version: '9', ...fields }));

t.test('an entry this code wrote is stored with its format, read as it parses, and its text is kept', async (t) => {
  await env.redis.del(key);
  t.equal(await storeSnapshotIfNewer(env.redis, prefix, snapshot), true);
  t.equal(await env.redis.hget(key, 'format'), `${SNAPSHOT_FORMAT}:9`, 'the format, and the version it was written at');
  const stored = (await env.redis.hget(key, 'snapshot'))!;
  const read = await readCachedSnapshot(env.redis, prefix, 'prod');
  t.same(read, snapshot);
  t.equal(snapshotJson(read!), stored, 'the text read is the JSON that will be sent');
  t.equal(stored, JSON.stringify(snapshot));
});

t.test('an entry of another format, or none, is checked against the schema', async (t) => {
  await writeRaw({ snapshot: JSON.stringify(snapshot) });
  const untagged = await readCachedSnapshot(env.redis, prefix, 'prod');
  t.same(untagged, snapshot, 'a valid entry without a format is still read');
  t.equal(snapshotJson(untagged!), JSON.stringify(snapshot), 'its JSON is made, not remembered');

  const broken = { ...snapshot, flags: [{ ...snapshot.flags[0], strategies: 'everyone' }] };
  await writeRaw({ snapshot: JSON.stringify(broken), format: 'an-older-format' });
  t.equal(await readCachedSnapshot(env.redis, prefix, 'prod'), undefined, 'an invalid entry of another format is refused');
  await writeRaw({ snapshot: JSON.stringify(broken) });
  t.equal(await readCachedSnapshot(env.redis, prefix, 'prod'), undefined, 'and one without a format');
});

t.test('even of this format, an entry must be the environment’s snapshot', async (t) => {
  for (const [what, text] of [
    ['another environment', JSON.stringify({ ...snapshot, environment: 'dev' })],
    ['no version', JSON.stringify({ ...snapshot, version: 'nine' })],
    ['flags not a list', JSON.stringify({ ...snapshot, flags: {} })],
    ['not an object', '[1,2,3]'],
    ['not JSON', '{"environment":'],
  ] as const) {
    await writeRaw({ snapshot: text, format: `${SNAPSHOT_FORMAT}:9` });
    t.equal(await readCachedSnapshot(env.redis, prefix, 'prod'), undefined, what);
  }
});

t.test('a tag names the version it was written with: one left behind by a writer that sets no tag is not trusted', async (t) => {
  await env.redis.del(key);
  t.equal(await storeSnapshotIfNewer(env.redis, prefix, snapshot), true);
  // What the store script of a FlagShip from before the tag does: version and snapshot, the tag left as it was.
  const broken = { ...snapshot, version: 10, flags: [{ key: 42, strategies: 'everyone' }, null] };
  await env.redis.hset(key, { version: '10', snapshot: JSON.stringify(broken) });
  t.equal(await readCachedSnapshot(env.redis, prefix, 'prod'), undefined, 'checked against the schema, and refused');
  const valid = { ...snapshot, version: 10 };
  await env.redis.hset(key, { version: '10', snapshot: JSON.stringify(valid) });
  t.same(await readCachedSnapshot(env.redis, prefix, 'prod'), valid, 'a valid one is read, after the check');
});

t.test('the text kept is the very text Redis holds', async (t) => {
  // Not JSON.stringify's spacing: only a text kept as read, not made again, comes back like this.
  const spaced = JSON.stringify(snapshot, null, 1);
  await writeRaw({ snapshot: spaced, format: `${SNAPSHOT_FORMAT}:9` });
  const read = await readCachedSnapshot(env.redis, prefix, 'prod');
  t.same(read, snapshot);
  t.equal(snapshotJson(read!), spaced);
});

t.test('the API and the notifier send the text Redis holds', async (t) => {
  const { request } = await startTestApi(t, env, { snapshots: 'cache' });
  const notifier = await startTestNotifier(t, env);
  const admin = env.adminSecret;
  const created = await request('POST', '/v1/flags', { token: admin, body: { key: 'banner', environments: { prod: { enabled: true, rollout: 25 } } } });
  t.equal(created.status, 201);
  const version: number = created.body.environments.prod.version;
  await notifier.relayed('prod', version);
  const cachedKey = redisKeys.snapshot(env.redisPrefix, 'prod');
  const stored = await waitFor('the notifier to cache the version', async () => {
    const [text, format] = await env.redis.hmget(cachedKey, 'snapshot', 'format');
    return text && format === `${SNAPSHOT_FORMAT}:${version}` && (JSON.parse(text) as Snapshot).version === version ? text : undefined;
  });
  const sdk = await createSdkToken(request, admin, 'prod');
  const served = await waitFor('the API to serve the version', async () => {
    const response = await request('GET', '/v1/client/flags', { token: sdk.secret });
    return response.body.version === version ? response : undefined;
  });
  t.equal(served.text, stored, 'GET /v1/client/flags is the cached text, byte for byte');

  // The notifier's own snapshot (joined from each flag's JSON) is the text it cached, framed as Socket.IO frames an event.
  const socket = rawSocket(notifier.url, { token: sdk.secret });
  t.teardown(socket.close);
  const frames: string[] = [];
  socket.socket.io.on('open', () => socket.socket.io.engine.on('data', (data: unknown) => frames.push(String(data))));
  await socket.next('flags:synced');
  t.equal(frames.find((frame) => frame.startsWith('2["flags:snapshot",')), `2["flags:snapshot",${stored}]`, 'the snapshot frame carries the same text');
});

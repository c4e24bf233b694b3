import { setTimeout } from 'node:timers/promises';
import t from 'tap';
import { readCachedSnapshot } from '../../shared/domain/snapshots/snapshot-store.js';
import type { Snapshot } from '../../shared/schemas/snapshots.js';
import { redisKeys } from '../../shared/redis/keys.js';
import { FlagShipClient } from '../../packages/sdk/index.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { startTestNotifier } from '../helpers/notifier.js';
import { changeWhere } from '../sdk/support.js';
import { createSdkToken, rawSocket } from './socket-client.js';

const env = await createTestEnvironment(t, 'notifier-push');
const { request } = await startTestApi(t, env);
const notifier = await startTestNotifier(t, env);
const admin = env.adminSecret;

await request('POST', '/v1/flags', { token: admin, body: { key: 'checkout', environments: { prod: { enabled: false, rollout: 100 } } } });
await request('POST', '/v1/flags', { token: admin, body: { key: 'search', environments: { prod: { enabled: true, rollout: 100 } } } });
const sdk = await createSdkToken(request, admin, 'prod');

async function patch(key: string, change: { enabled?: boolean; rollout?: number }) {
  const response = await request('PATCH', `/v1/flags/${key}/environments/prod`, { token: admin, body: change });
  if (response.status !== 200) throw new Error(`PATCH failed: ${response.status} ${response.text}`);
  return response.body.version as number;
}

t.test('a change made over REST reaches a connected SDK client', async (t) => {
  const client = new FlagShipClient({ url: notifier.url, token: sdk.secret });
  t.teardown(() => client.close());
  await client.ready();
  t.equal(client.source, 'server');
  t.equal(client.isEnabled('checkout', { key: 'user-1' }), false);

  const arrived = changeWhere(client, (change) => change.source === 'change');
  const version = await patch('checkout', { enabled: true });
  const change = await arrived;
  t.equal(change.version, version);
  t.match(change.flags, [{ key: 'checkout', enabled: true, version }]);
  t.equal(client.version, version);
  t.equal(client.isEnabled('checkout', { key: 'user-1' }), true);
});

t.test('a client that connects later gets the snapshot', async (t) => {
  await notifier.relayed('prod', await patch('search', { rollout: 40 }));
  const socket = rawSocket(notifier.url, { token: sdk.secret });
  t.teardown(socket.close);
  await socket.next('flags:synced');
  t.same(socket.received.map((entry) => entry.event), ['flags:snapshot', 'flags:synced']);
  const snapshot = socket.received[0]!.payload as { version: number; flags: Array<{ key: string; rollout: number }> };
  const current = await request('GET', '/v1/flags/search/environments/prod', { token: admin });
  t.equal(snapshot.version, current.body.version);
  t.same(snapshot.flags.map((flag) => [flag.key, flag.rollout]), [['checkout', 100], ['search', 40]]);
});

t.test('a client that reconnects with since gets exactly the changes it missed', async (t) => {
  const before = (await request('GET', '/v1/flags/search/environments/prod', { token: admin })).body.version as number;
  const missed = [await patch('search', { rollout: 50 }), await patch('checkout', { enabled: false }), await patch('search', { rollout: 60 })];
  await notifier.relayed('prod', missed[2]!);
  const socket = rawSocket(notifier.url, { token: sdk.secret, since: before });
  t.teardown(socket.close);
  await socket.next('flags:synced');
  t.same(socket.received.map((entry) => entry.event), ['flags:change', 'flags:change', 'flags:change', 'flags:synced']);
  t.same(socket.changeVersions(), missed);
  t.match(socket.received.map((entry) => entry.payload), [
    { flag: { key: 'search', rollout: 50 } },
    { flag: { key: 'checkout', enabled: false } },
    { flag: { key: 'search', rollout: 60 } },
    { version: missed[2] },
  ]);

  // Live changes follow the replay without a gap.
  const live = await patch('search', { rollout: 70 });
  await socket.next('flags:change', 4);
  t.same(socket.changeVersions(), [...missed, live]);
});

t.test('a since from before the replay window, or ahead of the server, gets a snapshot', async (t) => {
  const narrow = await startTestNotifier(t, env, { replayWindow: 2 });
  const current = await patch('search', { rollout: 80 });
  await patch('search', { rollout: 81 });
  await patch('search', { rollout: 82 });
  const latest = current + 2;
  await narrow.relayed('prod', latest);

  const within = rawSocket(narrow.url, { token: sdk.secret, since: latest - 2 });
  t.teardown(within.close);
  await within.next('flags:synced');
  t.same(within.received.map((entry) => entry.event), ['flags:change', 'flags:change', 'flags:synced']);

  for (const since of [latest - 3, latest + 10]) {
    const socket = rawSocket(narrow.url, { token: sdk.secret, since });
    t.teardown(socket.close);
    await socket.next('flags:synced');
    t.same(socket.received.map((entry) => entry.event), ['flags:snapshot', 'flags:synced'], `since ${since} of ${latest}`);
    t.match(socket.received[0]!.payload, { version: latest, flags: [{ key: 'checkout' }, { key: 'search', rollout: 82 }] });
  }
});

t.test('a joining socket starts from what the notifier relayed, even when Redis holds an older snapshot', async (t) => {
  const watcher = rawSocket(notifier.url, { token: sdk.secret });
  t.teardown(watcher.close);
  await watcher.next('flags:synced');
  const older = (await request('GET', '/v1/client/flags', { token: sdk.secret })).body as Snapshot;
  const version = await patch('search', { rollout: 90 });
  await watcher.next('flags:change');
  // Once the notifier's own write has landed, Redis is set back to the older
  // snapshot, as a write still in flight or a restored Redis would leave it.
  while (((await readCachedSnapshot(env.redis, env.redisPrefix, 'prod'))?.version ?? -1) < version) await setTimeout(10);
  const key = redisKeys.snapshot(env.redisPrefix, 'prod');
  await env.redis.hset(key, 'version', String(older.version), 'snapshot', JSON.stringify(older));

  const joining = rawSocket(notifier.url, { token: sdk.secret });
  t.teardown(joining.close);
  await joining.next('flags:synced');
  t.same(joining.received.map((entry) => entry.event), ['flags:snapshot', 'flags:synced']);
  t.match(joining.received[0]!.payload, { version, flags: [{ key: 'checkout' }, { key: 'search', rollout: 90 }] });
  t.match(joining.received[1]!.payload, { version });
});

t.test('an archived flag arrives with archived: true and leaves the SDK', async (t) => {
  const client = new FlagShipClient({ url: notifier.url, token: sdk.secret });
  t.teardown(() => client.close());
  await client.ready();
  t.ok(client.snapshot()!.flags.some((flag) => flag.key === 'checkout'));
  const archived = changeWhere(client, (change) => change.source === 'change');
  const response = await request('DELETE', '/v1/flags/checkout', { token: admin });
  t.equal(response.status, 200);
  const change = await archived;
  t.match(change.flags, [{ key: 'checkout', archived: true }]);
  t.notOk(client.snapshot()!.flags.some((flag) => flag.key === 'checkout'));
  t.match(client.evaluate('checkout', { key: 'u' }), { value: false, errorCode: 'FLAG_NOT_FOUND' });
});

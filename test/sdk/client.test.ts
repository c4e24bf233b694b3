import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { definitionsOf, evaluate } from '../../packages/evaluation/index.js';
import { FlagShipClient, fileSnapshotStore, type FlagShipChange, type Snapshot } from '../../packages/sdk/node.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { startTestNotifier } from '../helpers/notifier.js';
import { createSdkToken } from '../notifier/socket-client.js';
import { changeWhere, freePort } from './support.js';

const env = await createTestEnvironment(t, 'sdk-client');
const { request } = await startTestApi(t, env);
const admin = env.adminSecret;
const sdk = await createSdkToken(request, admin, 'staging');
await request('POST', '/v1/flags', { token: admin, body: { key: 'new_ui', environments: { staging: { enabled: true, rollout: 30 } } } });
await request('POST', '/v1/flags', { token: admin, body: { key: 'dark_mode', environments: { staging: { enabled: false } } } });

const directory = await mkdtemp(path.join(os.tmpdir(), 'flagship-sdk-'));
t.teardown(() => rm(directory, { recursive: true, force: true }));

async function patch(key: string, change: { enabled?: boolean; rollout?: number }): Promise<number> {
  const response = await request('PATCH', `/v1/flags/${key}/environments/staging`, { token: admin, body: change });
  if (response.status !== 200) throw new Error(`PATCH failed: ${response.status} ${response.text}`);
  return response.body.version;
}

async function currentSnapshot(): Promise<Snapshot> {
  return (await request('GET', '/v1/client/flags', { token: sdk.secret })).body;
}

t.test('isEnabled evaluates locally with the shared evaluation function', async (t) => {
  const notifier = await startTestNotifier(t, env);
  const client = new FlagShipClient({ url: notifier.url, token: sdk.secret, environment: 'staging' });
  t.teardown(() => client.close());
  await client.ready();
  const newUi = (await currentSnapshot()).flags.find((flag) => flag.key === 'new_ui');
  let on = 0;
  for (let user = 0; user < 200; user += 1) {
    const context = { key: `user-${user}` };
    t.equal(client.isEnabled('new_ui', context), evaluate(definitionsOf([newUi!]), 'new_ui', context).enabled);
    if (client.isEnabled('new_ui', context)) on += 1;
  }
  t.ok(on > 0 && on < 200, 'a 30% rollout is on for some users and off for others');
  t.equal(client.isEnabled('dark_mode', { key: 'user-1' }), false);
  t.match(client.evaluate('new_ui', {}), { enabled: false, value: false, errorCode: 'TARGETING_KEY_MISSING' });
  t.match(client.evaluate('no_such_flag', { key: 'u' }), { enabled: false, value: false, errorCode: 'FLAG_NOT_FOUND' });
});

t.test('after the notifier restarts, the client resumes with exactly the changes it missed', async (t) => {
  const port = await freePort();
  const first = await startTestNotifier(t, env, { port });
  const client = new FlagShipClient({ url: first.url, token: sdk.secret, reconnectDelayMs: 50, reconnectDelayMaxMs: 200 });
  t.teardown(() => client.close());
  await client.ready();
  const before = client.version!;
  const changes: FlagShipChange[] = [];
  client.on('change', (change) => changes.push(change));

  await first.close();
  const missed = [await patch('dark_mode', { enabled: true }), await patch('new_ui', { rollout: 60 })];
  const caughtUp = changeWhere(client, (change) => change.version === missed[1]);
  await startTestNotifier(t, env, { port });
  await caughtUp;

  t.same(changes.map((change) => [change.source, change.version]), [['change', before + 1], ['change', before + 2]]);
  t.same(missed, [before + 1, before + 2]);
  t.equal(client.isEnabled('dark_mode', { key: 'u' }), true);
  t.equal(client.stats.syncs, 2);
});

t.test('an app starts on its bootstrap flags while FlagShip is down, then catches up from their version', async (t) => {
  const bootstrap = await currentSnapshot();
  const newer = await patch('new_ui', { rollout: 100 });
  const port = await freePort();
  const client = new FlagShipClient({ url: `http://127.0.0.1:${port}`, token: sdk.secret, bootstrap, reconnectDelayMs: 50, reconnectDelayMaxMs: 200 });
  t.teardown(() => client.close());
  await client.ready();
  t.equal(client.source, 'bootstrap');
  t.equal(client.version, bootstrap.version);
  t.equal(client.isEnabled('dark_mode', { key: 'u' }), true);

  const resumed = changeWhere(client, (change) => change.version === newer);
  await startTestNotifier(t, env, { port });
  const change = await resumed;
  t.equal(change.source, 'change', 'replayed from the bootstrap version, not replaced by a snapshot');
  t.equal(client.source, 'server');
  t.equal(client.isEnabled('new_ui', { key: 'anyone' }), true);
});

t.test('the last-known snapshot in a store lets the next start work without FlagShip', async (t) => {
  const file = path.join(directory, 'flags.json');
  const notifier = await startTestNotifier(t, env);
  const online = new FlagShipClient({ url: notifier.url, token: sdk.secret, store: fileSnapshotStore(file) });
  await online.ready();
  const arrived = changeWhere(online, (change) => change.source === 'change');
  await patch('dark_mode', { enabled: false });
  await arrived;
  const known = online.snapshot();
  await online.close();

  const offline = new FlagShipClient({ url: `http://127.0.0.1:${await freePort()}`, token: sdk.secret, store: fileSnapshotStore(file) });
  t.teardown(() => offline.close());
  await offline.ready();
  t.equal(offline.source, 'store');
  t.same(offline.snapshot(), known);
  t.equal(offline.isEnabled('dark_mode', { key: 'u' }), false);
});

t.test('with no flags to fall back on, ready() rejects once FlagShip stays unreachable', async (t) => {
  const client = new FlagShipClient({ url: `http://127.0.0.1:${await freePort()}`, token: sdk.secret, readyTimeoutMs: 300 });
  t.teardown(() => client.close());
  await t.rejects(client.ready(), /did not answer within 300 ms/);
  t.equal(client.isEnabled('new_ui', { key: 'u' }), false);
});

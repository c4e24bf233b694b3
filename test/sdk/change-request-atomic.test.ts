import t from 'tap';
import { FlagShipClient } from '../../packages/sdk/node.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { startTestNotifier } from '../helpers/notifier.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';
import { waitFor } from '../helpers/worker.js';
import { createSdkToken } from '../notifier/socket-client.js';

/*
 * An applied change request reaches every running app as one step: 100 real
 * SDK clients (30 of them through a fault proxy that cuts them off while
 * requests are applied, so they resume from their version and are replayed
 * what they missed) check, at every change they apply, that the 20 flags the
 * requests switch together are all on or all off. None may ever hold a mix.
 */
const CLIENTS = 100;
const PROXIED = 30;
const FLAGS = Array.from({ length: 20 }, (_, index) => `atomic_${String(index).padStart(2, '0')}`);

const env = await createTestEnvironment(t, 'cr-atomic');
const { request } = await startTestApi(t, env);
const notifier = await startTestNotifier(t, env);
const admin = env.adminSecret;
const reviewer = (await request('POST', '/v1/tokens', { token: admin, body: { name: 'reviewer', kind: 'admin' } })).body.secret as string;
for (const key of FLAGS) {
  const created = await request('POST', '/v1/flags', { token: admin, body: { key, environments: { prod: { enabled: false, rollout: 100 } } } });
  if (created.status !== 201) throw new Error(created.text);
}
const sdk = await createSdkToken(request, admin, 'prod');
const proxy = await new TcpProxy('127.0.0.1', Number(new URL(notifier.url).port)).start();
t.teardown(() => proxy.close());

interface Watched {
  client: FlagShipClient;
  mixes: string[];
  changesSeen: number;
}

function watch(url: string): Watched {
  // A generous ready bound: 100 clients connecting at once on a loaded machine.
  const client = new FlagShipClient({ url, token: sdk.secret, environment: 'prod', reconnectDelayMs: 50, reconnectDelayMaxMs: 300, readyTimeoutMs: 60_000 });
  const watched: Watched = { client, mixes: [], changesSeen: 0 };
  client.on('change', () => {
    watched.changesSeen += 1;
    const on = FLAGS.filter((key) => client.isEnabled(key, { key: 'someone' }));
    if (on.length !== 0 && on.length !== FLAGS.length) watched.mixes.push(`version ${client.version}: ${on.length} of ${FLAGS.length} on`);
  });
  return watched;
}

const clients = Array.from({ length: CLIENTS }, (_, index) => watch(index < PROXIED ? `http://127.0.0.1:${proxy.port}` : notifier.url));
t.teardown(() => Promise.all(clients.map(({ client }) => client.close())));
await Promise.all(clients.map(({ client }) => client.ready()));

async function applyAll(enabled: boolean, title: string): Promise<number> {
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

t.test('no client of 100 ever holds a mix of a change request, live or resumed', async (t) => {
  const start = clients[0]!.client.version!;
  await applyAll(true, 'all on');
  // The proxied clients are cut off while the next two apply, and resume from their version.
  proxy.cut();
  await applyAll(false, 'all off');
  const last = await applyAll(true, 'all on again');
  t.equal(last, start + 3, 'each request took exactly one version');
  proxy.restore();

  const { rows } = await env.pool.query<{ version: number }>(`select version::int from environment where key = 'prod'`);
  const final = rows[0]!.version;
  await waitFor('every client to reach the last version', async () => clients.every(({ client }) => client.version === final), 60_000);
  const mixes = clients.flatMap(({ mixes }) => mixes);
  t.same(mixes, [], 'no client ever evaluated part of a request');
  t.ok(clients.every(({ client }) => FLAGS.every((key) => client.isEnabled(key, { key: 'someone' }))), 'every client ends with all 20 on');
  t.ok(clients.slice(PROXIED).every(({ changesSeen }) => changesSeen >= 3), 'the directly connected clients applied each request as a change');
});

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { OpenFeature } from '@openfeature/server-sdk';
import { FlagShipProvider } from '../../packages/openfeature/server.js';
import { FlagShipBrowserClient } from '../../packages/sdk/browser.js';
import { FlagShipClient } from '../../packages/sdk/index.js';
import { addClientEventBatches } from '../../shared/domain/client-events/client-event-repository.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { startTestNotifier } from '../helpers/notifier.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';
import { createFrontendToken, createSdkToken } from '../helpers/tokens.js';

const env = await createTestEnvironment(t, 'client-events');
const api = await startTestApi(t, env);
const notifier = await startTestNotifier(t, env);
const { request } = api;
const admin = env.adminSecret;
const sdk = await createSdkToken(request, admin, 'prod');
const frontend = await createFrontendToken(request, admin, 'prod');

for (const [key, rollout] of [['checkout', 100], ['half', 50], ['retried', 100], ['away', 100]] as const) {
  const created = await request('POST', '/v1/flags', { token: admin, body: { key, environments: { prod: { enabled: true, rollout } } } });
  if (created.status !== 201) throw new Error(created.text);
  await notifier.relayed('prod', created.body.environments.prod.version);
}

/** The stored rows of a flag: `variant/event/app` → count (and sum), summed over minutes. */
async function rowsOf(flag: string): Promise<Record<string, { count: number; sum: number | null }>> {
  const { rows } = await env.pool.query<{ key: string; count: string; sum: number | null }>(
    `select c.variant || '/' || c.event || '/' || c.app_name as key, sum(c.count)::text as count, sum(c.sum) as sum
       from client_event_minute c join flag f on f.id = c.flag_id where f.key = $1 group by 1`,
    [flag],
  );
  return Object.fromEntries(rows.map((row) => [row.key, { count: Number(row.count), sum: row.sum }]));
}

const now = () => new Date().toISOString();
const bucket = (more: Record<string, unknown> = {}) => ({ flag: 'checkout', variant: 'on', event: 'exposure', count: 1, start: now(), end: now(), ...more });

t.test('bad input: a 400 naming the field, and nothing stored', async (t) => {
  const start = new Date(Date.now() - 120_000).toISOString();
  const cases: Array<[label: string, body: unknown, names: RegExp]> = [
    ['appName missing', { buckets: [bucket()] }, /body\.appName/],
    ['appName empty', { appName: '', buckets: [bucket()] }, /body\.appName/],
    ['buckets missing', { appName: 'a' }, /body\.buckets/],
    ['buckets an object', { appName: 'a', buckets: { flag: 'x' } }, /body\.buckets/],
    ['batchId not a UUID', { appName: 'a', batchId: 'one', buckets: [bucket()] }, /body\.batchId/],
    ['an unknown field', { appName: 'a', buckets: [bucket()], region: 'eu' }, /region/],
    ['flag missing', { appName: 'a', buckets: [bucket({ flag: undefined })] }, /body\.buckets\.0\.flag/],
    ['variant empty', { appName: 'a', buckets: [bucket({ variant: '' })] }, /body\.buckets\.0\.variant/],
    ['event a number', { appName: 'a', buckets: [bucket({ event: 7 })] }, /body\.buckets\.0\.event/],
    ['count negative', { appName: 'a', buckets: [bucket(), bucket({ count: -1 })] }, /body\.buckets\.1\.count/],
    ['count fractional', { appName: 'a', buckets: [bucket({ count: 1.5 })] }, /body\.buckets\.0\.count/],
    ['count too large', { appName: 'a', buckets: [bucket({ count: 2e9 })] }, /body\.buckets\.0\.count/],
    ['sum a string', { appName: 'a', buckets: [bucket({ sum: '3' })] }, /body\.buckets\.0\.sum/],
    ['start not a date', { appName: 'a', buckets: [bucket({ start: 'yesterday' })] }, /body\.buckets\.0\.start/],
    ['end before start', { appName: 'a', buckets: [bucket({ start: now(), end: start })] }, /body\.buckets\.0\.end/],
    ['a window longer than a minute', { appName: 'a', buckets: [bucket({ start, end: now() })] }, /body\.buckets\.0\.end/],
    ['an unknown bucket field', { appName: 'a', buckets: [bucket({ user: 'u1' })] }, /user/],
    ['too many buckets', { appName: 'a', buckets: Array.from({ length: 1001 }, () => bucket()) }, /body\.buckets/],
  ];
  for (const [label, body, names] of cases) {
    const response = await request('POST', '/v1/client/events', { token: sdk.secret, body });
    t.equal(response.status, 400, label);
    t.match(response.body?.error?.message, names, `${label}: names the field`);
  }
  const tooMany = await request('POST', '/v1/client/events', { token: frontend.secret, body: { appName: 'page', buckets: [bucket({ count: 10_001 })] } });
  t.equal(tooMany.status, 400, 'a frontend token claims at most 10,000 per bucket');
  t.match(tooMany.body.error.message, /body\.buckets\.0\.count/);
  t.same(await rowsOf('checkout'), {}, 'nothing was stored');
});

t.test('who may send: sdk and frontend tokens; not an admin token, not without one', async (t) => {
  const body = { appName: 'auth', buckets: [bucket()] };
  t.equal((await request('POST', '/v1/client/events', { body })).status, 401);
  t.equal((await request('POST', '/v1/client/events', { token: admin, body })).status, 403);
  t.equal((await request('POST', '/v1/client/events', { token: sdk.secret, body })).status, 202);
  t.equal((await request('POST', '/v1/client/events', { token: frontend.secret, body })).status, 202);
  t.same((await rowsOf('checkout'))['on/exposure/auth'], { count: 2, sum: null });
});

t.test('counts add up per minute, flag, variant, event and app; names that are no flag are skipped', async (t) => {
  const first = await request('POST', '/v1/client/events', {
    token: sdk.secret,
    body: {
      appName: 'shop',
      buckets: [bucket({ count: 10 }), bucket({ count: 5 }), bucket({ event: 'basket', count: 2, sum: 30.5 }), bucket({ flag: 'no_such_flag', count: 9 })],
    },
  });
  t.equal(first.status, 202);
  t.same(first.body, { accepted: 2, duplicate: false }, 'two rows: the exposures added together, the basket; the unknown flag skipped');
  await request('POST', '/v1/client/events', { token: sdk.secret, body: { appName: 'shop', buckets: [bucket({ event: 'basket', count: 1, sum: 9.5 })] } });
  const rows = await rowsOf('checkout');
  t.same(rows['on/exposure/shop'], { count: 15, sum: null });
  t.same(rows['on/basket/shop'], { count: 3, sum: 40 });
});

t.test('a batch sent twice (a retry after a lost answer) is counted once', async (t) => {
  const batchId = '0b8f1a3c-4d2e-4f6a-9b7c-1d2e3f4a5b6c';
  const body = { appName: 'retry', batchId, buckets: [bucket({ count: 7 })] };
  const once = await request('POST', '/v1/client/events', { token: sdk.secret, body });
  const twice = await request('POST', '/v1/client/events', { token: sdk.secret, body });
  t.same(once.body, { accepted: 1, duplicate: false });
  t.same(twice.body, { accepted: 0, duplicate: true }, 'acknowledged, not counted');
  t.same((await rowsOf('checkout'))['on/exposure/retry'], { count: 7, sum: null });
});

t.test('batches arriving together are written together, each retry counted once', async (t) => {
  const ids = Array.from({ length: 20 }, (_, index) => `0b8f1a3c-4d2e-4f6a-9b7c-${String(index).padStart(12, '0')}`);
  // Every batch sent twice at once: the second copy arrives while the first waits for its write, or after it.
  const answers = await Promise.all(
    [...ids, ...ids].map((batchId) =>
      request('POST', '/v1/client/events', { token: sdk.secret, body: { appName: 'burst', batchId, buckets: [bucket({ count: 3 }), bucket({ flag: 'half', count: 1 })] } }),
    ),
  );
  t.ok(answers.every((answer) => answer.status === 202));
  t.equal(answers.filter((answer) => answer.body.duplicate).length, 20, 'one copy of each is a duplicate');
  t.ok(answers.filter((answer) => !answer.body.duplicate).every((answer) => answer.body.accepted === 2));
  t.same((await rowsOf('checkout'))['on/exposure/burst'], { count: 60, sum: null }, 'each batch counted once');
  t.same((await rowsOf('half'))['on/exposure/burst'], { count: 20, sum: null });
});

t.test('one write of several batches: a batch id given twice counts once, unknown flags skipped', async (t) => {
  const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000);
  const rows = [{ flag: 'checkout', variant: 'off', event: 'exposure', minute, count: 5, sum: null }];
  const batchId = '7a1d2c3b-0000-4000-8000-000000000001';
  const receipts = await addClientEventBatches(env.pool, [
    { environment: 'prod', appName: 'group', batchId, rows },
    { environment: 'prod', appName: 'group', batchId, rows },
    { environment: 'prod', appName: 'group', batchId: undefined, rows: [...rows, { ...rows[0]!, flag: 'nope' }] },
  ]);
  t.same(receipts, [{ duplicate: false, stored: 1 }, { duplicate: true, stored: 0 }, { duplicate: false, stored: 1 }]);
  t.same((await rowsOf('checkout'))['off/exposure/group'], { count: 10, sum: null });
});

t.test('the SDK counts exposures and tracked events per variant, and resends a batch whose answer was lost, counted once', async (t) => {
  // In front of the API: the first request reaches it but its answer is lost (the connection dies).
  let calls = 0;
  const lossy = createServer(async (req, res) => {
    calls += 1;
    const body = await new Promise<string>((resolve) => {
      let text = '';
      req.on('data', (chunk) => (text += chunk)).on('end', () => resolve(text));
    });
    const forwarded = await fetch(`${api.url}${req.url}`, { method: 'POST', headers: { authorization: req.headers.authorization!, 'content-type': 'application/json' }, body });
    const answer = await forwarded.text();
    if (calls === 1) return void res.socket?.destroy();
    res.writeHead(forwarded.status, { 'content-type': 'application/json' }).end(answer);
  });
  await new Promise<void>((resolve) => lossy.listen(0, '127.0.0.1', resolve));
  t.teardown(() => lossy.close());
  const errors: string[] = [];
  const client = new FlagShipClient({
    url: notifier.url,
    token: sdk.secret,
    events: { url: `http://127.0.0.1:${(lossy.address() as AddressInfo).port}`, appName: 'sdk-app', intervalMs: 60_000 },
  });
  client.on('error', (error) => errors.push(error.message));
  await client.ready();
  let on = 0;
  for (let i = 0; i < 200; i += 1) {
    const context = { targetingKey: `user-${i}` };
    if (client.isEnabled('half', context)) on += 1;
    client.isEnabled('retried', context);
    if (i % 10 === 0) client.trackError(context);
    if (i % 20 === 0) client.track('checkout', context, { value: 10 });
  }
  t.throws(() => client.track('exposure'), /counted by evaluations/, "'exposure' is not a name to track");
  await client.flushEvents();
  t.ok(errors.some((message) => /could not send events/.test(message)), 'the lost answer is reported');
  t.equal(client.eventStats?.pendingBatches, 1, 'and the batch kept');
  await client.flushEvents();
  t.equal(calls, 2, 'sent twice');
  t.equal(client.eventStats?.pendingBatches, 0);
  t.equal(client.eventStats?.sentBatches, 1);
  const half = await rowsOf('half');
  t.equal(half['on/exposure/sdk-app']!.count, on, 'exposures of users who got it on, once');
  t.equal(half['off/exposure/sdk-app']!.count, 200 - on, 'and of those who got it off');
  t.equal((half['on/errors/sdk-app']?.count ?? 0) + (half['off/errors/sdk-app']?.count ?? 0), 20, 'each error once, under the variant its user got');
  t.same(half['on/checkout/sdk-app'] ?? half['off/checkout/sdk-app'] ? 'tracked' : 'missing', 'tracked');
  const retried = await rowsOf('retried');
  t.same(retried['on/exposure/sdk-app'], { count: 200, sum: null });
  t.same(retried['on/checkout/sdk-app'], { count: 10, sum: 100 }, 'track() values add up as the sum');
  await client.close();
});

t.test('FlagShip away for long: batches are dropped with a counter, memory stays bounded, counting resumes', async (t) => {
  const proxy = await new TcpProxy('127.0.0.1', new URL(api.url).port ? Number(new URL(api.url).port) : 80).start();
  t.teardown(() => proxy.close());
  const client = new FlagShipClient({
    url: notifier.url,
    token: sdk.secret,
    events: { url: `http://127.0.0.1:${proxy.port}`, appName: 'away-app', intervalMs: 60_000, maxPendingBatches: 3, giveUpAfterMs: 60_000, maxBuckets: 2 },
  });
  const seen: string[] = [];
  client.on('error', (e) => seen.push(e.message));
  await client.ready();
  proxy.cut();
  for (let round = 0; round < 6; round += 1) {
    client.isEnabled('away', { targetingKey: `u${round}` });
    await client.flushEvents();
  }
  t.equal(client.eventStats?.pendingBatches, 3, 'at most maxPendingBatches held');
  t.equal(client.eventStats?.droppedBatches, 3, 'the oldest dropped, counted');
  client.isEnabled('away');
  client.isEnabled('checkout');
  client.isEnabled('half');
  t.equal(client.eventStats?.droppedBuckets, 1, 'a window holds at most maxBuckets distinct counts');
  proxy.restore();
  await client.flushEvents();
  t.equal(client.eventStats?.pendingBatches, 0, 'sent once FlagShip is back');
  t.equal(client.eventStats?.droppedBatches, 4, 'sealing the last window pushed out one more of the held batches');
  t.ok(seen.some((message) => /could not send events/.test(message)), 'the failures were reported');
  t.equal((await rowsOf('away'))['on/exposure/away-app']?.count, 3, 'the batches held arrive, once each; the dropped do not');
  await client.close();
});

t.test('a batch waiting longer than giveUpAfterMs is dropped', async (t) => {
  const proxy = await new TcpProxy('127.0.0.1', Number(new URL(api.url).port)).start();
  t.teardown(() => proxy.close());
  const client = new FlagShipClient({
    url: notifier.url,
    token: sdk.secret,
    events: { url: `http://127.0.0.1:${proxy.port}`, appName: 'gone-app', intervalMs: 60_000, giveUpAfterMs: 200 },
  });
  client.on('error', () => undefined);
  await client.ready();
  proxy.cut();
  client.isEnabled('away');
  await client.flushEvents();
  await new Promise((resolve) => setTimeout(resolve, 300));
  proxy.restore();
  await client.flushEvents();
  t.equal(client.eventStats?.droppedBatches, 1);
  t.equal((await rowsOf('away'))['on/exposure/gone-app'], undefined, 'never sent');
  await client.close();
});

t.test('OpenFeature track() (server provider) and the browser client count events too', async (t) => {
  const provider = new FlagShipProvider({ url: notifier.url, token: sdk.secret, events: { url: api.url, appName: 'of-app', intervalMs: 60_000 } });
  await OpenFeature.setProviderAndWait('guards', provider);
  const client = OpenFeature.getClient('guards');
  const context = { targetingKey: 'user-7' };
  const on = await client.getBooleanValue('retried', false, context);
  t.equal(on, true);
  client.track('signup', context, { value: 2.5 });
  await provider.client.flushEvents();
  const rows = await rowsOf('retried');
  t.same(rows['on/exposure/of-app'], { count: 1, sum: null }, 'the evaluation is an exposure');
  t.same(rows['on/signup/of-app'], { count: 1, sum: 2.5 }, "OpenFeature's track() with its value");
  await OpenFeature.clearProviders();

  const page = new FlagShipBrowserClient({ url: api.url, token: frontend.secret, context: { targetingKey: 'user-8' }, live: false, events: { appName: 'page' } });
  page.on('error', () => undefined);
  await page.ready();
  t.equal(page.getBooleanValue('retried', false), true);
  page.trackError();
  await page.flushEvents();
  const pageRows = await rowsOf('retried');
  t.same(pageRows['on/exposure/page'], { count: 1, sum: null }, 'a read in the page is an exposure');
  t.same(pageRows['on/errors/page'], { count: 1, sum: null }, 'and trackError() counts under the answer the user has');
  page.close();
});

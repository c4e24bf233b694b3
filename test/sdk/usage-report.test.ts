import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { FlagShipClient } from '../../packages/sdk/index.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { startTestNotifier } from '../helpers/notifier.js';
import { createSdkToken } from '../helpers/tokens.js';

const env = await createTestEnvironment(t, 'sdk-usage');
const api = await startTestApi(t, env, { snapshots: 'cache' });
const notifier = await startTestNotifier(t, env);
const { request } = api;
const admin = env.adminSecret;
const sdk = await createSdkToken(request, admin, 'prod');
await request('POST', '/v1/flags', { token: admin, body: { key: 'counted', environments: { prod: { enabled: true, rollout: 100 } } } });
const offOne = await request('POST', '/v1/flags', { token: admin, body: { key: 'off_one', environments: { prod: { enabled: false } } } });
// The clients below evaluate both flags right after ready(): they must be in the snapshot the notifier hands out.
await notifier.relayed('prod', offOne.body.environments.prod.version);

const usageOf = async (key: string) => (await request('GET', `/v1/flags/${key}/usage`, { token: admin })).body;

t.test("the SDK reports its evaluations, which show as the flags' usage", async (t) => {
  const client = new FlagShipClient({ url: notifier.url, token: sdk.secret, usage: { url: api.url, appName: 'usage-test', intervalMs: 60_000 } });
  await client.ready();
  for (let i = 0; i < 3; i += 1) t.equal(client.isEnabled('counted', { targetingKey: `u${i}` }), true);
  t.equal(client.getBooleanValue('off_one', true, { targetingKey: 'u1' }), false);
  client.isEnabled('no_such_flag');
  await client.close();
  const counted = await usageOf('counted');
  t.match(counted.hours, [{ environment: 'prod', yes: 3, no: 0 }], 'three yes, sent on close');
  t.ok(counted.lastSeenAt.prod, 'and the state shows when it was last evaluated');
  t.match((await usageOf('off_one')).hours, [{ environment: 'prod', yes: 0, no: 1 }]);
});

t.test('a failed report keeps its counts for the next one', async (t) => {
  // A stand-in API that is down for the first report, then forwards to the real one.
  let calls = 0;
  const flaky = createServer(async (req, res) => {
    calls += 1;
    if (calls === 1) return void res.writeHead(503).end();
    const body = await new Promise<string>((resolve) => {
      let text = '';
      req.on('data', (chunk) => (text += chunk)).on('end', () => resolve(text));
    });
    const forwarded = await fetch(`${api.url}${req.url}`, { method: 'POST', headers: { authorization: req.headers.authorization!, 'content-type': 'application/json' }, body });
    res.writeHead(forwarded.status).end(await forwarded.text());
  });
  await new Promise<void>((resolve) => flaky.listen(0, '127.0.0.1', resolve));
  t.teardown(() => flaky.close());
  const errors: string[] = [];
  const before = (await usageOf('counted')).hours[0]?.yes ?? 0;
  const client = new FlagShipClient({
    url: notifier.url,
    token: sdk.secret,
    usage: { url: `http://127.0.0.1:${(flaky.address() as AddressInfo).port}`, intervalMs: 50 },
  });
  client.on('error', (error) => errors.push(error.message));
  await client.ready();
  client.isEnabled('counted', { targetingKey: 'a' });
  client.isEnabled('counted', { targetingKey: 'b' });
  while (calls < 1) await new Promise((resolve) => setTimeout(resolve, 20));
  await client.close();
  t.ok(errors.some((message) => /could not report usage: FlagShip answered 503/.test(message)), 'the failure is reported');
  t.equal((await usageOf('counted')).hours[0].yes, before + 2, 'both evaluations arrive, once');
});

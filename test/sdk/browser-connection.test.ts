import { OpenFeature, ProviderEvents, ProviderStatus } from '@openfeature/web-sdk';
import { EventSource } from 'eventsource';
import t from 'tap';
import { FlagShipWebProvider } from '../../packages/openfeature/web.js';
import { FlagShipBrowserClient, type FlagShipDisconnected, type FlagShipReconnected } from '../../packages/sdk/browser.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { startTestNotifier } from '../helpers/notifier.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';
import { createFrontendToken } from '../helpers/tokens.js';
import { waitFor } from '../helpers/worker.js';
import { nextEvent } from './support.js';

// The browser client and the OpenFeature web provider say when they lose
// FlagShip and when they are back. The API sits behind the TCP fault proxy:
// cut() drops the event stream and refuses every request, restore() lets
// them through again. Real fetch, a real EventSource (the `eventsource`
// package, the WHATWG API in Node), the real @openfeature/web-sdk.

const env = await createTestEnvironment(t, 'browser-connection');
// trustProxy: the advertised event-stream URL takes the Host the client asked (the proxy's), so the stream goes through it too.
const api = await startTestApi(t, env, { snapshots: 'cache', config: { trustProxy: true } });
const notifier = await startTestNotifier(t, env);
const { request } = api;
const admin = env.adminSecret;
const frontend = await createFrontendToken(request, admin, 'prod', 'page');
await request('POST', '/v1/flags', { token: admin, body: { key: 'banner', environments: { prod: { enabled: false } } } });

const apiPort = Number(new URL(api.url).port);
const proxy = await new TcpProxy('127.0.0.1', apiPort).start();
t.teardown(() => proxy.close());
const proxiedUrl = `http://127.0.0.1:${proxy.port}`;

async function setBanner(enabled: boolean): Promise<void> {
  const response = await request('PATCH', '/v1/flags/banner/environments/prod', { token: admin, body: { enabled } });
  if (response.status !== 200) throw new Error(`PATCH failed: ${response.status} ${response.text}`);
  await notifier.relayed('prod', response.body.version);
}

const fast = { EventSource, reconnectDelayMs: 50, reconnectDelayMaxMs: 200 };

t.test('through two outages the browser client says disconnected, then reconnected, and fetches what it missed', async (t) => {
  const client = new FlagShipBrowserClient({ url: proxiedUrl, token: frontend.secret, context: { targetingKey: 'u1' }, ...fast });
  t.teardown(() => client.close());
  const disconnected: FlagShipDisconnected[] = [];
  const reconnected: FlagShipReconnected[] = [];
  const errors: Error[] = [];
  client.on('disconnected', (details) => disconnected.push(details));
  client.on('reconnected', (details) => reconnected.push(details));
  client.on('error', (error) => errors.push(error));
  await client.ready();
  await waitFor('the event stream to open', async () => client.status === 'connected', 10_000);
  t.equal(client.staleSince, undefined);

  for (const outage of [1, 2]) {
    const lost = nextEvent(client, 'disconnected');
    proxy.cut();
    const details = await lost;
    t.equal(client.status, 'disconnected', `outage ${outage}: the status says so`);
    t.same(client.staleSince, details.staleSince);

    await setBanner(outage === 1);
    // Let a few fetches fail (50–200 ms apart) while the API cannot be reached.
    await new Promise((resolve) => setTimeout(resolve, 600));
    t.equal(client.isEnabled('banner'), outage !== 1, 'the answers held are kept meanwhile');
    const back = nextEvent(client, 'reconnected');
    proxy.restore();
    const again = await back;
    t.equal(client.status, 'connected', `outage ${outage}: connected again`);
    t.equal(client.staleSince, undefined);
    t.same(again.staleSince, details.staleSince);
    t.equal(client.isEnabled('banner'), outage === 1, 'the change made while it was away was fetched');
  }
  t.equal(disconnected.length, 2, 'one disconnected per outage, however many fetches failed');
  t.equal(reconnected.length, 2);
  t.equal(errors.filter((error) => /lost FlagShip/.test(error.message)).length, 2, 'the error listener hears of each outage once');

  // Still live after coming back: a change is pushed and fetched.
  const pushed = nextEvent(client, 'change');
  await setBanner(true);
  t.match(await pushed, { reason: 'pushed', keys: ['banner'] });
});

t.test('the OpenFeature web provider goes STALE when FlagShip is lost, READY when back, ERROR when its token is revoked', async (t) => {
  const doomed = await createFrontendToken(request, admin, 'prod', 'doomed page');
  await setBanner(true);
  const client = OpenFeature.getClient('connection');
  const events: string[] = [];
  for (const event of [ProviderEvents.Ready, ProviderEvents.Stale, ProviderEvents.Error]) client.addHandler(event, () => events.push(event));
  await OpenFeature.setContext('connection', { targetingKey: 'u1' });
  await OpenFeature.setProviderAndWait('connection', new FlagShipWebProvider({ url: proxiedUrl, token: doomed.secret, ...fast }));
  t.teardown(() => OpenFeature.clearProviders());
  t.equal(client.providerStatus, ProviderStatus.READY);

  proxy.cut();
  await waitFor('the provider to say STALE', async () => client.providerStatus === ProviderStatus.STALE, 10_000);
  t.equal(client.getBooleanValue('banner', false), true, 'STALE still answers with the answers held');
  proxy.restore();
  await waitFor('the provider to say READY', async () => client.providerStatus === ProviderStatus.READY, 10_000);

  const revoked = await request('DELETE', `/v1/tokens/${doomed.id}`, { token: admin });
  t.equal(revoked.status, 200);
  await waitFor('the provider to say ERROR', async () => client.providerStatus === ProviderStatus.ERROR, 10_000);
  t.equal(client.getBooleanValue('banner', false), true, 'not FATAL: the last answers known still answer');
  // The revoked token's stream ends first (STALE), then the fetch is refused (ERROR).
  t.same(events, [ProviderEvents.Ready, ProviderEvents.Stale, ProviderEvents.Ready, ProviderEvents.Stale, ProviderEvents.Error]);
});

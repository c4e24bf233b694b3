import { OpenFeature, ProviderEvents, ProviderStatus, type EventDetails } from '@openfeature/server-sdk';
import t from 'tap';
import { FlagShipProvider } from '../../packages/openfeature/server.js';
import { FlagShipClient, type FlagShipDisconnected, type FlagShipReconnected, type Snapshot } from '../../packages/sdk/index.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { startTestNotifier } from '../helpers/notifier.js';
import { createSdkToken } from '../helpers/tokens.js';
import { waitFor } from '../helpers/worker.js';
import { changeWhere, freePort, nextEvent } from './support.js';

// The Node SDK and the OpenFeature server provider say when they lose
// FlagShip and when they are back: a real notifier stopped and started again
// on its port, real Socket.IO clients, the real @openfeature/server-sdk.

const env = await createTestEnvironment(t, 'sdk-connection');
const { request } = await startTestApi(t, env);
const admin = env.adminSecret;
const sdk = await createSdkToken(request, admin, 'staging');
await request('POST', '/v1/flags', { token: admin, body: { key: 'banner', environments: { staging: { enabled: false } } } });

async function setBanner(enabled: boolean): Promise<number> {
  const response = await request('PATCH', '/v1/flags/banner/environments/staging', { token: admin, body: { enabled } });
  if (response.status !== 200) throw new Error(`PATCH failed: ${response.status} ${response.text}`);
  return response.body.version;
}

/** Lets a few reconnection attempts fail (at 50–200 ms apart) while FlagShip is down. */
const whileDown = () => new Promise((resolve) => setTimeout(resolve, 600));

t.test('through two notifier restarts the client says disconnected, then reconnected, once per outage', async (t) => {
  const port = await freePort();
  let notifier = await startTestNotifier(t, env, { port });
  const client = new FlagShipClient({ url: notifier.url, token: sdk.secret, reconnectDelayMs: 50, reconnectDelayMaxMs: 200 });
  t.teardown(() => client.close());
  const disconnected: FlagShipDisconnected[] = [];
  const reconnected: FlagShipReconnected[] = [];
  const errors: Error[] = [];
  client.on('disconnected', (details) => disconnected.push(details));
  client.on('reconnected', (details) => reconnected.push(details));
  client.on('error', (error) => errors.push(error));
  await client.ready();
  t.equal(client.status, 'connected');
  t.equal(client.staleSince, undefined);

  for (const outage of [1, 2]) {
    const lost = nextEvent(client, 'disconnected');
    const before = Date.now();
    await notifier.close();
    const details = await lost;
    t.equal(client.status, 'disconnected', `outage ${outage}: the status says so`);
    t.ok(client.staleSince instanceof Date && client.staleSince.getTime() >= before, 'stale since the loss');
    t.same(client.staleSince, details.staleSince);
    t.type(details.reason, 'string');

    const missed = await setBanner(outage === 1);
    await whileDown();
    const back = nextEvent(client, 'reconnected');
    const caughtUp = changeWhere(client, (change) => change.version === missed);
    notifier = await startTestNotifier(t, env, { port });
    const again = await back;
    await caughtUp;
    t.equal(client.status, 'connected', `outage ${outage}: connected again`);
    t.equal(client.staleSince, undefined);
    t.same(again.staleSince, details.staleSince, 'reconnected names when the flags went stale');
    t.ok(again.downtimeMs >= 0);
    t.equal(client.isEnabled('banner', { targetingKey: 'u' }), outage === 1, 'the change made while down was applied');
  }
  t.equal(disconnected.length, 2, 'one disconnected per outage, however many attempts failed');
  t.equal(reconnected.length, 2);
  const lostErrors = errors.filter((error) => /lost FlagShip/.test(error.message));
  t.equal(lostErrors.length, 2, 'the error listener hears of each outage once');
});

t.test('with bootstrap flags and FlagShip down, ready() resolves at the first failed attempt, not after readyTimeoutMs', async (t) => {
  const bootstrap: Snapshot = (await request('GET', '/v1/client/flags', { token: sdk.secret })).body;
  const port = await freePort();
  // Ten minutes: resolving at all within the test's own timeout shows ready() did not wait for it.
  const client = new FlagShipClient({ url: `http://127.0.0.1:${port}`, token: sdk.secret, bootstrap, readyTimeoutMs: 600_000, reconnectDelayMs: 50, reconnectDelayMaxMs: 200 });
  t.teardown(() => client.close());
  const lost = nextEvent(client, 'disconnected');
  await client.ready();
  t.equal(client.source, 'bootstrap');
  const details = await lost;
  t.equal(client.status, 'disconnected');
  t.ok(details.staleSince instanceof Date, 'stale since the client started: it never was in sync');

  const back = nextEvent(client, 'reconnected');
  await startTestNotifier(t, env, { port });
  await back;
  t.equal(client.status, 'connected');
  t.equal(client.source, 'server');
});

t.test('the OpenFeature server provider goes STALE when FlagShip is lost, READY when back, ERROR when refused', async (t) => {
  const port = await freePort();
  let notifier = await startTestNotifier(t, env, { port });
  const doomed = await createSdkToken(request, admin, 'staging', 'openfeature app');
  await notifier.relayed('staging', await setBanner(true));
  const provider = new FlagShipProvider({ url: notifier.url, token: doomed.secret, reconnectDelayMs: 50, reconnectDelayMaxMs: 200 });
  await OpenFeature.setProviderAndWait('connection', provider);
  t.teardown(() => OpenFeature.clearProviders());
  const client = OpenFeature.getClient('connection');
  const seen: Array<{ event: string; details?: EventDetails }> = [];
  const next = (event: ProviderEvents) =>
    new Promise<EventDetails | undefined>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${event}`)), 15_000);
      const handler = (details?: EventDetails) => {
        clearTimeout(timer);
        client.removeHandler(event, handler);
        resolve(details);
      };
      client.addHandler(event, handler);
    });
  for (const event of [ProviderEvents.Ready, ProviderEvents.Stale, ProviderEvents.Error]) {
    client.addHandler(event, (details) => seen.push({ event, details }));
  }
  t.equal(client.providerStatus, ProviderStatus.READY);
  seen.length = 0;

  const stale = next(ProviderEvents.Stale);
  await notifier.close();
  t.match(await stale, { message: /lost FlagShip/ });
  t.equal(client.providerStatus, ProviderStatus.STALE);
  t.equal(await client.getBooleanValue('banner', false, { targetingKey: 'u' }), true, 'STALE still answers with the flags held');

  const ready = next(ProviderEvents.Ready);
  notifier = await startTestNotifier(t, env, { port });
  await ready;
  t.equal(client.providerStatus, ProviderStatus.READY);

  const error = next(ProviderEvents.Error);
  const revoked = await request('DELETE', `/v1/tokens/${doomed.id}`, { token: admin });
  t.equal(revoked.status, 200);
  t.match(await error, { message: /revoked/ });
  t.equal(client.providerStatus, ProviderStatus.ERROR);
  t.match(await client.getBooleanDetails('banner', false, { targetingKey: 'u' }), { value: true }, 'not FATAL: the last flags known still answer');
  t.same(seen.map((entry) => entry.event), [ProviderEvents.Stale, ProviderEvents.Ready, ProviderEvents.Error]);
});

t.test('a provider started on bootstrap flags while FlagShip is down is STALE after initialize, READY once connected', async (t) => {
  const bootstrap: Snapshot = (await request('GET', '/v1/client/flags', { token: sdk.secret })).body;
  const port = await freePort();
  const provider = new FlagShipProvider({ url: `http://127.0.0.1:${port}`, token: sdk.secret, bootstrap, reconnectDelayMs: 50, reconnectDelayMaxMs: 200 });
  const client = OpenFeature.getClient('bootstrapped');
  const events: string[] = [];
  for (const event of [ProviderEvents.Ready, ProviderEvents.Stale, ProviderEvents.Error]) client.addHandler(event, () => events.push(event));
  await OpenFeature.setProviderAndWait('bootstrapped', provider);
  t.teardown(() => OpenFeature.clearProviders());
  await waitFor('the provider to say STALE', async () => client.providerStatus === ProviderStatus.STALE, 10_000);
  await startTestNotifier(t, env, { port });
  await waitFor('the provider to say READY', async () => client.providerStatus === ProviderStatus.READY, 10_000);
  t.same(events, [ProviderEvents.Ready, ProviderEvents.Stale, ProviderEvents.Ready]);
});

t.test('a provider whose token is refused with nothing to serve fails initialize as FATAL', async (t) => {
  const notifier = await startTestNotifier(t, env);
  const provider = new FlagShipProvider({ url: notifier.url, token: 'not-a-token-at-all-0000' });
  await t.rejects(OpenFeature.setProviderAndWait('refused', provider));
  t.equal(OpenFeature.getClient('refused').providerStatus, ProviderStatus.FATAL);
  t.teardown(() => OpenFeature.clearProviders());
});

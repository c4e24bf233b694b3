import { once } from 'node:events';
import t from 'tap';
import { InMemStorageProvider, Unleash } from 'unleash-client';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { startTestNotifier } from '../helpers/notifier.js';
import { readStreamEvents } from '../ofrep/event-stream-client.js';
import { createToken, fetchModeOf, startUnleashClient, whenChanged } from './support.js';

const env = await createTestEnvironment(t, 'unleash-client-api');
const api = await startTestApi(t, env, { snapshots: 'cache' });
await startTestNotifier(t, env);
const { request } = api;
const admin = env.adminSecret;
const sdk = await createToken(request, admin, 'sdk', 'prod');

for (const [key, state] of Object.entries({
  checkout: { enabled: true, rollout: 100 },
  search: { enabled: false, rollout: 100 },
  partial: { enabled: true, rollout: 30 },
  targeted: { enabled: true, rollout: 100 },
})) {
  const created = await request('POST', '/v1/flags', { token: admin, body: { key, environments: { prod: state } } });
  if (created.status !== 201) throw new Error(created.text);
}
// A segment and a strategy that refers to it (the targeting admin API is another issue's; SQL goes through the same triggers).
const segment = (
  await env.pool.query<{ id: number }>(
    `insert into segment (name, constraints) values ('beta users', $1) returning id`,
    [JSON.stringify([{ contextName: 'userId', operator: 'IN', values: ['ann', 'bob'] }])],
  )
).rows[0]!.id;
await env.pool.query(
  `update flag_state s set strategies = $2, variants = $3
     from flag f where f.id = s.flag_id and f.key = $1 and s.environment_key = 'prod'`,
  [
    'targeted',
    JSON.stringify([{ name: 'default', parameters: {}, constraints: [], segments: [segment] }]),
    JSON.stringify([{ name: 'blue', weight: 1000, weightType: 'variable', stickiness: 'default', payload: { type: 'string', value: 'b' } }]),
  ],
);

async function storedVersion(environment: string): Promise<number> {
  return (await env.pool.query<{ version: number }>(`select version from environment where key = $1`, [environment])).rows[0]!.version;
}

/** Waits until the API's cache (which the notifier updates) holds what PostgreSQL holds. */
async function cacheCaughtUp(): Promise<number> {
  const version = await storedVersion('prod');
  while ((await api.snapshots.get('prod')).version < version) await new Promise((resolve) => setTimeout(resolve, 20));
  return version;
}
await cacheCaughtUp();

async function change(key: string, body: Record<string, unknown>) {
  const response = await request('PATCH', `/v1/flags/${key}/environments/prod`, { token: admin, body });
  if (response.status !== 200) throw new Error(`could not change ${key}: ${response.text}`);
  return response.body;
}

t.test("GET /api/client/features answers in Unleash's v2 format", async (t) => {
  const response = await request('GET', '/api/client/features', { headers: { authorization: sdk } });
  t.equal(response.status, 200);
  t.equal(response.headers.get('fetch-mode'), 'streaming');
  const version = await storedVersion('prod');
  t.equal(response.headers.get('etag'), `"${version}"`);
  t.match(response.body, { version: 2, meta: { revisionId: version }, query: { environment: 'prod' } });
  t.same(response.body.segments, [{ id: segment, name: 'beta users', constraints: [{ contextName: 'userId', operator: 'IN', values: ['ann', 'bob'] }] }]);
  const byName = Object.fromEntries(response.body.features.map((feature: { name: string }) => [feature.name, feature]));
  t.same(byName.partial, {
    name: 'partial',
    type: 'release',
    enabled: true,
    project: 'default',
    stale: false,
    impressionData: false,
    strategies: [{ name: 'flexibleRollout', parameters: { rollout: '30', stickiness: 'default', groupId: 'partial' }, constraints: [] }],
    variants: [],
  });
  t.same(byName.targeted.strategies, [{ name: 'default', parameters: {}, constraints: [], segments: [segment] }]);
  t.equal(byName.targeted.variants[0].name, 'blue');
  t.equal(byName.search.enabled, false);

  const notModified = await request('GET', '/api/client/features', { headers: { authorization: `Bearer ${sdk}`, 'if-none-match': `"${version}"` } });
  t.equal(notModified.status, 304);
  const prefixed = await request('GET', '/api/client/features?namePrefix=ch', { headers: { authorization: sdk } });
  t.same(prefixed.body.features.map((feature: { name: string }) => feature.name), ['checkout']);
  t.not(prefixed.headers.get('etag'), `"${version}"`, 'a filtered body has its own ETag');
  // Projects (docs/projects.md): Unleash's project filter narrows to one project; one without flags gives none.
  const project = await request('GET', '/api/client/features?project=other', { headers: { authorization: sdk } });
  t.equal(project.status, 200);
  t.same(project.body.features, []);
  const badProject = await request('GET', '/api/client/features?project=Not%20a%20key', { headers: { authorization: sdk } });
  t.equal(badProject.status, 400);
  t.match(badProject.body.error.message, /project/);

  const one = await request('GET', '/api/client/features/partial', { headers: { authorization: sdk } });
  t.same(one.body, byName.partial);
  t.equal((await request('GET', '/api/client/features/nope', { headers: { authorization: sdk } })).status, 404);
  t.equal((await request('GET', '/api/client/features', { headers: { authorization: 'Bearer' } })).status, 401);
  t.equal((await request('GET', '/api/client/features', { headers: { authorization: 'not-a-token' } })).status, 401);
});

t.test('unleash-client in streaming mode evaluates what FlagShip stores and gets each change pushed', async (t) => {
  const client = await startUnleashClient(t, api.url, sdk, { experimentalMode: { type: 'streaming' } });
  t.equal(client.isEnabled('checkout'), true);
  t.equal(client.isEnabled('search'), false);
  t.equal(client.isEnabled('targeted', { userId: 'ann' }), true, 'in the segment');
  t.equal(client.isEnabled('targeted', { userId: 'carl' }), false, 'outside the segment');
  t.equal(client.getVariant('targeted', { userId: 'bob' }).payload?.value, 'b');

  const started = performance.now();
  await change('search', { enabled: true });
  await whenChanged(client, () => client.isEnabled('search'));
  t.comment(`a change reached unleash-client (streaming) after ${(performance.now() - started).toFixed(1)} ms`);
  t.equal(client.isEnabled('search'), true);

  await change('partial', { rollout: 100 });
  await whenChanged(client, () => client.isEnabled('partial', { userId: 'anyone' }));
  t.pass('a rollout change arrived');

  await request('POST', '/v1/flags', { token: admin, body: { key: 'brand-new', environments: { prod: { enabled: true } } } });
  await whenChanged(client, () => client.isEnabled('brand-new'));
  const archived = await request('DELETE', '/v1/flags/brand-new', { token: admin });
  t.equal(archived.status, 200);
  await whenChanged(client, () => client.getFeatureToggleDefinition('brand-new') === undefined);
  t.equal(client.isEnabled('brand-new'), false, 'an archived flag is removed');
});

t.test('a polling unleash-client left at its defaults is moved to streaming by fetch-mode', async (t) => {
  // No experimentalMode: unleash-client 6 starts polling every 15 s.
  const client = await startUnleashClient(t, api.url, sdk);
  t.equal(fetchModeOf(client), 'streaming', 'switched by the first response');
  t.equal(client.isEnabled('checkout'), true);
  const started = performance.now();
  await change('checkout', { enabled: false });
  await whenChanged(client, () => !client.isEnabled('checkout'));
  t.comment(`a change reached a default-configured unleash-client (switched to streaming) after ${(performance.now() - started).toFixed(1)} ms`);
  t.pass('the change arrived without waiting for a poll');
});

t.test('FLAGSHIP_UNLEASH_FETCH_MODE=polling keeps default clients polling (every 15 s)', async (t) => {
  const polling = await startTestApi(t, env, { snapshots: 'cache', unleashFetchMode: 'polling' });
  const response = await request('GET', '/api/client/features', { headers: { authorization: sdk } });
  t.equal(response.headers.get('fetch-mode'), 'streaming', 'the default API still says streaming');
  t.equal((await polling.request('GET', '/api/client/features', { headers: { authorization: sdk } })).headers.get('fetch-mode'), null);
  const client = await startUnleashClient(t, polling.url, sdk);
  t.equal(fetchModeOf(client), 'polling');
  t.equal(client.isEnabled('checkout'), false);
  const started = performance.now();
  await change('checkout', { enabled: true });
  await whenChanged(client, () => client.isEnabled('checkout'));
  t.comment(`a change reached unleash-client polling at its default 15 s interval after ${(performance.now() - started).toFixed(1)} ms`);
  t.equal(fetchModeOf(client), 'polling', 'it stayed in polling mode');
});

t.test('the stream resumes from Last-Event-ID with only what changed', async (t) => {
  const before = await storedVersion('prod');
  await change('search', { enabled: false });
  await change('partial', { rollout: 40 });
  const after = await cacheCaughtUp();
  const resumed = await fetch(`${api.url}/api/client/streaming`, { headers: { authorization: sdk, 'last-event-id': String(before) } });
  t.equal(resumed.status, 200);
  t.match(resumed.headers.get('content-type'), /text\/event-stream/);
  const [event] = await readStreamEvents(resumed, 1);
  t.match(event, new RegExp(`^event: unleash-updated\\nid: ${after}\\ndata: `));
  const events = JSON.parse(event!.split('\ndata: ')[1]!).events as { type: string; feature?: { name: string; enabled: boolean } }[];
  t.same(events.map((entry) => [entry.type, entry.feature?.name]).sort(), [['feature-updated', 'partial'], ['feature-updated', 'search']]);

  for (const lastEventId of ['garbage', String(after + 10), '0']) {
    const fresh = await fetch(`${api.url}/api/client/streaming`, { headers: { authorization: sdk, 'last-event-id': lastEventId } });
    const [first] = await readStreamEvents(fresh, 1);
    if (lastEventId === '0') {
      t.match(first, /^event: unleash-updated/, `Last-Event-ID ${lastEventId}: everything since, from the log`);
    } else {
      t.match(first, /^event: unleash-connected\nid: \d+\ndata: \{"events":\[\{"type":"hydration"/, `Last-Event-ID ${lastEventId}: a hydration`);
    }
  }
  const refused = await fetch(`${api.url}/api/client/streaming`, { headers: { authorization: await createToken(request, admin, 'frontend', 'prod') } });
  t.equal(refused.status, 403);
  await refused.text();
});

t.test("unleash-client's register and metrics are accepted and show as the flags' usage", async (t) => {
  const client = new Unleash({
    appName: 'metrics-app',
    url: `${api.url}/api`,
    customHeaders: { Authorization: sdk },
    storageProvider: new InMemStorageProvider(),
    metricsInterval: 200,
    skipInstanceCountWarning: true,
    experimentalMode: { type: 'streaming' },
  });
  t.teardown(() => client.destroy());
  const warnings: unknown[] = [];
  client.on('warn', (warning) => warnings.push(warning));
  client.on('error', (error) => warnings.push(error));
  const registered = once(client, 'registered');
  await once(client, 'synchronized');
  await registered;
  for (let i = 0; i < 3; i += 1) client.isEnabled('targeted', { userId: 'ann' });
  client.isEnabled('targeted', { userId: 'carl' });
  client.getVariant('targeted', { userId: 'bob' });
  await once(client, 'sent');
  t.same(warnings, [], 'FlagShip accepted what the SDK sent');
  const usage = (await request('GET', '/v1/flags/targeted/usage', { token: admin })).body;
  t.equal(usage.hours.length, 1);
  t.match(usage.hours[0], { environment: 'prod', yes: 4, no: 1, variants: { blue: 1 } });
  t.ok(usage.lastSeenAt.prod, 'and when it was last seen');
});

import t from 'tap';
import { UnleashClient } from 'unleash-proxy-client';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { createToken } from './support.js';

const env = await createTestEnvironment(t, 'unleash-frontend-api');
const api = await startTestApi(t, env);
const { request } = api;
const admin = env.adminSecret;
const frontend = await createToken(request, admin, 'frontend', 'prod');
const devFrontend = await createToken(request, admin, 'frontend', 'dev');

async function put(key: string, environment: string, config: Record<string, unknown>) {
  const response = await request('PUT', `/v1/flags/${key}/environments/${environment}`, { token: admin, body: config });
  if (response.status !== 200) throw new Error(`could not configure ${key}: ${response.status} ${response.text}`);
}
for (const key of ['everyone', 'nobody', 'beta', 'by-plan', 'dev-only']) {
  const created = await request('POST', '/v1/flags', { token: admin, body: { key } });
  if (created.status !== 201) throw new Error(created.text);
}
await put('everyone', 'prod', { enabled: true, strategies: [{ name: 'default' }] });
await put('nobody', 'prod', { enabled: false, strategies: [{ name: 'default' }] });
await put('beta', 'prod', {
  enabled: true,
  strategies: [{ name: 'userWithId', parameters: { userIds: 'ann,bob' }, constraints: [{ contextName: 'userId', operator: 'IN', values: ['ann', 'bob', 'carl@example.com'] }] }],
  variants: [{ name: 'blue', weight: 1000, weightType: 'variable', stickiness: 'default', payload: { type: 'json', value: '{"color":"blue"}' } }],
});
await put('by-plan', 'prod', {
  enabled: true,
  strategies: [{ name: 'default', constraints: [{ contextName: 'plan', operator: 'IN', values: ['pro'] }] }],
});
await put('dev-only', 'dev', { enabled: true, strategies: [{ name: 'default' }] });

function startProxyClient(t: { teardown(fn: () => unknown): void }, context: Record<string, unknown>, options: Record<string, unknown> = {}): UnleashClient {
  const client = new UnleashClient({
    url: `${api.url}/api/frontend`,
    clientKey: frontend,
    appName: 'web',
    refreshInterval: 0,
    metricsInterval: 0,
    // Its first report otherwise waits 2 s on a timer stop() does not clear.
    metricsIntervalInitial: 0,
    context,
    ...options,
  });
  t.teardown(() => client.stop());
  return client;
}

t.test("unleash-proxy-client gets the flags that are on for its context, never a definition", async (t) => {
  const client = startProxyClient(t, { userId: 'ann' });
  await client.start();
  t.equal(client.isEnabled('everyone'), true);
  t.equal(client.isEnabled('nobody'), false);
  t.equal(client.isEnabled('beta'), true);
  t.equal(client.isEnabled('dev-only'), false, "another environment's flag");
  t.match(client.getVariant('beta'), { name: 'blue', enabled: true, payload: { type: 'json', value: '{"color":"blue"}' }, feature_enabled: true });
  t.same(client.getAllToggles().map((toggle) => toggle.name).sort(), ['beta', 'everyone'], 'only enabled toggles');
  await client.updateContext({ userId: 'dora', properties: { plan: 'pro' } });
  t.equal(client.isEnabled('beta'), false, 'after the context changed');
  t.equal(client.isEnabled('by-plan'), true, 'properties travel as properties[plan]');
  t.equal(client.getVariant('beta').name, 'disabled');

  const raw = await request('GET', '/api/frontend?userId=ann', { headers: { authorization: frontend } });
  t.notMatch(raw.text, /carl@example\.com|userIds|constraints|strategies/, 'no definition, no constraint value');
});

t.test('POST /api/frontend (usePOSTrequests) answers the same', async (t) => {
  const client = startProxyClient(t, { userId: 'bob', properties: { plan: 'pro' } }, { usePOSTrequests: true });
  await client.start();
  t.same(client.getAllToggles().map((toggle) => toggle.name).sort(), ['beta', 'by-plan', 'everyone']);
  const bad = await request('POST', '/api/frontend', { headers: { authorization: frontend }, body: { context: { userId: 42 } } });
  t.equal(bad.status, 400);
  t.match(bad.body.error.message, /context\.userId/);
});

t.test('ETag and 304; one feature; the token sees its own environment', async (t) => {
  const first = await request('GET', '/api/frontend?userId=ann', { headers: { authorization: frontend } });
  const etag = first.headers.get('etag')!;
  t.ok(etag);
  const again = await request('GET', '/api/frontend?userId=ann', { headers: { authorization: frontend, 'if-none-match': etag } });
  t.equal(again.status, 304);
  const other = await request('GET', '/api/frontend?userId=dora', { headers: { authorization: frontend, 'if-none-match': etag } });
  t.equal(other.status, 200, 'another context, another answer');
  const one = await request('GET', '/api/frontend/features/beta?userId=ann', { headers: { authorization: frontend } });
  t.match(one.body, { name: 'beta', enabled: true, variant: { name: 'blue' } });
  t.equal((await request('GET', '/api/frontend/features/beta?userId=dora', { headers: { authorization: frontend } })).status, 404);
  t.equal((await request('GET', '/api/frontend/features/missing', { headers: { authorization: frontend } })).status, 404);
  const dev = await request('GET', '/api/frontend', { headers: { authorization: devFrontend } });
  t.same(dev.body.toggles.map((toggle: { name: string }) => toggle.name), ['dev-only']);
  const twice = await request('GET', '/api/frontend?userId=a&userId=b', { headers: { authorization: frontend } });
  t.equal(twice.status, 400, 'a field given twice');
});

t.test("unleash-proxy-client's metrics are kept as usage; the API's own evaluations count too", async (t) => {
  const client = startProxyClient(t, { userId: 'ann' }, { metricsInterval: 3600 });
  await client.start();
  for (let i = 0; i < 4; i += 1) client.isEnabled('everyone');
  client.getVariant('beta');
  const before = (await request('GET', '/v1/flags/everyone/usage?environment=prod', { token: admin })).body.hours[0]?.yes ?? 0;
  const sent = new Promise((resolve) => client.on('sent', resolve));
  await client.sendMetrics();
  await sent;
  const usage = (await request('GET', '/v1/flags/everyone/usage?environment=prod', { token: admin })).body;
  t.equal(usage.hours[0].yes - before, 4, 'the four isEnabled calls');
  await api.usage.flush();
  const beta = (await request('GET', '/v1/flags/beta/usage?environment=prod', { token: admin })).body;
  t.ok(beta.hours[0].yes >= 2, 'the report and the evaluations of the fetches');
  t.ok(beta.hours[0].variants.blue >= 1);
});

t.test('CORS: browsers on any origin by default; FLAGSHIP_CORS_ORIGINS narrows it', async (t) => {
  const preflight = await fetch(`${api.url}/api/frontend`, {
    method: 'OPTIONS',
    headers: { origin: 'https://shop.example.com', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization,unleash-appname' },
  });
  t.equal(preflight.status, 204);
  t.equal(preflight.headers.get('access-control-allow-origin'), '*');
  t.match(preflight.headers.get('access-control-allow-headers'), /authorization/);
  t.match(preflight.headers.get('access-control-allow-headers'), /unleash-appname/);
  const get = await fetch(`${api.url}/api/frontend`, { headers: { origin: 'https://shop.example.com', authorization: frontend } });
  t.equal(get.headers.get('access-control-allow-origin'), '*');
  t.match(get.headers.get('access-control-expose-headers'), /ETag/);
  await get.text();
  const admin = await fetch(`${api.url}/v1/flags`, { headers: { origin: 'https://shop.example.com' } });
  t.equal(admin.headers.get('access-control-allow-origin'), null, 'no CORS on admin routes');
  await admin.text();

  const narrow = await startTestApi(t, env, { config: { corsOrigins: ['https://app.example.com'] } });
  const allowed = await fetch(`${narrow.url}/api/frontend/client/metrics`, { method: 'OPTIONS', headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' } });
  t.equal(allowed.status, 204);
  t.equal(allowed.headers.get('access-control-allow-origin'), 'https://app.example.com');
  const refused = await fetch(`${narrow.url}/api/frontend`, { method: 'OPTIONS', headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'GET' } });
  t.equal(refused.status, 403);
  t.match(await refused.text(), /FLAGSHIP_CORS_ORIGINS/);
  const ofrep = await fetch(`${narrow.url}/ofrep/v1/evaluate/flags`, { method: 'OPTIONS', headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' } });
  t.equal(ofrep.status, 204, 'OFREP shares the same CORS');
});

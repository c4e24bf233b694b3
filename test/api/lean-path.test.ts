import http from 'node:http';
import type { AddressInfo } from 'node:net';
import t, { type Test } from 'tap';
import { buildApi } from '../../services/api/app.js';
import { createTokenCache, type TokenLookup } from '../../shared/domain/tokens/token-cache.js';
import { createSnapshotCache } from '../../services/api/snapshots/snapshot-cache.js';
import { createUsageRecorder } from '../../services/api/usage/usage-recorder.js';
import { createMetricsRegistry } from '../../shared/metrics/registry.js';
import { openRampQueue } from '../../shared/domain/ramps/ramp-queue.js';
import { createRevocationWatch } from '../../shared/domain/tokens/revocation-watch.js';
import { createRelayWatch } from '../../shared/domain/relay-reports/relay-watch.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { httpClient, type HttpResponse, type RequestOptions } from '../helpers/http.js';

/*
 * The lean path (services/api/http/lean-path.ts) answers the SDK read and
 * evaluation routes before Express, and hands Express everything else. Each
 * request here goes to two servers of the same app: one behind the lean path,
 * one Express alone; they must answer alike, and the lean one must have
 * answered the common cases itself (and only those).
 */

const env = await createTestEnvironment(t, 'lean-path');
const revocations = createRevocationWatch({ pool: env.pool, redis: env.redis, redisPrefix: env.redisPrefix, logger: env.logger });
t.teardown(() => revocations.close());
const relayWatch = createRelayWatch({ redis: env.redis, redisPrefix: env.redisPrefix, logger: env.logger });
t.teardown(() => relayWatch.close());
const rampQueue = openRampQueue(env.config, env.logger);
t.teardown(() => rampQueue.close());
const tokenCache = createTokenCache({ pool: env.pool, revocations, logger: env.logger });
t.teardown(() => tokenCache.close());
/** Secrets looked up, in order: the real cache, watched. */
const lookups: string[] = [];
const tokens: TokenLookup = {
  find: (secret) => {
    lookups.push(secret);
    return tokenCache.find(secret);
  },
  revoked: (tokenId) => tokenCache.revoked(tokenId),
};
const usage = createUsageRecorder({ pool: env.pool, logger: env.logger, now: () => new Date(), flushIntervalMs: 0 });
t.teardown(() => usage.close());
/** The snapshot cache's clock runs this far ahead: a test moves it past the in-process copy's age. */
let clockSkewMs = 0;
const snapshots = createSnapshotCache({
  pool: env.pool,
  redis: env.redis,
  redisPrefix: env.redisPrefix,
  logger: env.logger,
  now: () => Date.now() + clockSkewMs,
});
t.teardown(() => snapshots.close());
const registry = createMetricsRegistry();
const { app, lean } = buildApi({
  pool: env.pool,
  redis: env.redis,
  logger: env.logger,
  redisPrefix: env.redisPrefix,
  snapshots,
  rampQueue: rampQueue.queue,
  revocations,
  relayWatch,
  tokens,
  usage,
  metrics: registry,
  // The OFREP bulk body advertises a URL: the same for both servers.
  publicUrl: 'https://flags.example.com',
});

/** Requests Express answered behind the lean path: `METHOD url`. */
const handedOn: string[] = [];
async function listen(listener: http.RequestListener): Promise<string> {
  const server = http.createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    server.closeAllConnections();
    server.close();
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
const leanRequest = httpClient(
  await listen(
    lean.listener((req, res) => {
      handedOn.push(`${req.method} ${req.url}`);
      app(req, res);
    }),
  ),
);
const expressRequest = httpClient(await listen(app));

const admin = env.adminSecret;
async function createToken(kind: 'sdk' | 'frontend', environment: string): Promise<string> {
  const response = await expressRequest('POST', '/v1/tokens', { token: admin, body: { name: `${kind}-${environment}`, kind, environment } });
  if (response.status !== 201) throw new Error(`could not create a token: ${response.status} ${response.text}`);
  return response.body.secret;
}
const sdk = await createToken('sdk', 'prod');
const frontend = await createToken('frontend', 'prod');
const devSdk = await createToken('sdk', 'dev');
for (const [key, config] of Object.entries({
  everyone: { enabled: true, strategies: [{ name: 'default' }] },
  half: { enabled: true, strategies: [{ name: 'flexibleRollout', parameters: { rollout: '50', stickiness: 'default', groupId: 'half' } }] },
  pro: { enabled: true, strategies: [{ name: 'default', constraints: [{ contextName: 'plan', operator: 'IN', values: ['pro'] }] }] },
  off: { enabled: false, strategies: [{ name: 'default' }] },
})) {
  const created = await expressRequest('POST', '/v1/flags', { token: admin, body: { key } });
  if (created.status !== 201) throw new Error(created.text);
  const put = await expressRequest('PUT', `/v1/flags/${key}/environments/prod`, { token: admin, body: config });
  if (put.status !== 200) throw new Error(put.text);
}

/** The headers a client sees, without those the HTTP stack writes per connection or per moment. */
function headersOf(response: HttpResponse): Record<string, string> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (!['date', 'connection', 'keep-alive'].includes(name)) headers[name] = value;
  });
  return headers;
}

/** The same request to both servers: their answers, and whether the lean path handed it to Express. */
async function both(method: string, path: string, options: RequestOptions = {}) {
  const before = handedOn.length;
  const leanResponse = await leanRequest(method, path, options);
  const handed = handedOn.length > before;
  const expressResponse = await expressRequest(method, path, options);
  return { lean: leanResponse, express: expressResponse, handed };
}

type Check = { method: string; path: string; options: RequestOptions; status: number };

function sameAnswer(t: Test, { lean: leanResponse, express }: Awaited<ReturnType<typeof both>>, label: string) {
  t.same(headersOf(leanResponse), headersOf(express), `${label}: the same headers as Express`);
  t.equal(leanResponse.text, express.text, `${label}: the same body as Express`);
}

t.test('the lean path answers the SDK routes itself, byte for byte as Express does', async (t) => {
  const flags = await leanRequest('GET', '/v1/client/flags', { token: sdk });
  const features = await leanRequest('GET', '/api/client/features', { headers: { authorization: sdk } });
  const origin = { origin: 'https://app.example.com' };
  const checks: Check[] = [
    { method: 'GET', path: '/v1/client/flags', options: { token: sdk }, status: 200 },
    { method: 'GET', path: '/v1/client/flags?environment=prod', options: { token: sdk }, status: 200 },
    { method: 'GET', path: '/v1/client/flags', options: { token: sdk, headers: { 'if-none-match': flags.headers.get('etag')! } }, status: 304 },
    { method: 'GET', path: '/api/client/features', options: { headers: { authorization: sdk } }, status: 200 },
    { method: 'GET', path: '/api/client/features?namePrefix=ev&project=default', options: { token: sdk }, status: 200 },
    {
      method: 'GET',
      path: '/api/client/features',
      options: { headers: { authorization: sdk, 'if-none-match': features.headers.get('etag')! } },
      status: 304,
    },
    { method: 'POST', path: '/v1/client/evaluate', options: { token: sdk, body: { context: { key: 'user-1', plan: 'pro' } } }, status: 200 },
    { method: 'POST', path: '/ofrep/v1/evaluate/flags', options: { token: sdk, body: { context: { targetingKey: 'user-1' } }, headers: origin }, status: 200 },
    { method: 'POST', path: '/ofrep/v1/evaluate/flags', options: { token: frontend, body: { context: { targetingKey: 'user-1' } } }, status: 200 },
    { method: 'GET', path: '/api/frontend?userId=user-1&properties%5Bplan%5D=pro', options: { headers: { authorization: frontend, ...origin } }, status: 200 },
    { method: 'POST', path: '/api/frontend', options: { token: frontend, body: { context: { userId: 'user-1', properties: { plan: 'pro' } } } }, status: 200 },
  ];
  for (const { method, path, options, status } of checks) {
    const label = `${method} ${path}${options.headers?.['if-none-match'] ? ' (If-None-Match)' : ''}`;
    const answers = await both(method, path, options);
    t.equal(answers.lean.status, status, `${label}: ${status}`);
    t.equal(answers.express.status, status, `${label}: ${status} from Express`);
    t.notOk(answers.handed, `${label}: answered before Express`);
    sameAnswer(t, answers, label);
  }

  const bulk = await leanRequest('POST', '/ofrep/v1/evaluate/flags', { token: sdk, body: { context: { targetingKey: 'user-1' } }, headers: origin });
  t.equal(bulk.headers.get('access-control-allow-origin'), '*', 'CORS on OFREP');
  t.equal(bulk.headers.get('access-control-expose-headers'), 'ETag');
  const revalidated = await both('POST', '/ofrep/v1/evaluate/flags', {
    token: sdk,
    body: { context: { targetingKey: 'user-1' } },
    headers: { 'if-none-match': bulk.headers.get('etag')! },
  });
  t.equal(revalidated.lean.status, 304, 'the OFREP bulk ETag revalidates');
  t.notOk(revalidated.handed);
  t.equal(features.headers.get('fetch-mode'), 'streaming', "Unleash's fetch-mode header");
  t.ok(flags.headers.get('content-security-policy'), "helmet's headers");
  t.equal(flags.headers.get('x-content-type-options'), 'nosniff');
  const toggles = await leanRequest('GET', '/api/frontend?userId=user-1&properties%5Bplan%5D=pro', { token: frontend });
  const names = toggles.body.toggles.map((toggle: { name: string }) => toggle.name);
  t.ok(names.includes('everyone') && names.includes('pro') && !names.includes('off'), 'the frontend API evaluates the query context');
});

t.test('every other case goes on to Express, which answers it as before', async (t) => {
  const deep = { context: { key: 'u', nested: JSON.parse(`${'{"a":'.repeat(40)}1${'}'.repeat(40)}`) } };
  const checks: Array<Check & { code?: string }> = [
    { method: 'GET', path: '/v1/client/flags', options: {}, status: 401, code: 'unauthorized' },
    { method: 'GET', path: '/v1/client/flags', options: { token: 'no-such-token' }, status: 401, code: 'unauthorized' },
    { method: 'GET', path: '/v1/client/flags', options: { token: admin }, status: 403, code: 'forbidden' },
    { method: 'GET', path: '/v1/client/flags?environment=dev', options: { token: sdk }, status: 403, code: 'forbidden' },
    { method: 'GET', path: '/v1/client/flags?unknown=1', options: { token: sdk }, status: 400, code: 'invalid_request' },
    { method: 'GET', path: '/api/client/features', options: { headers: { authorization: frontend } }, status: 403, code: 'forbidden' },
    { method: 'POST', path: '/v1/client/evaluate', options: { token: frontend, body: { context: {} } }, status: 403, code: 'forbidden' },
    { method: 'POST', path: '/v1/client/evaluate', options: { token: sdk, body: { context: { key: 42 } } }, status: 400 },
    { method: 'POST', path: '/v1/client/evaluate', options: { token: sdk, rawBody: '{"context":', headers: { 'content-type': 'application/json' } }, status: 400, code: 'invalid_json' },
    { method: 'POST', path: '/v1/client/evaluate', options: { token: sdk, rawBody: 'context=1', headers: { 'content-type': 'text/plain' } }, status: 415 },
    { method: 'POST', path: '/v1/client/evaluate', options: { token: sdk, body: { context: { key: 'x'.repeat(70_000) } } }, status: 413 },
    { method: 'POST', path: '/v1/client/evaluate', options: { token: sdk, body: deep }, status: 400 },
    { method: 'POST', path: '/ofrep/v1/evaluate/flags', options: { token: sdk, body: { context: { targetingKey: 7 } } }, status: 400 },
    { method: 'POST', path: '/ofrep/v1/evaluate/flags', options: { body: { context: {} } }, status: 401 },
    { method: 'GET', path: '/api/frontend', options: { token: sdk }, status: 403, code: 'forbidden' },
    { method: 'POST', path: '/api/frontend', options: { token: frontend, body: { context: { userId: 'u' }, extra: true } }, status: 400 },
    { method: 'HEAD', path: '/v1/client/flags', options: { token: sdk }, status: 200 },
    { method: 'OPTIONS', path: '/api/frontend', options: { headers: { origin: 'https://app.example.com', 'access-control-request-method': 'GET' } }, status: 204 },
  ];
  for (const { method, path, options, status, code } of checks) {
    const label = `${method} ${path} (${status})`;
    const answers = await both(method, path, options);
    t.equal(answers.lean.status, status, label);
    t.ok(answers.handed, `${label}: answered by Express`);
    t.equal(answers.express.status, status, `${label}: as Express alone answers`);
    if (code) t.equal(answers.lean.body?.error?.code, code, `${label}: ${code}`);
    sameAnswer(t, answers, label);
  }
  const invalid = await leanRequest('POST', '/v1/client/evaluate', { token: sdk, body: { context: { key: 42 } } });
  t.match(invalid.body.error.message, /body\.context\.key/, 'the 400 names the field');
  const ofrep = await leanRequest('POST', '/ofrep/v1/evaluate/flags', { token: sdk, body: { context: { targetingKey: 7 } } });
  t.equal(ofrep.body.errorCode, 'INVALID_CONTEXT', "OFREP's own error body");
});

t.test('a request handed to Express is looked up once: an unknown token costs one query, not two', async (t) => {
  for (const [secret, path, status] of [
    ['no-such-token', '/v1/client/flags', 401],
    [admin, '/v1/client/flags', 403],
    [frontend, '/v1/client/evaluate', 403],
  ] as const) {
    const before = lookups.length;
    const response = await leanRequest(path === '/v1/client/flags' ? 'GET' : 'POST', path, { token: secret, body: path === '/v1/client/flags' ? undefined : { context: {} } });
    t.equal(response.status, status, `${path}: ${status}`);
    t.same(lookups.slice(before), [secret], `${path}: one lookup`);
  }
});

t.test('requests the lean path answers are counted in the HTTP metrics like Express routes', async (t) => {
  const count = async (route: string, method: string, status: string) => {
    const metric = await registry.getSingleMetric('flagship_http_requests_total')!.get();
    return metric.values.find((value) => value.labels.route === route && value.labels.method === method && value.labels.status === status)?.value ?? 0;
  };
  const before = await count('/v1/client/flags', 'GET', '200');
  const notModifiedBefore = await count('/api/client/features', 'GET', '304');
  const frontendBefore = await count('/api/frontend', 'POST', '200');
  const handed = handedOn.length;
  const first = await leanRequest('GET', '/v1/client/flags', { token: sdk });
  await leanRequest('GET', '/v1/client/flags', { token: sdk });
  const features = await leanRequest('GET', '/api/client/features', { token: sdk });
  await leanRequest('GET', '/api/client/features', { token: sdk, headers: { 'if-none-match': features.headers.get('etag')! } });
  await leanRequest('POST', '/api/frontend', { token: frontend, body: { context: { userId: 'u' } } });
  t.equal(first.status, 200);
  t.equal(handedOn.length, handed, 'all answered by the lean path');
  t.equal(await count('/v1/client/flags', 'GET', '200'), before + 2);
  t.equal(await count('/api/client/features', 'GET', '304'), notModifiedBefore + 1);
  t.equal(await count('/api/frontend', 'POST', '200'), frontendBefore + 1);
  const durations = await registry.getSingleMetric('flagship_http_request_duration_seconds')!.get();
  t.ok(
    durations.values.some((value) => value.labels.route === '/v1/client/flags' && (value as { metricName?: string }).metricName?.endsWith('_count') && value.value >= 2),
    'and timed',
  );
});

t.test('evaluations the lean path answers count as usage', async (t) => {
  await usage.flush();
  const usageOf = async () => {
    const rows = await env.pool.query<{ yes: number; no: number }>(
      `select coalesce(sum(yes), 0)::int as yes, coalesce(sum(no), 0)::int as no
         from flag_usage u join flag f on f.id = u.flag_id where f.key = 'everyone' and u.environment_key = 'prod'`,
    );
    return rows.rows[0]!.yes + rows.rows[0]!.no;
  };
  const before = await usageOf();
  const handed = handedOn.length;
  await leanRequest('GET', '/api/frontend?userId=u', { token: frontend });
  await leanRequest('POST', '/api/frontend', { token: frontend, body: { context: { userId: 'u' } } });
  await leanRequest('POST', '/v1/client/evaluate', { token: sdk, body: { context: { key: 'u' } } });
  await leanRequest('POST', '/ofrep/v1/evaluate/flags', { token: sdk, body: { context: { targetingKey: 'u' } } });
  t.equal(handedOn.length, handed, 'all answered by the lean path');
  await usage.flush();
  t.equal(await usageOf(), before + 4, 'each counted once');
});

t.test('a change is served at once after its invalidation, never a body kept from before', async (t) => {
  const first = await leanRequest('GET', '/v1/client/flags', { token: sdk });
  const firstFeatures = await leanRequest('GET', '/api/client/features', { token: sdk });
  const etag = first.headers.get('etag')!;
  const heard = new Promise<number>((resolve) => {
    const stop = snapshots.onChange((change) => {
      if (change.environment !== 'prod' || change.version <= first.body.version) return;
      stop();
      resolve(change.version);
    });
  });
  const changed = await expressRequest('PATCH', '/v1/flags/half/environments/prod', { token: admin, body: { enabled: false } });
  t.equal(changed.status, 200);
  // What the API's own LISTEN does when PostgreSQL announces the change (no notifier runs here).
  snapshots.hint({ environment: 'prod', version: changed.body.version });
  t.equal(await heard, changed.body.version);

  const after = await leanRequest('GET', '/v1/client/flags', { token: sdk, headers: { 'if-none-match': etag } });
  t.equal(after.status, 200, 'the old ETag no longer gets a 304');
  t.equal(after.headers.get('etag'), `"${changed.body.version}"`);
  t.equal(after.body.version, changed.body.version);
  t.equal(after.body.flags.find((flag: { key: string }) => flag.key === 'half').enabled, false);
  const features = await leanRequest('GET', '/api/client/features', { token: sdk, headers: { 'if-none-match': firstFeatures.headers.get('etag')! } });
  t.equal(features.status, 200);
  t.equal(features.body.meta.revisionId, changed.body.version);
  const evaluated = await leanRequest('POST', '/v1/client/evaluate', { token: sdk, body: { context: { key: 'u' } } });
  t.equal(evaluated.body.version, changed.body.version, 'evaluation reads the new definitions');
});

t.test('a snapshot whose version did not change stays the same object past the cache age (what is derived from it stays too)', async (t) => {
  const first = await snapshots.get('prod');
  clockSkewMs += 60_000;
  const second = await snapshots.get('prod');
  t.equal(second.version, first.version);
  t.equal(second, first, 'the same object');
});

t.test('the dev token reads its own environment through the lean path', async (t) => {
  const handed = handedOn.length;
  const dev = await leanRequest('GET', '/v1/client/flags', { token: devSdk });
  t.equal(dev.status, 200);
  t.equal(dev.body.environment, 'dev');
  t.equal(handedOn.length, handed);
});

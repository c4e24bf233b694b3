import t from 'tap';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';

const env = await createTestEnvironment(t, 'unleash-usage');
let now = new Date('2026-12-01T10:15:00.000Z');
const api = await startTestApi(t, env, { clock: () => now });
const { request } = api;
const admin = env.adminSecret;

async function createToken(kind: 'sdk' | 'frontend', environment: string): Promise<string> {
  const response = await request('POST', '/v1/tokens', { token: admin, body: { name: `${kind}-${environment}`, kind, environment } });
  if (response.status !== 201) throw new Error(`could not create a token: ${response.text}`);
  return response.body.secret;
}

const sdk = await createToken('sdk', 'prod');
const frontend = await createToken('frontend', 'dev');
for (const key of ['checkout', 'search', 'quiet']) {
  await request('POST', '/v1/flags', { token: admin, body: { key, environments: { prod: { enabled: true, rollout: 100 }, dev: { enabled: true } } } });
}

const metrics = (toggles: Record<string, unknown>, start = '2026-12-01T10:00:00.000Z', stop = '2026-12-01T10:01:00.000Z') => ({
  appName: 'checkout-service',
  instanceId: 'i-1',
  environment: 'whatever-the-sdk-thinks',
  platformName: 'node',
  yggdrasilVersion: null,
  bucket: { start, stop, toggles },
});

const usageOf = async (key: string, query = '') => {
  const response = await request('GET', `/v1/flags/${key}/usage${query}`, { token: admin });
  if (response.status !== 200) throw new Error(`usage: ${response.status} ${response.text}`);
  return response.body;
};

t.test('an Unleash metrics report is kept per flag, environment and hour', async (t) => {
  const sent = await request('POST', '/api/client/metrics', {
    headers: { authorization: sdk },
    body: metrics({ checkout: { yes: 7, no: 3, variants: { blue: 4, green: 3 } }, 'not-a-flag': { yes: 1, no: 0 } }),
  });
  t.equal(sent.status, 202, sent.text);
  const again = await request('POST', '/api/client/metrics', {
    headers: { authorization: `Bearer ${sdk}` },
    body: metrics({ checkout: { yes: 1, no: 1, variants: { blue: 1, red: 2 } } }, '2026-12-01T10:01:00.000Z', '2026-12-01T10:02:00.000Z'),
  });
  t.equal(again.status, 202);

  const usage = await usageOf('checkout');
  t.same(usage.hours, [{ environment: 'prod', hour: '2026-12-01T10:00:00.000Z', yes: 8, no: 4, variants: { blue: 5, green: 3, red: 2 } }]);
  t.same(usage.lastSeenAt, { prod: '2026-12-01T10:02:00.000Z' });
  const flag = (await request('GET', '/v1/flags/checkout', { token: admin })).body;
  t.equal(flag.environments.prod.lastSeenAt, '2026-12-01T10:02:00.000Z', 'the state shows when it was last evaluated');
  t.equal(flag.environments.dev.lastSeenAt, null, 'never in dev');
  t.equal(flag.type, 'release');
});

t.test('the frontend API takes reports from frontend tokens, for their environment', async (t) => {
  const sent = await request('POST', '/api/frontend/client/metrics', {
    headers: { authorization: frontend },
    body: { appName: 'web', instanceId: 'browser', impactMetrics: [], bucket: { start: '2026-12-01T10:05:00.000Z', stop: '2026-12-01T10:06:00.000Z', toggles: { search: { yes: 2, no: 0, variants: {} } } } },
  });
  t.equal(sent.status, 202, sent.text);
  const usage = await usageOf('search', '?environment=dev');
  t.same(usage.hours, [{ environment: 'dev', hour: '2026-12-01T10:00:00.000Z', yes: 2, no: 0, variants: {} }]);
  const register = await request('POST', '/api/frontend/client/register', { headers: { authorization: frontend }, body: { appName: 'web', instanceId: 'browser' } });
  t.equal(register.status, 202);
  const wrongKind = await request('POST', '/api/client/metrics', { headers: { authorization: frontend }, body: metrics({ search: { yes: 1, no: 0 } }) });
  t.equal(wrongKind.status, 403);
});

t.test('a malformed report is a 400 naming the field, and writes nothing', async (t) => {
  const before = await usageOf('quiet');
  const cases: [string, unknown, RegExp][] = [
    ['negative count', metrics({ quiet: { yes: -1, no: 0 } }), /bucket\.toggles\.quiet\.yes/],
    ['fractional count', metrics({ quiet: { yes: 1.5, no: 0 } }), /bucket\.toggles\.quiet\.yes/],
    ['no bucket', { appName: 'x' }, /body\.bucket/],
    ['start after stop', metrics({ quiet: { yes: 1, no: 0 } }, '2026-12-01T11:00:00Z', '2026-12-01T10:00:00Z'), /bucket\.start/],
    ['not a date', metrics({ quiet: { yes: 1, no: 0 } }, 'yesterday'), /bucket\.start/],
    ['variant count as text', metrics({ quiet: { yes: 1, no: 0, variants: { a: '3' } } }), /bucket\.toggles\.quiet\.variants\.a/],
  ];
  for (const [label, body, field] of cases) {
    const response = await request('POST', '/api/client/metrics', { headers: { authorization: sdk }, body });
    t.equal(response.status, 400, label);
    t.match(response.body.error.message, field, `${label} names the field`);
  }
  const tooMany = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`v${i}`, 1]));
  const capped = await request('POST', '/api/client/metrics', { headers: { authorization: sdk }, body: metrics({ quiet: { yes: 1, no: 0, variants: tooMany } }) });
  t.equal(capped.status, 400, 'more than 50 variant names in one report');
  t.same(await usageOf('quiet'), before);
  const register = await request('POST', '/api/client/register', { headers: { authorization: sdk }, body: { instanceId: 'no app name' } });
  t.equal(register.status, 400);
  t.match(register.body.error.message, /appName/);
});

t.test("the API's own evaluations are counted in memory and written at the flush", async (t) => {
  for (let i = 0; i < 3; i += 1) {
    const evaluated = await request('POST', '/v1/client/evaluate', { token: sdk, body: { context: { key: `user-${i}` } } });
    t.equal(evaluated.status, 200);
  }
  await request('POST', '/ofrep/v1/evaluate/flags/quiet', { token: sdk, body: { context: { targetingKey: 'user-1' } } });
  await request('POST', '/ofrep/v1/evaluate/flags', { token: sdk, body: { context: { targetingKey: 'user-1' } } });
  t.same((await usageOf('quiet')).hours, [], 'nothing written per request');
  await api.usage.flush();
  const usage = await usageOf('quiet');
  t.same(usage.hours, [{ environment: 'prod', hour: '2026-12-01T10:00:00.000Z', yes: 5, no: 0, variants: {} }]);
  t.same(usage.lastSeenAt, { prod: '2026-12-01T10:15:00.000Z' });
});

t.test('hourly rows past the retention are deleted, and reports are never from the future', async (t) => {
  now = new Date('2026-12-01T12:30:00.000Z');
  const future = await request('POST', '/api/client/metrics', {
    headers: { authorization: sdk },
    body: metrics({ search: { yes: 1, no: 0 } }, '2027-01-01T00:00:00.000Z', '2027-01-01T00:01:00.000Z'),
  });
  t.equal(future.status, 202);
  const search = await usageOf('search', '?environment=prod');
  // 10:00 holds the evaluations of the test above (every flag of the bulk answers).
  t.same(search.hours.map((row: { hour: string }) => row.hour), ['2026-12-01T12:00:00.000Z', '2026-12-01T10:00:00.000Z'], 'counted in the current hour');
  t.equal(search.lastSeenAt.prod, '2026-12-01T12:30:00.000Z');

  // 91 days later the December rows are past the 90-day retention; the next write deletes them.
  now = new Date('2027-03-02T13:00:00.000Z');
  await request('POST', '/api/client/metrics', { headers: { authorization: sdk }, body: metrics({ search: { yes: 1, no: 0 } }, '2027-03-02T12:59:00.000Z', '2027-03-02T13:00:00.000Z') });
  const { rows } = await env.pool.query<{ hour: string }>(`select hour from flag_usage order by hour`);
  t.same(rows.map((row) => row.hour), ['2027-03-02T12:00:00.000Z']);
  const checkout = (await request('GET', '/v1/flags/checkout', { token: admin })).body;
  t.equal(checkout.environments.prod.lastSeenAt, '2026-12-01T10:15:00.000Z', 'last seen (the flushed evaluations) outlives the hourly rows');
});

t.test('usage of an unknown flag or environment is a 404; bad queries a 400', async (t) => {
  t.equal((await request('GET', '/v1/flags/nope/usage', { token: admin })).status, 404);
  t.equal((await request('GET', '/v1/flags/checkout/usage?environment=nowhere', { token: admin })).status, 404);
  const bad = await request('GET', '/v1/flags/checkout/usage?hours=0', { token: admin });
  t.equal(bad.status, 400);
  t.match(bad.body.error.message, /hours/);
});

import t from 'tap';
import { createSnapshotCacheMetrics } from '../../services/api/metrics.js';
import { createSnapshotCache } from '../../services/api/snapshots/snapshot-cache.js';
import { startApi } from '../../services/api/server.js';
import { createDatabaseSnapshotReader } from '../../services/api/snapshots/snapshot-reader.js';
import { createPool } from '../../shared/db/pool.js';
import { createMetricsRegistry } from '../../shared/metrics/registry.js';
import { createRedis } from '../../shared/redis/connection.js';
import { openRampQueue } from '../../shared/domain/ramps/ramp-queue.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { spawnNotifierProcess, startTestNotifier } from '../helpers/notifier.js';
import { rampClient } from '../helpers/ramps.js';
import { createSdkToken } from '../helpers/tokens.js';
import { spawnWorkerProcess, waitFor } from '../helpers/worker.js';
import { rawSocket } from '../notifier/socket-client.js';
import { openEventStream } from '../ofrep/event-stream-client.js';
import { freePort } from '../sdk/support.js';

const env = await createTestEnvironment(t, 'metrics');
const api = await startTestApi(t, env, { snapshots: 'cache' });
const { request } = api;
const admin = env.adminSecret;
const sdk = await createSdkToken(request, admin, 'prod');
await request('POST', '/v1/flags', { token: admin, body: { key: 'new_ui', environments: { prod: { enabled: true, rollout: 10 } } } });
const notifier = await startTestNotifier(t, env);
const METRICS_TOKEN = 'scrape-secret-0123456789';

async function scrape(url: string, token?: string): Promise<string> {
  const response = await fetch(`${url}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (response.status !== 200) throw new Error(`${url}/metrics answered ${response.status}`);
  return response.text();
}

/** The value of one sample in Prometheus text (labels must match exactly, in any order); 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`).sort();
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = (match[2] ?? '').split(/,(?=\w+=")/).filter(Boolean).sort();
    if (JSON.stringify(have) === JSON.stringify(wanted)) return Number(match[3]);
  }
  return 0;
}

async function patchProd(body: object): Promise<number> {
  const response = await request('PATCH', '/v1/flags/new_ui/environments/prod', { token: admin, body });
  if (response.status !== 200) throw new Error(`PATCH failed: ${response.text}`);
  return response.body.version;
}

t.test('notifier: sockets, relayed changes, push lag, snapshots and replays move as a change flows', async (t) => {
  const prod = { environment: 'prod' };
  // The notifier loads each environment after it starts; a change committed before that load is in the
  // snapshot it loads (its sockets read it themselves), not relayed and counted: measure from a loaded one.
  const environments = (await request('GET', '/v1/environments', { token: admin })).body.environments as Array<{ key: string; version: number }>;
  await notifier.relayed('prod', environments.find((environment) => environment.key === 'prod')!.version);
  const before = await scrape(notifier.url);
  const socket = rawSocket(notifier.url, { token: sdk.secret });
  t.teardown(() => socket.close());
  await socket.next('flags:synced');
  let now = await scrape(notifier.url);
  t.equal(sample(now, 'flagship_notifier_sockets', prod), 1, 'one socket connected in prod');
  t.equal(sample(now, 'flagship_notifier_snapshots_sent_total', prod), sample(before, 'flagship_notifier_snapshots_sent_total', prod) + 1);

  const version = await patchProd({ rollout: 20 });
  await socket.next('flags:change');
  now = await scrape(notifier.url);
  t.equal(sample(now, 'flagship_notifier_changes_relayed_total', prod), sample(before, 'flagship_notifier_changes_relayed_total', prod) + 1);
  t.equal(sample(now, 'flagship_notifier_push_lag_seconds_count', prod), sample(before, 'flagship_notifier_push_lag_seconds_count', prod) + 1);
  t.ok(sample(now, 'flagship_notifier_push_lag_seconds_bucket', { ...prod, le: '+Inf' }) >= 1, 'the lag histogram has buckets');

  socket.close();
  await waitFor('the socket to be counted out', async () => sample(await scrape(notifier.url), 'flagship_notifier_sockets', prod) === 0);
  await patchProd({ rollout: 30 });
  const latest = await patchProd({ rollout: 40 });
  await notifier.relayed('prod', latest);
  t.equal(sample(await scrape(notifier.url), 'flagship_notifier_relayed_version', prod), latest, 'the relayed version, for comparing notifiers');
  const resumed = rawSocket(notifier.url, { token: sdk.secret, since: version });
  t.teardown(() => resumed.close());
  await resumed.next('flags:synced');
  now = await scrape(notifier.url);
  t.equal(sample(now, 'flagship_notifier_replays_total', prod), sample(before, 'flagship_notifier_replays_total', prod) + 1);
  t.equal(sample(now, 'flagship_notifier_replayed_changes_total', prod), sample(before, 'flagship_notifier_replayed_changes_total', prod) + 2);
  t.equal((await fetch(`${notifier.url}/healthz`)).status, 200, 'the notifier answers /healthz');
});

t.test('api: snapshot cache hits and misses, SSE streams per environment', async (t) => {
  const before = await scrape(api.url);
  for (let read = 0; read < 3; read += 1) t.equal((await request('GET', '/v1/client/flags', { token: sdk.secret })).status, 200);
  const now = await scrape(api.url);
  const reads = (text: string) =>
    sample(text, 'flagship_api_snapshot_cache_hits_total', { layer: 'process' }) +
    sample(text, 'flagship_api_snapshot_cache_hits_total', { layer: 'redis' }) +
    sample(text, 'flagship_api_snapshot_cache_misses_total') +
    sample(text, 'flagship_api_snapshot_cache_fallbacks_total');
  t.ok(reads(now) >= reads(before) + 3, 'every snapshot read is counted as a hit, a miss or a fallback');
  t.ok(sample(now, 'flagship_api_snapshot_cache_hits_total', { layer: 'process' }) > sample(before, 'flagship_api_snapshot_cache_hits_total', { layer: 'process' }));
  t.ok(sample(now, 'flagship_http_requests_total', { method: 'GET', route: '/v1/client/flags', status: '200' }) >= 3);

  const bulk = await request('POST', '/ofrep/v1/evaluate/flags', { token: sdk.secret, body: { context: { targetingKey: 'u' } } });
  const stream = openEventStream(bulk.body.eventStreams[0].url);
  t.teardown(() => stream.close());
  await stream.next();
  t.equal(sample(await scrape(api.url), 'flagship_api_sse_streams', { environment: 'prod' }), 1);
  stream.close();
  await waitFor('the stream to be counted out', async () => sample(await scrape(api.url), 'flagship_api_sse_streams', { environment: 'prod' }) === 0);
});

t.test('worker alone: /healthz and /metrics (behind its token) show ramp steps, lateness and queue jobs', async (t) => {
  const worker = await spawnWorkerProcess(t, env, 'services/worker/main.ts', { WORKER_PORT: '0', FLAGSHIP_METRICS_TOKEN: METRICS_TOKEN });
  const listening = await waitFor('the worker to serve metrics', async () => worker.logs.find((line) => line.msg === 'metrics and health listening'));
  const url = `http://127.0.0.1:${listening.port}`;
  t.equal((await fetch(`${url}/healthz`)).status, 200);
  t.equal((await fetch(`${url}/metrics`)).status, 401, 'a scrape without the token is refused');
  t.equal((await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer not-the-token-at-all' } })).status, 401);

  const ramps = rampClient(request, admin);
  await ramps.createFlag('ramped');
  const ramp = await ramps.scheduleRamp('ramped', [[20, 300], [40, 3_600_000]]);
  await waitFor('the first step to apply', async () => (await ramps.readRamp(ramp.id)).steps[0].appliedAt !== null);
  const text = await waitFor('the step to be counted', async () => {
    const scraped = await scrape(url, METRICS_TOKEN);
    return sample(scraped, 'flagship_worker_ramp_steps_applied_total', { environment: 'prod' }) === 1 && scraped;
  });
  t.equal(sample(text, 'flagship_worker_ramp_step_lateness_seconds_count', { environment: 'prod' }), 1);
  t.equal(sample(text, 'flagship_worker_queue_jobs', { queue: 'rollout-ramps', state: 'delayed' }), 1, "the second step's timer waits in BullMQ");
  t.match(text, /flagship_worker_queue_jobs\{queue="rollout-ramps",state="failed"\} 0/);
  t.match(text, /process_cpu_seconds_total/, "the process's default metrics");
});

t.test('the notifier run alone (services/notifier/main.ts) answers /healthz and /metrics on its port', async (t) => {
  const alone = await spawnNotifierProcess(t, env);
  t.equal((await fetch(`${alone.url}/healthz`)).status, 200);
  t.match(await scrape(alone.url), /flagship_notifier_changes_relayed_total/);
});

t.test('a metrics token guards the API and notifier /metrics too; /healthz stays open', async (t) => {
  const guardedApi = await startTestApi(t, env, { metricsToken: METRICS_TOKEN });
  const guardedNotifier = await startTestNotifier(t, env, { metricsToken: METRICS_TOKEN });
  for (const url of [guardedApi.url, guardedNotifier.url]) {
    const refused = await fetch(`${url}/metrics`);
    t.equal(refused.status, 401, `${url}/metrics without the token`);
    t.match(await refused.json(), { error: { code: 'unauthorized' } });
    t.match(await scrape(url, METRICS_TOKEN), /process_cpu_seconds_total/);
    t.equal((await fetch(`${url}/healthz`)).status, 200);
  }
  t.match(await scrape(api.url), /flagship_http_requests_total/, 'without FLAGSHIP_METRICS_TOKEN /metrics is open');
});

t.test('dependency errors by kind, and snapshot reads that fall back to PostgreSQL', async (t) => {
  const deadPort = await freePort();
  const registry = createMetricsRegistry();
  const deadPool = createPool(`postgres://postgres@127.0.0.1:${deadPort}/flagship`, env.logger);
  t.teardown(() => deadPool.end());
  const rampQueue = openRampQueue(env.config, env.logger);
  t.teardown(() => rampQueue.close());
  const broken = await startApi(
    {
      pool: deadPool,
      redis: env.redis,
      logger: env.logger,
      redisPrefix: env.config.redisPrefix,
      snapshots: createDatabaseSnapshotReader(deadPool),
      rampQueue: rampQueue.queue,
      metrics: registry,
    },
    0,
  );
  t.teardown(() => broken.close());
  const brokenUrl = `http://127.0.0.1:${broken.port}`;
  const refused = await fetch(`${brokenUrl}/v1/flags`, { headers: { authorization: `Bearer ${admin}` } });
  t.equal(refused.status, 503);
  t.equal(sample(await scrape(brokenUrl), 'flagship_dependency_errors_total', { dependency: 'postgresql', kind: 'ECONNREFUSED' }), 1);

  const deadRedis = createRedis(`redis://127.0.0.1:${deadPort}`, env.logger);
  t.teardown(() => deadRedis.disconnect());
  const cacheRegistry = createMetricsRegistry();
  const cache = createSnapshotCache({
    pool: env.pool,
    redis: deadRedis,
    redisPrefix: env.config.redisPrefix,
    logger: env.logger,
    metrics: createSnapshotCacheMetrics(cacheRegistry),
  });
  t.teardown(() => cache.close());
  t.equal((await cache.get('prod')).environment, 'prod', 'served from PostgreSQL');
  t.equal(sample(await cacheRegistry.metrics(), 'flagship_api_snapshot_cache_fallbacks_total'), 1);
});

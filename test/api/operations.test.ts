import net from 'node:net';
import type { Express } from 'express';
import t from 'tap';
import { createRevocationWatch } from '../../shared/domain/tokens/revocation-watch.js';
import { createRelayWatch } from '../../shared/domain/relay-reports/relay-watch.js';
import { buildApp } from '../../services/api/app.js';
import { createDatabaseSnapshotReader } from '../../services/api/snapshots/snapshot-reader.js';
import { createPool } from '../../shared/db/pool.js';
import { createRedis } from '../../shared/redis/connection.js';
import { openRampQueue } from '../../shared/domain/ramps/ramp-queue.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { REDIS_URL } from '../helpers/redis.js';
import { TcpProxy, viaProxy } from '../helpers/tcp-proxy.js';

const env = await createTestEnvironment(t, 'api-operations');
const { request } = await startTestApi(t, env);
const admin = env.adminSecret;

/** Asks until `ready` says yes (a reconnect takes a moment); gives up after `boundMs` (a bound for a loaded machine, not a speed requirement). */
async function eventually<T>(probe: () => Promise<T>, ready: (value: T) => boolean, boundMs = 20_000): Promise<T> {
  let value = await probe();
  for (const deadline = Date.now() + boundMs; Date.now() < deadline && !ready(value); ) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await probe();
  }
  return value;
}

t.test('/healthz and /readyz answer 200 without a token', async (t) => {
  const health = await request('GET', '/healthz');
  t.equal(health.status, 200);
  t.same(health.body, { status: 'ok' });
  const ready = await request('GET', '/readyz');
  t.equal(ready.status, 200);
  t.same(ready.body, { status: 'ok', checks: { postgres: 'ok', redis: 'ok' } });
});

t.test('/readyz is 503 while PostgreSQL is unreachable; without Redis it stays 200, degraded', async (t) => {
  const postgresUrl = new URL(env.config.databaseUrl);
  const postgresProxy = await new TcpProxy(postgresUrl.hostname, Number(postgresUrl.port || 5432)).start();
  const redisUrl = new URL(REDIS_URL);
  const redisProxy = await new TcpProxy(redisUrl.hostname, Number(redisUrl.port || 6379)).start();
  const pool = createPool(viaProxy(env.config.databaseUrl, postgresProxy.port), env.logger, 2);
  const redis = createRedis(viaProxy(REDIS_URL, redisProxy.port), env.logger);
  t.teardown(async () => {
    redis.disconnect();
    await pool.end().catch(() => undefined);
    await postgresProxy.close();
    await redisProxy.close();
  });
  const proxied = await startTestApi(t, { ...env, pool, redis });
  const readiness = () => proxied.request('GET', '/readyz');
  t.equal((await readiness()).status, 200);

  postgresProxy.cut();
  const postgresDown = await readiness();
  t.equal(postgresDown.status, 503);
  t.equal(postgresDown.body.status, 'unavailable');
  t.not(postgresDown.body.checks.postgres, 'ok', 'says PostgreSQL is the problem');
  t.equal(postgresDown.body.checks.redis, 'ok');
  t.equal((await proxied.request('GET', '/healthz')).status, 200, 'still alive: liveness does not depend on PostgreSQL');
  const unreachable = await proxied.request('GET', '/v1/flags', { token: admin });
  t.equal(unreachable.status, 503, 'an admin request while PostgreSQL is away: 503, not 500');
  t.equal(unreachable.body.error.code, 'unavailable');
  t.equal(unreachable.headers.get('retry-after'), '1');
  postgresProxy.restore();
  t.equal((await eventually(readiness, (reply) => reply.status === 200)).status, 200);

  redisProxy.cut();
  const redisDown = await readiness();
  // Reads fall back to PostgreSQL: a load balancer must keep every API while Redis is away.
  t.equal(redisDown.status, 200, 'Redis away: still ready');
  t.equal(redisDown.body.status, 'degraded');
  t.not(redisDown.body.checks.redis, 'ok', 'says Redis is the problem');
  t.equal(redisDown.body.checks.postgres, 'ok');
  redisProxy.restore();
  t.equal((await eventually(readiness, (reply) => reply.body.status === 'ok')).body.status, 'ok');
});

t.test('a PostgreSQL that never answers: requests fail with 503 instead of hanging', async (t) => {
  // A partition drops packets: the connection opens and nothing ever comes back.
  const silent = new Set<net.Socket>();
  const blackHole = net.createServer((socket) => {
    silent.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
  const port = (blackHole.address() as net.AddressInfo).port;
  const pool = createPool(viaProxy(env.config.databaseUrl, port), env.logger, 2, { dbConnectTimeoutMs: 300 });
  t.teardown(async () => {
    await pool.end().catch(() => undefined);
    for (const socket of silent) socket.destroy();
    await new Promise<void>((resolve) => blackHole.close(() => resolve()));
  });
  const stuck = await startTestApi(t, { ...env, pool });
  // The guard only turns a hang (the bug) into a failure; a correct API answers in about 300 ms.
  const request = (path: string) =>
    fetch(`${stuck.url}${path}`, { headers: { authorization: `Bearer ${admin}` }, signal: AbortSignal.timeout(20_000) });
  const flags = await request('/v1/flags');
  t.equal(flags.status, 503);
  t.equal(((await flags.json()) as { error: { code: string } }).error.code, 'unavailable');
  t.equal((await request('/readyz')).status, 503);
});

t.test('/metrics counts requests per route template and times them', async (t) => {
  await request('POST', '/v1/flags', { token: admin, body: { key: 'metered' } });
  for (let i = 0; i < 3; i++) await request('GET', '/v1/flags/metered', { token: admin });
  await request('GET', '/v1/flags/absent', { token: admin });
  await request('GET', '/no/such/route');
  const metrics = await request('GET', '/metrics');
  t.equal(metrics.status, 200);
  t.match(metrics.headers.get('content-type'), /^text\/plain/);
  t.match(metrics.text, /flagship_http_requests_total\{method="GET",route="\/v1\/flags\/:key",status="200"\} 3\n/);
  t.match(metrics.text, /flagship_http_requests_total\{method="GET",route="\/v1\/flags\/:key",status="404"\} 1\n/);
  t.match(metrics.text, /flagship_http_requests_total\{method="POST",route="\/v1\/flags",status="201"\} 1\n/);
  t.match(metrics.text, /flagship_http_requests_total\{method="GET",route="unmatched",status="404"\} 1\n/);
  t.notMatch(metrics.text, /route="\/v1\/flags\/metered"/, 'never a raw path as a label');
  t.match(metrics.text, /flagship_http_request_duration_seconds_count\{method="GET",route="\/v1\/flags\/:key"\} 4\n/);
});

/** Every method and path Express routes, walking mounted routers. */
function expressRoutes(app: Express): string[] {
  interface Layer {
    route?: { path: string; methods: Record<string, boolean> };
    handle?: { stack?: Layer[] };
  }
  const routes: string[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods)) {
          routes.push(`${method.toUpperCase()} ${layer.route.path.replace(/:(\w+)/g, '{$1}')}`);
        }
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return routes;
}

t.test('/openapi.json is OpenAPI 3.1 and lists every route the app serves', async (t) => {
  const document = await request('GET', '/openapi.json');
  t.equal(document.status, 200);
  t.equal(document.body.openapi, '3.1.0');
  t.match(document.body.info, { title: 'FlagShip' });
  const documented = Object.entries<Record<string, unknown>>(document.body.paths).flatMap(([path, operations]) =>
    Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
  );

  const rampQueue = openRampQueue(env.config, env.logger);
  t.teardown(() => rampQueue.close());
  const revocations = createRevocationWatch({ pool: env.pool, redis: env.redis, redisPrefix: env.redisPrefix, logger: env.logger });
  t.teardown(() => revocations.close());
  const relayWatch = createRelayWatch({ redis: env.redis, redisPrefix: env.redisPrefix, logger: env.logger });
  t.teardown(() => relayWatch.close());
  const app = buildApp({
    revocations,
    relayWatch,
    pool: env.pool,
    redis: env.redis,
    logger: env.logger,
    redisPrefix: env.redisPrefix,
    snapshots: createDatabaseSnapshotReader(env.pool),
    rampQueue: rampQueue.queue,
  });
  const served = expressRoutes(app);
  t.ok(served.length >= 16);
  t.same([...new Set(served)].sort(), [...new Set(documented)].sort(), 'what is served is what is documented');

  const patch = document.body.paths['/v1/flags/{key}/environments/{env}'].patch;
  t.same(patch.security, [{ admin: [] }, { personal: [] }, { session: [] }], 'each route names the credentials it takes: an admin token, a personal token, a session');
  t.ok(patch.requestBody.content['application/json'].schema, 'request bodies come from the zod schemas');
  t.ok(patch.responses['412'], 'documents the stale If-Match');
  t.ok(document.body.components.schemas.FlagState, 'named schemas are components');
  t.same(document.body.paths['/healthz'].get.security, [], 'operations routes are public');
});

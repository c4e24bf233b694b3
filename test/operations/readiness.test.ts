import t from 'tap';
import { createTestEnvironment } from '../helpers/environment.js';
import { startTestNotifier } from '../helpers/notifier.js';
import { REDIS_URL } from '../helpers/redis.js';
import { TcpProxy, viaProxy } from '../helpers/tcp-proxy.js';
import { spawnWorkerProcess, waitFor } from '../helpers/worker.js';

// Every service answers /healthz (alive) and /readyz (ready to serve) as
// Kubernetes and a load balancer ask: the notifier is ready only while
// PostgreSQL answers and its LISTEN is active; Redis away only degrades it
// (it keeps pushing). The API's own readiness: test/api/operations.test.ts.

const env = await createTestEnvironment(t, 'readiness');

async function probe(url: string, path: string): Promise<{ status: number; body: any; retryAfter: string | null }> {
  const response = await fetch(`${url}${path}`, { signal: AbortSignal.timeout(10_000) });
  return { status: response.status, body: await response.json(), retryAfter: response.headers.get('retry-after') };
}

t.test('the notifier: ready with PostgreSQL and its LISTEN, unready without, degraded without Redis', async (t) => {
  const postgresUrl = new URL(env.config.databaseUrl);
  const postgresProxy = await new TcpProxy(postgresUrl.hostname, Number(postgresUrl.port || 5432)).start();
  const redisUrl = new URL(REDIS_URL);
  const redisProxy = await new TcpProxy(redisUrl.hostname, Number(redisUrl.port || 6379)).start();
  t.teardown(() => postgresProxy.close());
  t.teardown(() => redisProxy.close());
  const notifier = await startTestNotifier(t, env, {
    databaseUrl: viaProxy(env.config.databaseUrl, postgresProxy.port),
    redisUrl: viaProxy(REDIS_URL, redisProxy.port),
  });
  const ready = () => probe(notifier.url, '/readyz');

  t.same(await probe(notifier.url, '/healthz'), { status: 200, body: { status: 'ok' }, retryAfter: null });
  t.same(await ready(), { status: 200, body: { status: 'ok', checks: { postgres: 'ok', listen: 'ok', redis: 'ok' } }, retryAfter: null });

  postgresProxy.cut();
  const unready = await waitFor('the notifier to say it does not listen', async () => {
    const answer = await ready();
    return answer.body.checks.listen !== 'ok' && answer;
  });
  t.equal(unready.status, 503);
  t.equal(unready.retryAfter, '1');
  t.match(unready.body, { status: 'unavailable', checks: { listen: 'not listening for changes', redis: 'ok' } });
  t.not(unready.body.checks.postgres, 'ok', 'says PostgreSQL is away too');
  t.equal((await probe(notifier.url, '/healthz')).status, 200, 'still alive: liveness does not depend on PostgreSQL');

  postgresProxy.restore();
  const again = await waitFor('the notifier to listen again', async () => {
    const answer = await ready();
    return answer.status === 200 && answer;
  });
  t.same(again.body.checks, { postgres: 'ok', listen: 'ok', redis: 'ok' });

  redisProxy.cut();
  const degraded = await waitFor('the notifier to see Redis away', async () => {
    const answer = await ready();
    return answer.body.checks.redis !== 'ok' && answer;
  });
  t.equal(degraded.status, 200, 'Redis away: still ready (pushes never wait on Redis)');
  t.equal(degraded.body.status, 'degraded');
  redisProxy.restore();
});

t.test('the worker alone: /healthz and /readyz on WORKER_PORT, once started', async (t) => {
  const worker = await spawnWorkerProcess(t, env, 'services/worker/main.ts', { WORKER_PORT: '0' });
  const listening = await waitFor('the worker to serve its probes', async () => worker.logs.find((line) => line.msg === 'metrics and health listening'));
  const url = `http://127.0.0.1:${listening.port as number}`;
  t.same((await probe(url, '/healthz')).body, { status: 'ok' });
  const ready = await waitFor('the worker to be ready', async () => {
    const answer = await probe(url, '/readyz');
    return answer.status === 200 && answer;
  });
  t.same(ready.body, { status: 'ok', checks: { start: 'ok', postgres: 'ok', redis: 'ok' } });
});

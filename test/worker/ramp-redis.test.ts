import t from 'tap';
import { Redis } from 'ioredis';
import { startApi } from '../../services/api/server.js';
import { createDatabaseSnapshotReader } from '../../services/api/snapshots/snapshot-reader.js';
import { insertRamp } from '../../shared/domain/ramps/ramp-repository.js';
import { withTransaction } from '../../shared/db/tx.js';
import { bullPrefix, openRampQueue } from '../../shared/domain/ramps/ramp-queue.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { httpClient } from '../helpers/http.js';
import { REDIS_URL, uniqueRedisPrefix } from '../helpers/redis.js';
import { TcpProxy, viaProxy } from '../helpers/tcp-proxy.js';
import { flagEvents, startTestWorker, waitFor } from '../helpers/worker.js';

const env = await createTestEnvironment(t, 'worker-redis');
const admin = env.adminSecret;

function onDatabase(index: number): string {
  const url = new URL(REDIS_URL);
  url.pathname = `/${index}`;
  return url.toString();
}

/** Keys under `prefix` in one Redis database (SCAN, never KEYS), deleted at teardown. */
async function keysIn(url: string, prefix: string): Promise<string[]> {
  const redis = new Redis(url);
  try {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      found.push(...keys);
    } while (cursor !== '0');
    return found;
  } finally {
    redis.disconnect();
  }
}

async function deleteKeys(url: string, prefix: string): Promise<void> {
  const keys = await keysIn(url, prefix);
  if (keys.length === 0) return;
  const redis = new Redis(url);
  await redis.del(...keys).finally(() => redis.disconnect());
}

async function createFlag(key: string): Promise<void> {
  await withTransaction(env.pool, (client) =>
    client.query(`insert into flag (key) values ($1)`, [key]).then(() =>
      client.query(
        `insert into flag_state (flag_id, environment_key, enabled, strategies)
         select id, 'prod', true, jsonb_build_array(flagship_rollout_strategy(gen_random_uuid()::text, key, 0)) from flag where key = $1`,
        [key],
      ),
    ),
  );
}

t.test('REDIS_URL /N: the queue and the worker use that database, under BullMQ prefix <prefix>:bull', async (t) => {
  const config = { redisUrl: onDatabase(5), redisPrefix: uniqueRedisPrefix('worker-db5') };
  t.teardown(() => deleteKeys(config.redisUrl, config.redisPrefix));
  await createFlag('db_five');
  const worker = await startTestWorker(t, { ...env, config: { ...env.config, ...config } }, { reconcileEveryMs: 3_600_000 });
  await waitFor('the first reconciler round', async () => worker.logs.some((line) => line.msg === 'reconciled rollout ramps at start'));
  const ramp = await withTransaction(env.pool, (client) =>
    insertRamp(client, { flagKey: 'db_five', environment: 'prod', createdBy: { type: 'system', id: 'test', name: 'test' }, steps: [{ rollout: 50, plannedAt: new Date(Date.now() + 1000).toISOString() }] }),
  );
  t.equal((await worker.reconcileNow()).requeuedTimers, 1, 'the reconciler times the new plan');
  t.ok((await keysIn(config.redisUrl, `${bullPrefix(config.redisPrefix)}:rollout-ramps:`)).length > 0, 'BullMQ keys in database 5');
  t.same(await keysIn(onDatabase(0), config.redisPrefix), [], 'none in database 0');
  await waitFor('the step applied through database 5', async () => {
    const { rows } = await env.pool.query(`select status from rollout_plan where id = $1`, [ramp.id]);
    return rows[0].status === 'completed';
  });
  t.same((await flagEvents(env, 'db_five', 'prod')).map((event) => event.after.rollout), [0, 50]);
});

t.test('Redis unreachable from the API when a ramp is created: 201 all the same, and the worker reconciler applies the step', async (t) => {
  await createFlag('redis_down');
  const proxy = await new TcpProxy('127.0.0.1', Number(new URL(REDIS_URL).port || 6379)).start();
  t.teardown(() => proxy.close());
  const rampQueue = openRampQueue({ redisUrl: viaProxy(REDIS_URL, proxy.port), redisPrefix: env.config.redisPrefix }, env.logger);
  const api = await startApi(
    { pool: env.pool, redis: env.redis, logger: env.logger, redisPrefix: env.redisPrefix, snapshots: createDatabaseSnapshotReader(env.pool), rampQueue: rampQueue.queue },
    0,
  );
  t.teardown(async () => {
    await api.close();
    proxy.restore();
    await rampQueue.close();
  });
  const request = httpClient(`http://127.0.0.1:${api.port}`);
  await waitFor('the API queue to connect', async () => rampQueue.connection.status === 'ready');
  proxy.cut();

  const created = await request('POST', '/v1/flags/redis_down/environments/prod/rollouts', {
    token: admin,
    body: { steps: [{ rollout: 25, at: new Date(Date.now() + 1000).toISOString() }] },
  });
  t.equal(created.status, 201, 'the plan is in PostgreSQL: the request does not fail with Redis');

  await waitFor('the step to be overdue', async () => Date.now() > Date.parse(created.body.steps[0].plannedAt));
  const worker = await startTestWorker(t, env, { reconcileEveryMs: 3_600_000 });
  const round = await waitFor('the first reconciler round', async () =>
    worker.logs.find((line) => line.msg === 'reconciled rollout ramps at start'),
  );
  t.equal(round.appliedSteps, 1, 'the reconciler applies the overdue step at start');
  const { rows } = await env.pool.query(`select status from rollout_plan where id = $1`, [created.body.id]);
  t.equal(rows[0].status, 'completed');
  t.same((await flagEvents(env, 'redis_down', 'prod')).map((event) => event.after.rollout), [0, 25]);
});

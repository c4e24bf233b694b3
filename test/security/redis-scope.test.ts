import { Redis } from 'ioredis';
import pg from 'pg';
import t from 'tap';
import { startApi } from '../../services/api/server.js';
import { createSnapshotCache } from '../../services/api/snapshots/snapshot-cache.js';
import { startNotifier } from '../../services/notifier/server.js';
import { ensureFirstAdmin, openResources } from '../../shared/bootstrap.js';
import { openRampQueue } from '../../shared/domain/ramps/ramp-queue.js';
import { redisKeys } from '../../shared/redis/keys.js';
import { changeState, createFlags, createSdkToken, eventually } from '../evaluation/fixtures.js';
import { openEventStream } from '../ofrep/event-stream-client.js';
import { startTestApi } from '../helpers/api.js';
import { databaseUrl } from '../helpers/database.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { httpClient } from '../helpers/http.js';
import { startTestNotifier } from '../helpers/notifier.js';
import { REDIS_URL } from '../helpers/redis.js';

/*
 * Redis is shared: by installations on one server (pub/sub ignores the /N
 * index), and across a database that was dropped and created again. Neither
 * may make FlagShip serve or announce what its own database does not hold.
 */

const env = await createTestEnvironment(t, 'redis-scope');
const api = await startTestApi(t, env, { snapshots: 'cache' });
await startTestNotifier(t, env);
const { request } = api;
const admin = env.adminSecret;
await createFlags(request, admin, { old_flag: { prod: { enabled: true, rollout: 100 } } });
const prod = await createSdkToken(request, admin, 'prod');

const publisher = new Redis(REDIS_URL);
t.teardown(() => publisher.disconnect());

t.test('a message from another installation, or one claiming a version the database has not reached, silences no stream', async (t) => {
  const first = await request('POST', '/ofrep/v1/evaluate/flags', { token: prod.secret, body: { context: { targetingKey: 'u' } } });
  const stream = openEventStream(first.body.eventStreams[0].url);
  t.teardown(() => stream.close());
  await stream.next();

  const forged = JSON.stringify({ environment: 'prod', version: 1_000_000 });
  // Another FlagShip with the same FLAGSHIP_REDIS_PREFIX (any Redis database index) ...
  await publisher.publish(`${env.config.redisPrefix}:snapshot-changed`, forged);
  // ... and a message on this installation's own channel that is ahead of PostgreSQL.
  await publisher.publish(redisKeys.snapshotChangedChannel(env.redisPrefix), forged);

  const changed = await changeState(request, admin, 'old_flag', 'prod', { enabled: false });
  const pushed = await stream.next();
  t.equal(pushed.id, String(changed.version), 'the real change arrives');
  t.ok(stream.received.every((message) => Number(message.id) <= changed.version), 'no forged version was ever sent');
});

t.test('a database dropped and created again is not served from the old cache', async (t) => {
  const before = await request('GET', '/v1/client/flags', { token: prod.secret });
  t.match(before.body.flags, [{ key: 'old_flag' }]);
  t.ok(await env.redis.exists(redisKeys.snapshot(env.redisPrefix, 'prod')), 'the old database left its snapshot in Redis');
  await api.close();

  const name = new URL(env.config.databaseUrl).pathname.slice(1);
  const maintenance = new pg.Client({ connectionString: databaseUrl('postgres') });
  await maintenance.connect();
  await maintenance.query(`drop database ${pg.escapeIdentifier(name)} with (force)`);
  await maintenance.end();

  // What `npm start` does against the missing database: create it, migrate, open everything.
  const resources = await openResources(env.config, env.logger);
  const rampQueue = openRampQueue(env.config, env.logger);
  const snapshots = createSnapshotCache({ ...resources, logger: env.logger });
  const notifier = await startNotifier({ ...resources, logger: env.logger, databaseUrl: env.config.databaseUrl }, { port: 0, host: '127.0.0.1' });
  const fresh = await startApi({ ...resources, logger: env.logger, snapshots, rampQueue: rampQueue.queue }, 0);
  t.teardown(async () => {
    await fresh.close();
    await notifier.close();
    await snapshots.close();
    await rampQueue.close();
    await resources.close();
  });
  await ensureFirstAdmin(resources.pool, env.config);
  t.not(resources.redisPrefix, env.redisPrefix, 'the new database has a new identity');

  const freshRequest = httpClient(`http://127.0.0.1:${fresh.port}`);
  const token = await createSdkToken(freshRequest, admin, 'prod');
  const after = await freshRequest('GET', '/v1/client/flags', { token: token.secret });
  t.equal(after.status, 200);
  t.same(after.body.flags, [], 'the deleted flag is gone');

  await createFlags(freshRequest, admin, { new_flag: { prod: { enabled: true, rollout: 100 } } });
  const withNew = await eventually(
    () => freshRequest('GET', '/v1/client/flags', { token: token.secret }),
    (response) => response.body.flags.length > 0,
  );
  t.match(withNew.body.flags, [{ key: 'new_flag' }], 'a new flag is visible although its version is below the old one');
});

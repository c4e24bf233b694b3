import t from 'tap';
import { startApi } from '../../services/api/server.js';
import { createTokenCache, type TokenCacheOptions } from '../../shared/domain/tokens/token-cache.js';
import { createDatabaseSnapshotReader } from '../../services/api/snapshots/snapshot-reader.js';
import { isDependencyFailure } from '../../shared/dependency-failures.js';
import { createPool } from '../../shared/db/pool.js';
import { createToken } from '../../shared/domain/tokens/token-repository.js';
import { revokeToken } from '../../shared/domain/tokens/token-service.js';
import { withTransaction } from '../../shared/db/tx.js';
import { openRampQueue } from '../../shared/domain/ramps/ramp-queue.js';
import { createRevocationWatch } from '../../shared/domain/tokens/revocation-watch.js';
import { createTestEnvironment, type TestEnvironment } from '../helpers/environment.js';
import { httpClient } from '../helpers/http.js';
import { TcpProxy, viaProxy } from '../helpers/tcp-proxy.js';

const env = await createTestEnvironment(t, 'api-token-cache');

/** An API process of its own (its own cache and Redis subscriber), as a second replica would be. */
async function startReplica(environment: TestEnvironment, cache: Partial<TokenCacheOptions> = {}) {
  const rampQueue = openRampQueue(environment.config, environment.logger);
  const revocations = createRevocationWatch({
    pool: environment.pool,
    redis: environment.redis,
    redisPrefix: environment.redisPrefix,
    logger: environment.logger,
  });
  const tokens = createTokenCache({ pool: environment.pool, revocations, logger: environment.logger, ...cache });
  const api = await startApi(
    {
      pool: environment.pool,
      redis: environment.redis,
      logger: environment.logger,
      redisPrefix: environment.redisPrefix,
      snapshots: createDatabaseSnapshotReader(environment.pool),
      rampQueue: rampQueue.queue,
      tokens,
      revocations,
    },
    0,
  );
  t.teardown(async () => {
    await api.close();
    await tokens.close();
    await revocations.close();
    await rampQueue.close();
  });
  return httpClient(`http://127.0.0.1:${api.port}`);
}

// Trusted for a minute: within these tests only a revocation message (or the fake clock) can end a cached token.
const MINUTE = 60_000;

t.test('a revocation through one API process ends the token at once there and, over Redis, in the others', async (t) => {
  const first = await startReplica(env, { maxAgeMs: MINUTE });
  const second = await startReplica(env, { maxAgeMs: MINUTE });
  const created = await first('POST', '/v1/tokens', { token: env.adminSecret, body: { name: 'app', kind: 'sdk', environment: 'prod' } });
  const secret = created.body.secret;
  // Both processes now remember the token.
  t.equal((await first('GET', '/v1/client/flags', { token: secret })).status, 200);
  t.equal((await second('GET', '/v1/client/flags', { token: secret })).status, 200);

  t.equal((await first('DELETE', `/v1/tokens/${created.body.token.id}`, { token: env.adminSecret })).status, 200);
  t.equal((await first('GET', '/v1/client/flags', { token: secret })).status, 401, 'the revoking process refuses it in its next request');

  // The other process hears of it over pub/sub: wait for it, far less than the minute it would otherwise trust the token.
  let status = 200;
  // A bound on waiting (20 s, a third of the minute), not a speed requirement: the suite's load can hold a message seconds.
  for (const deadline = Date.now() + 20_000; Date.now() < deadline && status === 200; ) {
    status = (await second('GET', '/v1/client/flags', { token: secret })).status;
    if (status === 200) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  t.equal(status, 401, 'the other process refuses it too');
});

t.test('a token revoked straight in the database stops working within the poll, long before maxAgeMs', async (t) => {
  const api = await startReplica(env, { maxAgeMs: MINUTE });
  const created = await api('POST', '/v1/tokens', { token: env.adminSecret, body: { name: 'batch', kind: 'admin' } });
  const secret = created.body.secret;
  t.equal((await api('GET', '/v1/flags', { token: secret })).status, 200);

  await revokeToken(env.pool, created.body.token.id);
  let status = 200;
  // Bounded at 20 s (a third of maxAgeMs), well above the poll, for the suite's load.
  for (const deadline = Date.now() + 20_000; Date.now() < deadline && status === 200; ) {
    status = (await api('GET', '/v1/flags', { token: secret })).status;
    if (status === 200) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  t.equal(status, 401, 'refused without any message over Redis');
});

t.test('unknown secrets are never remembered: a token created by another process works at once', async (t) => {
  const first = await startReplica(env, { maxAgeMs: MINUTE });
  const second = await startReplica(env, { maxAgeMs: MINUTE });
  const created = await first('POST', '/v1/tokens', { token: env.adminSecret, body: { name: 'new app', kind: 'sdk', environment: 'dev' } });
  t.equal((await second('GET', '/v1/client/flags', { token: `${created.body.secret}x` })).status, 401, 'a wrong secret is refused');
  t.equal((await second('GET', '/v1/client/flags', { token: created.body.secret })).status, 200);
});

t.test('while PostgreSQL is away, a known token answers as last known, an unknown one is a dependency failure, a revoked one stays refused', async (t) => {
  const url = new URL(env.config.databaseUrl);
  const proxy = await new TcpProxy(url.hostname, Number(url.port || 5432)).start();
  const pool = createPool(viaProxy(env.config.databaseUrl, proxy.port), env.logger, 2, { dbQueryTimeoutMs: 500, dbConnectTimeoutMs: 500 });
  let clock = 0;
  const revocations = createRevocationWatch({ pool, redis: env.redis, redisPrefix: env.redisPrefix, logger: env.logger });
  const tokens = createTokenCache({ pool, revocations, logger: env.logger, maxAgeMs: 1000, now: () => clock });
  t.teardown(async () => {
    await tokens.close();
    await revocations.close();
    await pool.end().catch(() => undefined);
    await proxy.close();
  });
  const known = await withTransaction(env.pool, (client) => createToken(client, { name: 'known', kind: 'sdk', environment: 'prod' }));
  const doomed = await withTransaction(env.pool, (client) => createToken(client, { name: 'doomed', kind: 'sdk', environment: 'prod' }));
  const stranger = await withTransaction(env.pool, (client) => createToken(client, { name: 'stranger', kind: 'sdk', environment: 'prod' }));
  t.equal((await tokens.find(known.secret))?.id, known.token.id);
  t.equal((await tokens.find(doomed.secret))?.id, doomed.token.id);

  for (const [fault, cut] of [['reset', () => proxy.reset()], ['partition', () => proxy.blackHole()]] as const) {
    cut();
    clock += 2000; // past maxAgeMs: each lookup asks PostgreSQL again
    t.equal((await tokens.find(known.secret))?.id, known.token.id, `${fault}: the known token still works`);
    t.equal((await tokens.find(known.secret))?.id, known.token.id, `${fault}: and again`);
    await t.rejects(tokens.find(stranger.secret), `${fault}: a token never seen cannot be vouched for`);
    const unknown = await tokens.find(stranger.secret).catch((error: unknown) => error);
    t.ok(isDependencyFailure(unknown), `${fault}: answered as a 503, not a 500`);
    proxy.restore();
  }

  // A revocation heard of (here: through this process) ends the last-known copy too.
  await tokens.revoked(doomed.token.id);
  proxy.blackHole();
  clock += 2000;
  await t.rejects(tokens.find(doomed.secret), 'a revoked token is not trusted from memory');
  proxy.restore();
});

t.test('a storm of concurrent lookups of one secret is one query (a reconnect storm must not drain the pool); a revocation is never answered from a lookup before it', async (t) => {
  let queries = 0;
  const counting = {
    query: (...args: Parameters<typeof env.pool.query>) => {
      queries += 1;
      return (env.pool.query as (...a: unknown[]) => unknown)(...args);
    },
  } as unknown as typeof env.pool;
  let clock = 0;
  const revocations = createRevocationWatch({ pool: env.pool, redis: env.redis, redisPrefix: env.redisPrefix, logger: env.logger });
  const tokens = createTokenCache({ pool: counting, revocations, logger: env.logger, maxAgeMs: 1000, now: () => clock });
  t.teardown(async () => {
    await tokens.close();
    await revocations.close();
  });
  const storm = await withTransaction(env.pool, (client) => createToken(client, { name: 'storm', kind: 'sdk', environment: 'prod' }));

  const first = await Promise.all(Array.from({ length: 200 }, () => tokens.find(storm.secret)));
  t.ok(first.every((token) => token?.id === storm.token.id), 'every handshake finds the token');
  t.equal(queries, 1, 'an unknown secret: one query for 200 concurrent lookups');

  clock += 2000; // the entry aged: every lookup would refresh it
  const aged = await Promise.all(Array.from({ length: 200 }, () => tokens.find(storm.secret)));
  t.ok(aged.every((token) => token?.id === storm.token.id));
  t.equal(queries, 2, 'an aged entry: one refresh for 200 concurrent lookups');

  // A lookup in flight when the token is revoked is not shared with one that starts after the revocation.
  clock += 2000;
  const before = tokens.find(storm.secret);
  await revokeToken(env.pool, storm.token.id);
  await tokens.revoked(storm.token.id);
  const after = await tokens.find(storm.secret);
  await before.catch(() => undefined);
  t.equal(after, undefined, 'the lookup after the revocation asks PostgreSQL itself');
  t.equal(queries, 4);
});

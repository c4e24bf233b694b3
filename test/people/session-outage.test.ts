import t from 'tap';
import { startApi } from '../../services/api/server.js';
import { createDatabaseSnapshotReader } from '../../services/api/snapshots/snapshot-reader.js';
import { createPool } from '../../shared/db/pool.js';
import { openRampQueue } from '../../shared/domain/ramps/ramp-queue.js';
import { createRevocationWatch } from '../../shared/domain/tokens/revocation-watch.js';
import { createTokenCache } from '../../shared/domain/tokens/token-cache.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { httpClient } from '../helpers/http.js';
import { TcpProxy, viaProxy } from '../helpers/tcp-proxy.js';
import { SESSION_COOKIE, sessionCookieOf } from './support/people.js';

/*
 * PostgreSQL goes away for one API process (its pool goes through a proxy
 * the test breaks); another process keeps its own connection. Sessions and
 * personal tokens are trusted as last known, like admin tokens: a person
 * signed in through the outage process keeps being who they are there (reads
 * that need no PostgreSQL answer), while a session that process never saw is
 * refused `unavailable` (fail closed). Removing the user or signing out in
 * the other process still reaches the outage process at once, over Redis.
 */

const env = await createTestEnvironment(t, 'people-session-outage');
const admin = env.adminSecret;
const PASSWORD = 'correct horse battery staple';

const proxy = await new TcpProxy('127.0.0.1', Number(new URL(env.config.databaseUrl).port || 5432)).start();
t.teardown(() => proxy.close());
// Short waits: a black-holed connection must not hold the few requests below for the default 3 s + 6 s.
const proxiedPool = createPool(viaProxy(env.config.databaseUrl, proxy.port), env.logger, 4, { dbConnectTimeoutMs: 500, dbQueryTimeoutMs: 1000 });
const rampQueue = openRampQueue(env.config, env.logger);
const revocations = createRevocationWatch({ pool: proxiedPool, redis: env.redis, redisPrefix: env.redisPrefix, logger: env.logger, pollIntervalMs: 100 });
const tokenCache = createTokenCache({ pool: proxiedPool, revocations, logger: env.logger });
const outageApi = await startApi(
  {
    pool: proxiedPool,
    redis: env.redis,
    logger: env.logger,
    redisPrefix: env.redisPrefix,
    snapshots: createDatabaseSnapshotReader(proxiedPool),
    rampQueue: rampQueue.queue,
    tokens: tokenCache,
    revocations,
  },
  0,
);
t.teardown(async () => {
  await outageApi.close();
  await tokenCache.close();
  await revocations.close();
  await rampQueue.close();
  await proxiedPool.end();
});
const outage = httpClient(`http://127.0.0.1:${outageApi.port}`);
const healthy = (await startTestApi(t, env)).request;

async function signIn(email: string, role: 'viewer' | 'editor'): Promise<{ id: string; cookie: string; csrf: string }> {
  const created = await healthy('POST', '/v1/users', { token: admin, body: { email, name: email, roles: [{ role, project: '*' }], password: PASSWORD } });
  if (created.status !== 201) throw new Error(`user not created: ${created.text}`);
  const login = await healthy('POST', '/auth/login', { body: { email, password: PASSWORD } });
  if (login.status !== 200) throw new Error(`sign-in failed: ${login.text}`);
  return { id: created.body.id, cookie: `${SESSION_COOKIE}=${sessionCookieOf(login.headers.getSetCookie())}`, csrf: login.body.csrfToken };
}

/** Asks until `done(status)` (at most 100 times, 10 ms apart); the milliseconds it took, or undefined. */
async function msUntil(ask: () => Promise<number>, done: (status: number) => boolean): Promise<number | undefined> {
  const started = performance.now();
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (done(await ask())) return Math.round(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return undefined;
}

const created = await healthy('POST', '/v1/flags', { token: admin, body: { key: 'outage_flag', environments: { dev: { enabled: true, rollout: 0 } } } });
if (created.status !== 201) throw new Error(`flag not created: ${created.text}`);

for (const fault of ['reset', 'black-hole'] as const) {
  t.test(`PostgreSQL ${fault} for one API process: known sessions and personal tokens go on, removal still ends them`, async (t) => {
    const kept = await signIn(`kept-${fault}@example.com`, 'editor');
    const removed = await signIn(`removed-${fault}@example.com`, 'editor');
    const signedOut = await signIn(`out-${fault}@example.com`, 'viewer');
    const neverSeen = await signIn(`unseen-${fault}@example.com`, 'viewer');
    const personal = await healthy('POST', '/v1/me/tokens', { headers: { cookie: removed.cookie, 'x-flagship-csrf': removed.csrf }, body: { name: 'cli' } });
    t.equal(personal.status, 201);
    const secret = personal.body.secret as string;
    // The outage process sees these once before the outage.
    for (const credentials of [{ headers: { cookie: kept.cookie } }, { headers: { cookie: removed.cookie } }, { headers: { cookie: signedOut.cookie } }, { token: secret }]) {
      t.equal((await outage('GET', '/v1/me', credentials)).status, 200);
    }

    if (fault === 'reset') proxy.reset();
    else proxy.blackHole();
    t.teardown(() => proxy.restore());

    const me = await outage('GET', '/v1/me', { headers: { cookie: kept.cookie } });
    t.equal(me.status, 200, 'a session this process knew is trusted as last known');
    t.match(me.body, { id: kept.id, email: `kept-${fault}@example.com`, roles: [{ role: 'editor', project: '*' }] });
    t.equal((await outage('GET', '/v1/me', { token: secret })).status, 200, 'so is a personal token it knew');
    const unseen = await outage('GET', '/v1/me', { headers: { cookie: neverSeen.cookie } });
    t.equal(unseen.status, 503, 'a session it never saw: fail closed');
    t.equal(unseen.body.error.code, 'unavailable');
    const write = await outage('PATCH', '/v1/flags/outage_flag/environments/dev', { headers: { cookie: kept.cookie, 'x-flagship-csrf': kept.csrf }, body: { rollout: 5 } });
    t.equal(write.status, 503, 'a change needs PostgreSQL');

    // Ended in the healthy process while this one cannot read PostgreSQL: the Redis message ends them here.
    t.equal((await healthy('DELETE', `/v1/users/${removed.id}`, { token: admin })).status, 200);
    t.equal((await healthy('POST', '/auth/logout', { headers: { cookie: signedOut.cookie, 'x-flagship-csrf': signedOut.csrf } })).status, 204);
    const refused = (status: number) => status !== 200;
    const [sessionMs, tokenMs, signOutMs] = await Promise.all([
      msUntil(async () => (await outage('GET', '/v1/me', { headers: { cookie: removed.cookie } })).status, refused),
      msUntil(async () => (await outage('GET', '/v1/me', { token: secret })).status, refused),
      msUntil(async () => (await outage('GET', '/v1/me', { headers: { cookie: signedOut.cookie } })).status, refused),
    ]);
    t.ok(sessionMs !== undefined, 'the removed user’s session is refused during the outage');
    t.ok(tokenMs !== undefined, 'their personal token too');
    t.ok(signOutMs !== undefined, 'and a session signed out elsewhere');
    t.comment(`${fault}: remove user -> session refused by the outage process: ${sessionMs} ms; personal token: ${tokenMs} ms; sign-out -> refused: ${signOutMs} ms`);
    t.equal((await outage('GET', '/v1/me', { headers: { cookie: kept.cookie } })).status, 200, 'the others go on');

    proxy.restore();
    const back = await msUntil(async () => (await outage('GET', '/v1/me', { headers: { cookie: neverSeen.cookie } })).status, (status) => status === 200);
    t.ok(back !== undefined, 'once PostgreSQL is back, the unseen session works');
    t.equal((await outage('GET', '/v1/me', { headers: { cookie: removed.cookie } })).status, 401, 'and the removed user’s is 401');
    t.equal((await outage('GET', '/v1/me', { token: secret })).status, 401);
    t.equal((await outage('GET', '/v1/me', { headers: { cookie: signedOut.cookie } })).status, 401);
  });
}

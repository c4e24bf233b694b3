import t from 'tap';
import { startApi } from '../../services/api/server.js';
import { createDatabaseSnapshotReader } from '../../services/api/snapshots/snapshot-reader.js';
import { openRampQueue } from '../../shared/domain/ramps/ramp-queue.js';
import { createRevocationWatch } from '../../shared/domain/tokens/revocation-watch.js';
import { createTokenCache } from '../../shared/domain/tokens/token-cache.js';
import { createTestEnvironment, type TestEnvironment } from '../helpers/environment.js';
import { httpClient, type HttpRequest } from '../helpers/http.js';
import { startTestNotifier } from '../helpers/notifier.js';
import { connectError } from '../notifier/socket-client.js';

/*
 * Signing out and removing a user end their sessions and personal tokens in
 * every API process, as a revoked token ends: each replica here has its own
 * token cache and revocation watch (its own Redis subscriber), as a second
 * process would. The time from the answer of the ending request to the
 * other replica's first refusal is printed per channel (measured, not asserted:
 * the waits are bounded generously; docs/people.md reports the figures).
 */

const env = await createTestEnvironment(t, 'people-revocation');
const MINUTE = 60_000;

async function startReplica(environment: TestEnvironment): Promise<{ request: HttpRequest; url: string }> {
  const rampQueue = openRampQueue(environment.config, environment.logger);
  const revocations = createRevocationWatch({ pool: environment.pool, redis: environment.redis, redisPrefix: environment.redisPrefix, logger: environment.logger });
  // Cached a minute: only the revocation watch can end a remembered personal token sooner.
  const tokens = createTokenCache({ pool: environment.pool, revocations, logger: environment.logger, maxAgeMs: MINUTE });
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
  const url = `http://127.0.0.1:${api.port}`;
  return { request: httpClient(url), url };
}

/** Asks until the answer is a 401 (at most 200 times, 10 ms apart); the milliseconds it took. */
async function msUntilRefused(ask: () => Promise<number>): Promise<number | undefined> {
  const started = performance.now();
  for (let attempt = 0; attempt < 200; attempt += 1) {
    if ((await ask()) === 401) return Math.round(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return undefined;
}

/** Opens the admin change stream with a session cookie or a token; `ended` resolves when the server ends it, with when. */
async function openStream(url: string, credentials: { cookie: string } | { authorization: string }): Promise<{ ended: Promise<string>; endedAt: Promise<number> }> {
  const response = await fetch(`${url}/v1/stream`, { headers: credentials, signal: AbortSignal.timeout(20_000) });
  if (response.status !== 200) throw new Error(`stream refused: ${response.status}`);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let endedAt = 0;
  const ended = (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        endedAt = performance.now();
        return text;
      }
      text += decoder.decode(value);
    }
  })();
  return { ended, endedAt: ended.then(() => endedAt) };
}

const first = await startReplica(env);
const second = await startReplica(env);
const notifier = await startTestNotifier(t, env);
const admin = env.adminSecret;
const PASSWORD = 'correct horse battery staple';

async function signedInUser(email: string) {
  const created = await first.request('POST', '/v1/users', { token: admin, body: { email, name: email, roles: [{ role: 'editor', project: '*' }], password: PASSWORD } });
  const login = await second.request('POST', '/auth/login', { body: { email, password: PASSWORD } });
  const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
  return { id: created.body.id as string, cookie, csrf: login.body.csrfToken as string };
}

t.test('sign-out in one process: the session is refused in the other at once, and its change stream there ends', async (t) => {
  const user = await signedInUser('out@example.com');
  t.equal((await second.request('GET', '/v1/me', { headers: { cookie: user.cookie } })).status, 200);
  const stream = await openStream(second.url, { cookie: user.cookie });
  const out = await first.request('POST', '/auth/logout', { headers: { cookie: user.cookie, 'x-flagship-csrf': user.csrf } });
  t.equal(out.status, 204);
  const answeredAt = performance.now();
  const ms = await msUntilRefused(async () => (await second.request('GET', '/v1/me', { headers: { cookie: user.cookie } })).status);
  t.ok(ms !== undefined, 'refused by the other process');
  t.comment(`sign-out -> REST (session cookie) refused by the other process: ${ms} ms`);
  const text = await stream.ended;
  t.comment(`sign-out -> SSE admin stream (session cookie) in the other process ended: ${Math.round((await stream.endedAt) - answeredAt)} ms`);
  t.match(text, /event: error/, 'the stream says why before it ends');
});

t.test('removing a user in one process: their personal token and session are refused in the other within the watch', async (t) => {
  const user = await signedInUser('gone@example.com');
  const created = await second.request('POST', '/v1/me/tokens', { headers: { cookie: user.cookie, 'x-flagship-csrf': user.csrf }, body: { name: 'cli' } });
  t.equal(created.status, 201);
  const secret = created.body.secret as string;
  // Both processes now remember the token for a minute.
  t.equal((await first.request('GET', '/v1/me', { token: secret })).status, 200);
  t.equal((await second.request('GET', '/v1/me', { token: secret })).status, 200);
  const stream = await openStream(second.url, { cookie: user.cookie });
  const tokenStream = await openStream(second.url, { authorization: `Bearer ${secret}` });
  // Socket.IO and the SDK routes never take people: a personal token is refused there before and after.
  t.equal((await connectError(notifier.url, { token: secret })).data?.code, 'forbidden', 'Socket.IO refuses a personal token');
  t.equal((await second.request('GET', '/v1/client/flags', { token: secret })).status, 403, 'so do SDK reads');

  t.equal((await first.request('DELETE', `/v1/users/${user.id}`, { token: admin })).status, 200);
  const answeredAt = performance.now();
  const [tokenMs, sessionMs] = await Promise.all([
    msUntilRefused(async () => (await second.request('GET', '/v1/me', { token: secret })).status),
    msUntilRefused(async () => (await second.request('GET', '/v1/me', { headers: { cookie: user.cookie } })).status),
  ]);
  t.ok(tokenMs !== undefined, 'the personal token is refused by the other process');
  t.ok(sessionMs !== undefined, 'the session is refused by the other process');
  t.comment(`remove user -> REST (personal token) refused by the other process: ${tokenMs} ms`);
  t.comment(`remove user -> REST (session cookie) refused by the other process: ${sessionMs} ms`);
  t.match(await stream.ended, /event: error/, 'their change stream ends');
  t.match(await tokenStream.ended, /event: error/, 'and the one opened with their personal token');
  t.comment(`remove user -> SSE admin stream (session cookie) in the other process ended: ${Math.round((await stream.endedAt) - answeredAt)} ms`);
  t.comment(`remove user -> SSE admin stream (personal token) in the other process ended: ${Math.round((await tokenStream.endedAt) - answeredAt)} ms`);
  t.equal((await connectError(notifier.url, { token: secret })).data?.code, 'unauthorized', 'Socket.IO: the token is now unknown');
  t.equal((await second.request('GET', '/v1/client/flags', { token: secret })).status, 401, 'SDK reads: unknown');
  t.equal((await first.request('GET', '/v1/me', { token: secret })).status, 401, 'and in the removing process');
});

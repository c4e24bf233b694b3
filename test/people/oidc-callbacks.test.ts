import { pino } from 'pino';
import t, { type Test } from 'tap';
import { createTestEnvironment } from '../helpers/environment.js';
import { browse, CookieJar, walkToCallback } from '../helpers/oidc-sign-in.js';
import { startOidcWorld } from './support/oidc-world.js';
import { meWithSession, peopleCounts, sessionCookieOf, ssoUser } from './support/people.js';

// Every forged, replayed or expired answer to the callback is refused with a
// clear 4xx page and no session; only the genuine one signs in.

// Everything the API logs, at every level, to check that no secret of a sign-in is ever in it.
const logLines: string[] = [];
const env = { ...(await createTestEnvironment(t, 'oidc-callbacks')), logger: pino({ level: 'trace' }, { write: (line: string) => void logLines.push(line) }) };
/** Every code, state, cookie and secret the sign-ins below handled. */
const secretsSeen = new Set<string>();
let now = Date.now();
const world = await startOidcWorld(t, env, { clock: () => new Date(now) });
const { api, provider, redirectUri } = world;

const ATTEMPT = 'flagship_oidc_attempt';

/** Takes the callback as the browser would; answers the status, the page's error code and the cookies set (besides clearing the attempt). */
async function takeCallback(jar: CookieJar, callbackUrl: string) {
  const params = new URL(callbackUrl).searchParams;
  for (const name of ['code', 'state']) if (params.get(name)) secretsSeen.add(params.get(name)!);
  const attempt = jar.get(api.url, ATTEMPT);
  if (attempt) secretsSeen.add(attempt);
  const response = await browse(jar, callbackUrl);
  const session = sessionCookieOf(response.headers.getSetCookie());
  if (session) secretsSeen.add(session);
  const text = await response.text();
  return {
    status: response.status,
    location: response.headers.get('location'),
    code: /<code id="code">([^<]+)<\/code>/.exec(text)?.[1],
    message: /<p id="message">([^<]+)<\/p>/.exec(text)?.[1] ?? '',
    cookies: response.headers.getSetCookie().filter((cookie) => !cookie.startsWith(`${ATTEMPT}=`)),
    clearsAttempt: response.headers.getSetCookie().some((cookie) => cookie.startsWith(`${ATTEMPT}=;`) && /Max-Age=0/.test(cookie)),
  };
}

function withParam(url: string, name: string, value: string): string {
  const changed = new URL(url);
  changed.searchParams.set(name, value);
  return changed.href;
}

/** Takes the callback and checks the refusal: its status and code, no session cookie, no user or session made. */
async function refusedWithoutSession(t: Test, jar: CookieJar, callbackUrl: string, status: number, code: string) {
  const before = await peopleCounts(env);
  const answer = await takeCallback(jar, callbackUrl);
  t.equal(answer.status, status, `${code}: ${answer.message}`);
  t.equal(answer.code, code);
  t.same(answer.cookies, [], 'no session cookie');
  t.ok(answer.clearsAttempt, 'the attempt cookie is cleared');
  t.same(await peopleCounts(env), before, 'no user or session made');
  return answer;
}

t.test('the genuine answer signs in once; the same answer again is refused', async (t) => {
  const before = await peopleCounts(env);
  const walk = await walkToCallback(api.url, redirectUri, 'alice');
  t.match(walk.authorizationUrl.searchParams.get('code_challenge_method'), 'S256', 'PKCE');
  for (const param of ['state', 'nonce', 'code_challenge']) t.ok(walk.authorizationUrl.searchParams.get(param), `${param} sent`);
  const secret = walk.jar.get(api.url, ATTEMPT)!;
  t.ok(secret, 'the attempt cookie');

  const answer = await takeCallback(walk.jar, walk.callbackUrl);
  t.equal(answer.status, 303, answer.message);
  t.equal(answer.location, '/', 'to the console');
  const session = sessionCookieOf(answer.cookies);
  t.ok(session, 'a session cookie');
  t.match(answer.cookies.find((cookie) => cookie.startsWith('flagship_session='))!, /HttpOnly; SameSite=Lax/);
  t.same(await peopleCounts(env), { users: before.users + 1, sessions: before.sessions + 1 }, 'a user and a session');
  t.match(await ssoUser(env, 'alice'), { email: 'alice@example.com', name: 'Alice Admin', issuer: provider.issuer, roles: [{ role: 'admin', project: '*' }] });
  const me = await meWithSession(api.url, session!);
  t.equal(me.status, 200, 'the session works');
  t.match(me.body, { email: 'alice@example.com', name: 'Alice Admin', roles: [{ role: 'admin', project: '*' }] });

  // An attacker who copied the browser's cookie and the callback URL replays both.
  const replayJar = new CookieJar();
  replayJar.store(api.url, new Response(null, { headers: { 'set-cookie': `${ATTEMPT}=${secret}` } }));
  await refusedWithoutSession(t, replayJar, walk.callbackUrl, 400, 'oidc_attempt_used');
});

t.test('a wrong state is refused', async (t) => {
  const walk = await walkToCallback(api.url, redirectUri, 'alice');
  const answer = await refusedWithoutSession(t, walk.jar, withParam(walk.callbackUrl, 'state', 'forged-state'), 400, 'oidc_callback_refused');
  t.match(answer.message, /state/);
});

t.test('an answer for a sign-in another browser started is refused (no attempt cookie: login CSRF)', async (t) => {
  const walk = await walkToCallback(api.url, redirectUri, 'alice');
  await refusedWithoutSession(t, new CookieJar(), walk.callbackUrl, 400, 'oidc_no_attempt');
});

t.test('an ID token with another nonce is refused', async (t) => {
  const walk = await walkToCallback(api.url, redirectUri, 'alice', { rewrite: (url) => url.searchParams.set('nonce', 'someone-elses-nonce') });
  const answer = await refusedWithoutSession(t, walk.jar, walk.callbackUrl, 400, 'oidc_callback_refused');
  t.match(answer.message, /nonce/);
});

t.test('an ID token for another audience is refused', async (t) => {
  const walk = await walkToCallback(api.url, redirectUri, 'alice');
  provider.tamperNextIdToken((claims) => {
    claims.aud = 'another-app';
  });
  const answer = await refusedWithoutSession(t, walk.jar, walk.callbackUrl, 400, 'oidc_callback_refused');
  t.match(answer.message, /aud/);
});

t.test('an ID token from another issuer is refused', async (t) => {
  const walk = await walkToCallback(api.url, redirectUri, 'alice');
  provider.tamperNextIdToken((claims) => {
    claims.iss = 'https://evil.example.com';
  });
  const answer = await refusedWithoutSession(t, walk.jar, walk.callbackUrl, 400, 'oidc_callback_refused');
  t.match(answer.message, /iss/);
});

t.test('an authorization response naming another issuer is refused (mix-up)', async (t) => {
  const walk = await walkToCallback(api.url, redirectUri, 'alice');
  const answer = await refusedWithoutSession(t, walk.jar, withParam(walk.callbackUrl, 'iss', 'https://evil.example.com'), 400, 'oidc_callback_refused');
  t.match(answer.message, /iss/);
});

t.test('a code used once already is refused, in a sign-in of its own', async (t) => {
  const first = await walkToCallback(api.url, redirectUri, 'alice');
  t.equal((await takeCallback(first.jar, first.callbackUrl)).status, 303, 'the code signs in once');
  // A fresh attempt in this browser, answered with the old code (its state is the fresh one's).
  const second = await walkToCallback(api.url, redirectUri, 'alice');
  const reused = withParam(second.callbackUrl, 'code', new URL(first.callbackUrl).searchParams.get('code')!);
  await refusedWithoutSession(t, second.jar, reused, 400, 'oidc_code_refused');
});

t.test('a made-up code is refused', async (t) => {
  const walk = await walkToCallback(api.url, redirectUri, 'alice');
  await refusedWithoutSession(t, walk.jar, withParam(walk.callbackUrl, 'code', 'made-up-code'), 400, 'oidc_code_refused');
});

t.test('a sign-in finished after ten minutes has expired', async (t) => {
  const walk = await walkToCallback(api.url, redirectUri, 'alice');
  now += 10 * 60 * 1000 + 1000;
  try {
    await refusedWithoutSession(t, walk.jar, walk.callbackUrl, 400, 'oidc_attempt_expired');
  } finally {
    now = Date.now();
  }
});

t.test('the provider refusing the person is a 403 page, no session', async (t) => {
  const walk = await walkToCallback(api.url, redirectUri, 'mallory');
  const answer = await refusedWithoutSession(t, walk.jar, walk.callbackUrl, 403, 'oidc_provider_refused');
  t.match(answer.message, /access_denied/);
});

t.test('the attempt cookie is HttpOnly, SameSite=Lax, scoped to /auth/oidc, ten minutes; the server keeps only its hash', async (t) => {
  const response = await fetch(`${api.url}/auth/oidc/login`, { redirect: 'manual' });
  t.equal(response.status, 302);
  const cookie = response.headers.getSetCookie().find((header) => header.startsWith(`${ATTEMPT}=`))!;
  t.match(cookie, /; Path=\/auth\/oidc; Max-Age=600; HttpOnly; SameSite=Lax/);
  const secret = /^[^=]+=([^;]+)/.exec(cookie)![1]!;
  const location = new URL(response.headers.get('location')!);
  for (const param of ['state', 'nonce', 'code_challenge']) t.not(location.searchParams.get(param), secret, `${param} is not the secret`);
  const { rows } = await env.pool.query('select * from oidc_login_attempt');
  t.notOk(JSON.stringify(rows).includes(secret), 'the secret is not stored');
});

t.test('no code, state, attempt secret or session cookie was ever logged', async (t) => {
  t.ok(secretsSeen.size >= 20, `${secretsSeen.size} secrets handled`);
  t.ok(logLines.length > 0, `${logLines.length} log lines written`);
  const leaked = [...secretsSeen].filter((secret) => logLines.some((line) => line.includes(secret)));
  t.same(leaked, []);
});

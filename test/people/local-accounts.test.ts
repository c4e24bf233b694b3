import pino from 'pino';
import t from 'tap';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import type { HttpResponse } from '../helpers/http.js';

/*
 * Local accounts end to end on a real API and PostgreSQL: argon2id, the same
 * answer for unknown emails, the limit per account and per address, sessions
 * (cookie flags, CSRF, sign-out, idle and absolute expiry), invitation and
 * reset links that expire and work once, and nothing stored in clear. The
 * API's clock is the only fake: it moves past windows and expiries.
 */

// Every log line the API writes, at its most talkative: none may carry a password, cookie, link or email.
const logLines: string[] = [];
const env = { ...(await createTestEnvironment(t, 'local-accounts')), logger: pino({ level: 'trace' }, { write: (line: string) => void logLines.push(line) }) };
let now = new Date('2030-01-01T09:00:00Z');
const clock = () => now;
const advance = (ms: number) => {
  now = new Date(now.getTime() + ms);
};
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const { request } = await startTestApi(t, env, { clock });
const admin = env.adminSecret;
const PASSWORD = 'correct horse battery staple';

const cookieOf = (reply: HttpResponse) => reply.headers.getSetCookie().find((c) => c.startsWith('flagship_session='));
const sessionOf = (reply: HttpResponse) => cookieOf(reply)!.split(';')[0]!;
const login = (email: string, password: string) => request('POST', '/auth/login', { body: { email, password } });

async function addUser(email: string, password?: string) {
  const created = await request('POST', '/v1/users', {
    token: admin,
    body: { email, name: email.split('@')[0], roles: [{ role: 'editor', project: '*' }], ...(password && { password }) },
  });
  if (created.status !== 201) throw new Error(created.text);
  return created.body;
}

t.test('sign in with email and password: an HttpOnly, SameSite=Lax session cookie; then /v1/me', async (t) => {
  await addUser('ana@example.com', PASSWORD);
  const signedIn = await login('ANA@example.com ', PASSWORD);
  t.equal(signedIn.status, 200, 'the email in any case');
  const cookie = cookieOf(signedIn)!;
  t.match(cookie, /HttpOnly/i);
  t.match(cookie, /SameSite=Lax/i);
  t.notMatch(cookie, /Secure/i, 'plain http without a public https URL: not Secure');
  t.match(signedIn.body, { user: { email: 'ana@example.com', signIn: 'password' }, csrfToken: /\S{20,}/ });
  const me = await request('GET', '/v1/me', { headers: { cookie: sessionOf(signedIn) } });
  t.match(me.body, { email: 'ana@example.com', kind: 'user', csrfToken: signedIn.body.csrfToken });
});

t.test('a wrong password and an unknown email get the same answer', async (t) => {
  const wrong = await login('ana@example.com', 'not the password at all');
  const unknown = await login('nobody@example.com', 'not the password at all');
  t.equal(wrong.status, 401);
  t.same(unknown.body, wrong.body, 'same body');
  t.equal(unknown.status, wrong.status, 'same status');
  t.same(wrong.body.error, { code: 'invalid_credentials', message: 'wrong email or password' });
  const invited = await addUser('invited@example.com');
  t.ok(invited.invite, 'an invitation instead of a password');
  t.same((await login('invited@example.com', 'whatever it is')).body, wrong.body, 'an invitation not answered: the same');
  t.equal(cookieOf(wrong), undefined, 'no cookie');
  advance(16 * MINUTE);
});

t.test('after 10 failures for an account within 15 minutes: 429 with Retry-After, even with the right password', async (t) => {
  await addUser('bo@example.com', PASSWORD);
  for (let attempt = 1; attempt <= 10; attempt += 1) {
    t.equal((await login('bo@example.com', `wrong guess ${attempt}`)).status, 401, `failure ${attempt}`);
    advance(10_000);
  }
  const limited = await login('bo@example.com', PASSWORD);
  t.equal(limited.status, 429);
  t.equal(limited.body.error.code, 'rate_limited');
  const retryAfter = Number(limited.headers.get('retry-after'));
  t.ok(retryAfter > 0 && retryAfter <= 15 * 60, `Retry-After ${retryAfter} s, within the window`);
  advance(retryAfter * 1000);
  t.equal((await login('bo@example.com', PASSWORD)).status, 200, 'once the oldest failure left the window');
  advance(16 * MINUTE);
});

t.test('an unknown email is limited exactly like a known one', async (t) => {
  const answers: number[] = [];
  for (let attempt = 1; attempt <= 11; attempt += 1) answers.push((await login('ghost@example.com', `guess ${attempt}`)).status);
  t.same(answers, [...Array(10).fill(401), 429]);
  const limited = await login('ghost@example.com', 'again');
  t.ok(Number(limited.headers.get('retry-after')) > 0, 'with Retry-After');
  advance(16 * MINUTE);
});

t.test('after 10 failures from one address, any account waits', async (t) => {
  for (let attempt = 1; attempt <= 10; attempt += 1) await login(`spray${attempt}@example.com`, 'Summer2030!!');
  const limited = await login('ana@example.com', PASSWORD);
  t.equal(limited.status, 429, 'the address is limited, whichever email');
  advance(16 * MINUTE);
  t.equal((await login('ana@example.com', PASSWORD)).status, 200, 'after the window');
});

t.test('sign-out ends the session at once; it needs the CSRF header', async (t) => {
  const signedIn = await login('ana@example.com', PASSWORD);
  const cookie = sessionOf(signedIn);
  t.equal((await request('POST', '/auth/logout', { headers: { cookie } })).status, 403, 'no CSRF header');
  const out = await request('POST', '/auth/logout', { headers: { cookie, 'x-flagship-csrf': signedIn.body.csrfToken } });
  t.equal(out.status, 204);
  t.match(cookieOf(out), /flagship_session=;.*Expires=Thu, 01 Jan 1970/i, 'the cookie is cleared');
  const after = await request('GET', '/v1/me', { headers: { cookie } });
  t.equal(after.status, 401, 'the old cookie is refused');
  t.equal(after.body.error.code, 'unauthorized');
});

t.test('idle and absolute expiry', async (t) => {
  const idle = sessionOf(await login('ana@example.com', PASSWORD));
  advance(7 * HOUR);
  t.equal((await request('GET', '/v1/me', { headers: { cookie: idle } })).status, 200, 'used within 8 hours');
  advance(8 * HOUR + MINUTE);
  t.equal((await request('GET', '/v1/me', { headers: { cookie: idle } })).status, 401, 'idle for more than 8 hours');

  const busy = sessionOf(await login('ana@example.com', PASSWORD));
  for (let hours = 0; hours < 7 * 24 - 7; hours += 7) {
    advance(7 * HOUR);
    if ((await request('GET', '/v1/me', { headers: { cookie: busy } })).status !== 200) t.fail(`refused after ${hours + 7} h`);
  }
  advance(8 * HOUR);
  t.equal((await request('GET', '/v1/me', { headers: { cookie: busy } })).status, 401, 'past 7 days, however active');
});

t.test('an invitation sets the first password once; a refused password leaves it usable; it expires', async (t) => {
  const user = await addUser('cy@example.com');
  t.match(user.invite, { url: /\/set-password#token=fs_link_/, expiresAt: String });
  const token = new URL(user.invite.url).hash.replace('#token=', '');
  const weak = await request('POST', '/auth/password', { body: { token, password: 'cy@example.com' } });
  t.equal(weak.status, 400);
  t.same(weak.body.error.details.map((d: { path: string[] }) => d.path), [['password']], 'the policy names the field');
  const set = await request('POST', '/auth/password', { body: { token, password: PASSWORD } });
  t.equal(set.status, 200, 'answered');
  t.ok(cookieOf(set), 'and signed in');
  const again = await request('POST', '/auth/password', { body: { token, password: `${PASSWORD}!` } });
  t.equal(again.status, 400, 'a link works once');
  t.same(again.body.error.details[0].path, ['token']);
  t.equal((await login('cy@example.com', PASSWORD)).status, 200);

  const late = await addUser('dee@example.com');
  advance(7 * 24 * HOUR + MINUTE);
  const expired = await request('POST', '/auth/password', { body: { token: new URL(late.invite.url).hash.replace('#token=', ''), password: PASSWORD } });
  t.equal(expired.status, 400, 'an invitation expires after 7 days');
});

t.test('a reset link sets a new password and ends the user’s sessions', async (t) => {
  const users = await request('GET', '/v1/users', { token: admin });
  const ana = users.body.users.find((u: { email: string }) => u.email === 'ana@example.com');
  const before = sessionOf(await login('ana@example.com', PASSWORD));
  const link = await request('POST', `/v1/users/${ana.id}/password-reset`, { token: admin });
  t.equal(link.status, 201);
  const older = await request('POST', `/v1/users/${ana.id}/password-reset`, { token: admin });
  const token = (l: HttpResponse) => new URL(l.body.url).hash.replace('#token=', '');
  t.equal((await request('POST', '/auth/password', { body: { token: token(link), password: 'a brand new passphrase' } })).status, 400, 'a newer link replaces it');
  const reset = await request('POST', '/auth/password', { body: { token: token(older), password: 'a brand new passphrase' } });
  t.equal(reset.status, 200);
  t.equal((await request('GET', '/v1/me', { headers: { cookie: before } })).status, 401, 'the session from before is over');
  t.equal((await login('ana@example.com', PASSWORD)).status, 401, 'the old password is gone');
  t.equal((await login('ana@example.com', 'a brand new passphrase')).status, 200);
  const expiring = await request('POST', `/v1/users/${ana.id}/password-reset`, { token: admin });
  advance(HOUR + MINUTE);
  t.equal((await request('POST', '/auth/password', { body: { token: token(expiring), password: 'yet another passphrase' } })).status, 400, 'a reset link expires after an hour');
});

t.test('nothing about a password, session or link is stored in clear', async (t) => {
  const signedIn = await login('cy@example.com', PASSWORD);
  const cookieValue = sessionOf(signedIn).split('=')[1]!;
  const link = await addUser('eve@example.com');
  const linkSecret = new URL(link.invite.url).hash.replace('#token=', '');
  const { rows } = await env.pool.query<{ dump: string }>(
    `select concat_ws('|', (select string_agg(t::text, ',') from app_user t), (select string_agg(t::text, ',') from user_session t),
                           (select string_agg(t::text, ',') from user_link t), (select string_agg(t::text, ',') from sign_in_failure t)) as dump`,
  );
  const dump = rows[0]!.dump;
  t.notOk(dump.includes(PASSWORD), 'no password');
  t.notOk(dump.includes(cookieValue), 'no session cookie');
  t.notOk(dump.includes(linkSecret), 'no link secret');
  t.match(dump, /\$argon2id\$/, 'passwords as argon2id hashes');
  const failures = await env.pool.query<{ subject: string }>('select subject from sign_in_failure');
  t.ok(failures.rows.every((row) => /^[0-9a-f]{64}$/.test(row.subject)), 'failures name no email or address');
  // Logged so far: every sign-in, failure, lockout, invitation and reset of the tests above.
  t.ok(logLines.length > 0, `${logLines.length} log lines written`);
  const leaked = [PASSWORD, cookieValue, linkSecret, 'cy@example.com', 'ana@example.com', 'eve@example.com'].filter((secret) => logLines.some((line) => line.includes(secret)));
  t.same(leaked, [], 'no password, cookie, link or email in the logs');
});

t.test('behind TLS the cookie is Secure, and the public URL’s Origin stands in for the CSRF header', async (t) => {
  const tls = await startTestApi(t, env, { clock, config: { publicUrl: 'https://flags.example.com' } });
  const signedIn = await tls.request('POST', '/auth/login', { body: { email: 'cy@example.com', password: PASSWORD } });
  t.match(cookieOf(signedIn), /;\s*Secure/i);
  const cookie = sessionOf(signedIn);
  await tls.request('POST', '/v1/flags', { token: admin, body: { key: 'tls_flag' } });
  const patch = (headers: Record<string, string>) => tls.request('PATCH', '/v1/flags/tls_flag/environments/dev', { headers: { cookie, ...headers }, body: { enabled: true } });
  t.equal((await patch({ origin: 'https://flags.example.com' })).status, 200, 'the public Origin');
  t.equal((await patch({ origin: 'https://flags.example.com.evil.example' })).body.error?.code, 'csrf_failed', 'a look-alike Origin');
});

t.test('bad input: a 400 naming the field, never a 500', async (t) => {
  const missing = await request('POST', '/auth/login', { body: { email: 'ana@example.com' } });
  t.equal(missing.status, 400);
  t.same(missing.body.error.details.map((d: { path: string[] }) => d.path), [['password']]);
  const extra = await request('POST', '/auth/login', { body: { email: 'a', password: 'b', remember: true } });
  t.equal(extra.status, 400);
  const huge = await request('POST', '/auth/login', { body: { email: 'a@example.com', password: 'x'.repeat(5000) } });
  t.equal(huge.status, 400);
  t.notOk(huge.text.includes('xxxxxxxx'), 'the password is not echoed');
});

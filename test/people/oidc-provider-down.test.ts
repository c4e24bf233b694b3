import t, { type Test } from 'tap';
import { createTestEnvironment } from '../helpers/environment.js';
import { browse, walkToCallback } from '../helpers/oidc-sign-in.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';
import { createSdkToken } from '../helpers/tokens.js';
import { waitFor } from '../helpers/worker.js';
import { startOidcWorld } from './support/oidc-world.js';
import { meWithSession, sessionCookieOf } from './support/people.js';

// The identity provider being down makes sign-in say so (503, a page) and
// touches nothing else: tokens, SDK routes and sessions keep working, and
// sign-in works again once the provider is back, without a restart.

const env = await createTestEnvironment(t, 'oidc-provider-down');
const { api, provider, redirectUri } = await startOidcWorld(t, env, {});
const sdk = await createSdkToken(api.request, env.adminSecret, 'prod');

async function login() {
  const response = await fetch(`${api.url}/auth/oidc/login`, { redirect: 'manual', signal: AbortSignal.timeout(30_000) });
  const text = await response.text();
  return { status: response.status, retryAfter: response.headers.get('retry-after'), code: /<code id="code">([^<]+)</.exec(text)?.[1], text, cookies: response.headers.getSetCookie() };
}

/** A session opened while the provider was up. */
let session: string | undefined;

async function everythingElseWorks(t: Test) {
  if (session) t.equal((await meWithSession(api.url, session)).status, 200, 'the open session');
  t.equal((await api.request('GET', '/v1/flags', { token: env.adminSecret })).status, 200, 'admin token');
  t.equal((await api.request('GET', '/v1/client/flags', { token: sdk.secret })).status, 200, 'SDK route');
  t.equal((await api.request('GET', '/readyz')).status, 200, 'ready: the provider is not a dependency of readiness');
}

t.test('down before the first sign-in: discovery fails, sign-in is a 503 page, nothing else notices', async (t) => {
  await provider.stop();
  const answer = await login();
  t.equal(answer.status, 503);
  t.equal(answer.code, 'identity_provider_unavailable');
  t.match(answer.text, /identity provider did not answer/);
  t.ok(answer.retryAfter, 'Retry-After');
  t.same(answer.cookies, [], 'no login attempt started');
  t.equal((await env.pool.query('select count(*)::int as n from oidc_login_attempt')).rows[0].n, 0, 'nothing stored');
  await everythingElseWorks(t);
});

t.test('back up: the next sign-in discovers it and works', async (t) => {
  await provider.start();
  const status = await waitFor('sign-in to work again', async () => {
    const answer = await login();
    return answer.status === 302 ? answer.status : undefined;
  });
  t.equal(status, 302);
  const walk = await walkToCallback(api.url, redirectUri, 'alice');
  const answer = await browse(walk.jar, walk.callbackUrl);
  t.equal(answer.status, 303, 'signed in');
  session = sessionCookieOf(answer.headers.getSetCookie());
  t.ok(session);
});

t.test('down between leaving for the provider and coming back: the callback is a 503 page, no session', async (t) => {
  const walk = await walkToCallback(api.url, redirectUri, 'alice');
  await provider.stop();
  const response = await browse(walk.jar, walk.callbackUrl);
  const text = await response.text();
  t.equal(response.status, 503);
  t.match(text, /identity_provider_unavailable/);
  t.ok(response.headers.get('retry-after'));
  t.same(response.headers.getSetCookie().filter((cookie) => !cookie.startsWith('flagship_oidc_attempt=')), [], 'no session');
  t.equal((await login()).status, 503, 'a new sign-in: 503 too (the token endpoint and keys are gone)');
  await everythingElseWorks(t);
  await provider.start();
});

t.test('a provider that accepts connections but never answers: sign-in is a 503 after the bounded wait, never a hang', async (t) => {
  let proxy: TcpProxy | undefined;
  const hanging = await startOidcWorld(t, env, {
    providerTimeoutSeconds: 2,
    issuerFor: async (port) => {
      proxy = await new TcpProxy('127.0.0.1', port).start();
      t.teardown(() => proxy!.close());
      return `http://127.0.0.1:${proxy.port}`;
    },
  });
  proxy!.blackHole();
  const response = await fetch(`${hanging.api.url}/auth/oidc/login`, { redirect: 'manual', signal: AbortSignal.timeout(30_000) });
  t.equal(response.status, 503);
  t.match(await response.text(), /identity_provider_unavailable/);
  proxy!.restore();
  const status = await waitFor('sign-in through the healed network', async () => {
    const answer = await fetch(`${hanging.api.url}/auth/oidc/login`, { redirect: 'manual', signal: AbortSignal.timeout(30_000) });
    return answer.status === 302 ? answer.status : undefined;
  });
  t.equal(status, 302);
});

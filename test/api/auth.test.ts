import t from 'tap';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { dumpDatabase } from './support/database-dump.js';

const env = await createTestEnvironment(t, 'api-auth');
const { request, url } = await startTestApi(t, env);
const admin = env.adminSecret;

interface Operation {
  method: string;
  path: string;
}

/** Admin routes: everything under /v1 except the SDK's /v1/client (OFREP lives under /ofrep). */
function isAdminPath(path: string): boolean {
  return path.startsWith('/v1/') && !path.startsWith('/v1/client/') && path !== '/v1/client';
}

const document = (await request('GET', '/openapi.json')).body;
const secured: Operation[] = [];
for (const [path, operations] of Object.entries<Record<string, { security?: unknown[] }>>(document.paths)) {
  for (const [method, operation] of Object.entries(operations)) {
    if ((operation.security ?? []).length > 0) secured.push({ method: method.toUpperCase(), path });
  }
}
const adminRoutes = secured.filter((operation) => isAdminPath(operation.path));

// Path parameters that exist where existence matters, so a 401/403 cannot be a 404 in disguise.
await request('POST', '/v1/flags', { token: admin, body: { key: 'guarded' } });
const concrete = (path: string) =>
  path
    .replace('{key}', 'guarded')
    .replace('{env}', 'prod')
    .replace('{id}', '3b241101-e2bb-4255-8caf-4136c566a962');

const sdk = (await request('POST', '/v1/tokens', { token: admin, body: { name: 'app', kind: 'sdk', environment: 'prod' } })).body.secret;
const revokedAdmin = await request('POST', '/v1/tokens', { token: admin, body: { name: 'gone admin', kind: 'admin' } });
const revokedSdk = await request('POST', '/v1/tokens', { token: admin, body: { name: 'gone app', kind: 'sdk', environment: 'dev' } });
for (const created of [revokedAdmin, revokedSdk]) {
  // Used once before revocation, so a token remembered by the API (a cache) would show up below.
  const used = await request('GET', '/v1/flags', { token: created.body.secret });
  if (used.status !== (created.body.token.kind === 'admin' ? 200 : 403)) throw new Error(`unexpected ${used.status}: ${used.text}`);
  const revoked = await request('DELETE', `/v1/tokens/${created.body.token.id}`, { token: admin });
  if (revoked.status !== 200) throw new Error(`could not revoke a token for the test: ${revoked.text}`);
}

t.test('the route list comes from /openapi.json and holds every admin route of the design', async (t) => {
  const listed = adminRoutes.map((operation) => `${operation.method} ${operation.path}`);
  for (const route of [
    'GET /v1/environments',
    'POST /v1/environments',
    'GET /v1/flags',
    'POST /v1/flags',
    'GET /v1/flags/{key}',
    'PATCH /v1/flags/{key}',
    'DELETE /v1/flags/{key}',
    'GET /v1/flags/{key}/environments/{env}',
    'PATCH /v1/flags/{key}/environments/{env}',
    'GET /v1/events',
    'GET /v1/tokens',
    'POST /v1/tokens',
    'DELETE /v1/tokens/{id}',
  ]) {
    t.ok(listed.includes(route), route);
  }
});

const refusals: { label: string; headers: Record<string, string>; status: number; message: RegExp }[] = [
  { label: 'no token', headers: {}, status: 401, message: /Authorization: Bearer/ },
  { label: 'an sdk token', headers: { authorization: `Bearer ${sdk}` }, status: 403, message: /admin token/ },
  { label: 'a revoked admin token', headers: { authorization: `Bearer ${revokedAdmin.body.secret}` }, status: 401, message: /revoked/ },
  { label: 'a revoked sdk token', headers: { authorization: `Bearer ${revokedSdk.body.secret}` }, status: 401, message: /revoked/ },
  { label: 'an unknown secret', headers: { authorization: 'Bearer fs_admin_not-a-real-secret' }, status: 401, message: /unknown/ },
  { label: 'Bearer with no secret', headers: { authorization: 'Bearer' }, status: 401, message: /Bearer/ },
  { label: 'Bearer with a blank secret', headers: { authorization: 'Bearer    ' }, status: 401, message: /Bearer/ },
  { label: 'the wrong scheme', headers: { authorization: `Basic ${Buffer.from(`admin:${admin}`).toString('base64')}` }, status: 401, message: /Bearer/ },
  { label: 'the secret alone', headers: { authorization: admin }, status: 401, message: /Bearer/ },
  { label: 'two secrets', headers: { authorization: `Bearer ${admin} ${admin}` }, status: 401, message: /Bearer/ },
  { label: 'the secret as a query parameter only', headers: { 'x-api-key': admin }, status: 401, message: /Bearer/ },
];

t.test('every admin route refuses what is not a live admin token, and writes nothing', async (t) => {
  const before = await dumpDatabase(env.pool);
  for (const { method, path } of adminRoutes) {
    for (const refusal of refusals) {
      const reply = await request(method, concrete(path), {
        headers: { ...refusal.headers, 'content-type': 'application/json' },
        rawBody: ['POST', 'PATCH', 'PUT'].includes(method) ? '{}' : undefined,
      });
      t.equal(reply.status, refusal.status, `${method} ${path} with ${refusal.label}`);
      t.equal(reply.body?.error?.code, refusal.status === 401 ? 'unauthorized' : 'forbidden');
      t.match(reply.body?.error?.message, refusal.message);
    }
  }
  t.same(await dumpDatabase(env.pool), before);
});

t.test('with a live admin token the same requests get past authentication', async (t) => {
  const before = await dumpDatabase(env.pool);
  for (const { method, path } of adminRoutes) {
    if (path === '/v1/stream') {
      // An event stream never ends by itself: its status and headers are the answer.
      const stream = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${admin}` } });
      t.notOk([401, 403].includes(stream.status), `${method} ${path}: ${stream.status}`);
      t.ok(stream.status < 500, `${method} ${path}: no 500`);
      await stream.body?.cancel();
      continue;
    }
    // Invalid bodies and a flag that does not exist: past the guard, yet still nothing written.
    // Only the status is read: a stream route (GET /v1/stream) answers 200 and never ends its body.
    const aborted = new AbortController();
    const reply = await fetch(`${url}${concrete(path).replace('guarded', 'not_there')}`, {
      method,
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: ['POST', 'PATCH', 'PUT'].includes(method) ? '{"unexpected":true}' : undefined,
      signal: aborted.signal,
    });
    aborted.abort();
    if (path.startsWith('/v1/me/tokens')) {
      // Personal tokens belong to people: an admin token (a service account) is authenticated, and has none.
      t.equal(reply.status, 403, `${method} ${path}: an admin token has no personal tokens`);
      continue;
    }
    t.notOk([401, 403].includes(reply.status), `${method} ${path}: ${reply.status}`);
    t.ok(reply.status < 500, `${method} ${path}: no 500`);
  }
  t.same(await dumpDatabase(env.pool), before);
});

t.test('operations routes are public', async (t) => {
  for (const path of ['/healthz', '/readyz', '/metrics', '/openapi.json']) {
    t.equal((await request('GET', path)).status, 200, path);
  }
});

import t from 'tap';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { startTestNotifier } from '../helpers/notifier.js';
import { connectError } from '../notifier/socket-client.js';
import { openEventStream } from '../ofrep/event-stream-client.js';

const env = await createTestEnvironment(t, 'unleash-frontend-token');
const api = await startTestApi(t, env, { snapshots: 'cache' });
const notifier = await startTestNotifier(t, env);
const { request } = api;
const admin = env.adminSecret;

async function createToken(body: Record<string, unknown>): Promise<{ id: string; secret: string }> {
  const response = await request('POST', '/v1/tokens', { token: admin, body });
  if (response.status !== 201) throw new Error(`could not create a token: ${response.status} ${response.text}`);
  return { id: response.body.token.id, secret: response.body.secret };
}

const frontend = await createToken({ name: 'web', kind: 'frontend', environment: 'prod' });
await request('POST', '/v1/flags', { token: admin, body: { key: 'guarded', environments: { prod: { enabled: true, rollout: 100 } } } });

/** What a frontend token may call: evaluated answers only. */
function frontendMayCall(path: string): boolean {
  // Besides the frontend API and OFREP: apps' exposures and events (guarded ramps), which carry no definition back.
  return path.startsWith('/ofrep/') || path === '/api/frontend' || path.startsWith('/api/frontend/') || path === '/v1/client/events';
}

const document = (await request('GET', '/openapi.json')).body;
const secured: { method: string; path: string }[] = [];
for (const [path, operations] of Object.entries<Record<string, { security?: unknown[] }>>(document.paths)) {
  for (const [method, operation] of Object.entries(operations)) {
    if ((operation.security ?? []).length > 0) secured.push({ method: method.toUpperCase(), path });
  }
}
const concrete = (path: string) =>
  path
    .replace('{key}', 'guarded')
    .replace('{name}', 'guarded')
    .replace('{env}', 'prod')
    .replace('{id}', '3b241101-e2bb-4255-8caf-4136c566a962');

t.test('a frontend token needs an environment, like an sdk token', async (t) => {
  const missing = await request('POST', '/v1/tokens', { token: admin, body: { name: 'web', kind: 'frontend' } });
  t.equal(missing.status, 400);
  t.match(missing.text, /environment/);
  const unknown = await request('POST', '/v1/tokens', { token: admin, body: { name: 'web', kind: 'frontend', environment: 'nowhere' } });
  t.equal(unknown.status, 404);
  const listed = (await request('GET', '/v1/tokens', { token: admin })).body.tokens.find((token: { id: string }) => token.id === frontend.id);
  t.match(listed, { kind: 'frontend', environment: 'prod' });
  t.match(frontend.secret, /^fs_frontend_/);
});

t.test('the route list covers the definitions a frontend token must never see', async (t) => {
  const listed = secured.map((operation) => `${operation.method} ${operation.path}`);
  for (const route of ['GET /v1/client/flags', 'POST /v1/client/evaluate', 'POST /api/client/metrics', 'POST /api/client/register', 'GET /v1/flags']) {
    t.ok(listed.includes(route), route);
  }
  t.ok(secured.some((operation) => frontendMayCall(operation.path)), 'some routes are open to frontend tokens');
});

t.test('a frontend token is refused by every route but the frontend API, OFREP and the events endpoint', async (t) => {
  for (const { method, path } of secured) {
    const body = method === 'GET' || method === 'DELETE' ? undefined : { context: { targetingKey: 'user-1' } };
    for (const authorization of [`Bearer ${frontend.secret}`, frontend.secret]) {
      const response = await request(method, concrete(path), { headers: { authorization }, body });
      if (frontendMayCall(path)) {
        // Bare secrets count under /api only (Unleash's SDKs send them); OFREP wants Bearer.
        if (!authorization.startsWith('Bearer') && !path.startsWith('/api/')) continue;
        t.notOk([401, 403].includes(response.status), `${method} ${path} answers a frontend token (${response.status})`);
      } else if (!authorization.startsWith('Bearer') && !path.startsWith('/api/')) {
        t.equal(response.status, 401, `${method} ${path}: a bare secret is no credential outside /api`);
      } else {
        t.equal(response.status, 403, `${method} ${path} refuses a frontend token`);
        t.match(response.body, { error: { code: 'forbidden' } }, `${method} ${path} says why`);
      }
    }
  }
});

t.test('OFREP single, bulk and event stream answer a frontend token', async (t) => {
  const single = await request('POST', '/ofrep/v1/evaluate/flags/guarded', { token: frontend.secret, body: { context: { targetingKey: 'u' } } });
  t.equal(single.status, 200);
  t.equal(single.body.value, true);
  const bulk = await request('POST', '/ofrep/v1/evaluate/flags', { token: frontend.secret, body: { context: { targetingKey: 'u' } } });
  t.equal(bulk.status, 200);
  t.ok(bulk.body.flags.some((flag: { key: string }) => flag.key === 'guarded'));
  const stream = openEventStream(bulk.body.eventStreams[0].url);
  t.teardown(stream.close);
  const first = await stream.next();
  t.equal(first.data.type, 'refetchEvaluation');
  const byHeader = openEventStream(`${api.url}/ofrep/v1/event-stream`, { authorization: `Bearer ${frontend.secret}` });
  t.teardown(byHeader.close);
  t.equal((await byHeader.next()).data.type, 'refetchEvaluation');
});

t.test('the Socket.IO snapshot refuses a frontend token', async (t) => {
  const error = await connectError(notifier.url, { token: frontend.secret });
  t.equal(error.data?.code, 'forbidden');
  t.equal(error.message, 'an sdk token is required, not a frontend token');
});

t.test('an sdk token cannot call the frontend API, nor an admin token', async (t) => {
  const sdk = await createToken({ name: 'server', kind: 'sdk', environment: 'prod' });
  for (const { method, path } of secured.filter((operation) => operation.path.startsWith('/api/frontend'))) {
    for (const secret of [sdk.secret, admin]) {
      const response = await request(method, concrete(path), { token: secret, body: method === 'GET' ? undefined : {} });
      t.equal(response.status, 403, `${method} ${path}`);
    }
  }
});

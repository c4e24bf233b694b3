import t from 'tap';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { createSdkToken } from '../helpers/tokens.js';

/* CORS on the OFREP routes (single, bulk, event stream), configurable, never on admin routes. */

const env = await createTestEnvironment(t, 'ofrep-cors');
const open = await startTestApi(t, env);
const narrow = await startTestApi(t, env, { config: { corsOrigins: ['https://shop.example.com'] } });
const sdk = await createSdkToken(open.request, env.adminSecret, 'prod');
const origin = 'https://shop.example.com';

const preflight = (base: string, path: string, from = origin, method = 'POST') =>
  fetch(`${base}${path}`, {
    method: 'OPTIONS',
    headers: { origin: from, 'access-control-request-method': method, 'access-control-request-headers': 'authorization, content-type, if-none-match' },
  });

t.test('preflights of the single, bulk and event-stream routes are answered', async (t) => {
  for (const [path, method] of [['/ofrep/v1/evaluate/flags/banner', 'POST'], ['/ofrep/v1/evaluate/flags', 'POST'], ['/ofrep/v1/event-stream', 'GET']] as const) {
    const response = await preflight(open.url, path, origin, method);
    t.equal(response.status, 204, path);
    t.equal(response.headers.get('access-control-allow-origin'), '*');
    t.match(response.headers.get('access-control-allow-headers'), /authorization/);
    t.match(response.headers.get('access-control-allow-methods'), new RegExp(method));
  }
});

t.test('answers carry the origin and expose the ETag', async (t) => {
  const bulk = await fetch(`${open.url}/ofrep/v1/evaluate/flags`, {
    method: 'POST',
    headers: { origin, authorization: `Bearer ${sdk.secret}`, 'content-type': 'application/json' },
    body: '{}',
  });
  t.equal(bulk.status, 200);
  t.equal(bulk.headers.get('access-control-allow-origin'), '*');
  t.match(bulk.headers.get('access-control-expose-headers'), /ETag/i);
  const { eventStreams } = (await bulk.json()) as { eventStreams: Array<{ url: string }> };
  const stream = await fetch(eventStreams[0]!.url, { headers: { origin } });
  t.equal(stream.status, 200);
  t.equal(stream.headers.get('access-control-allow-origin'), '*', 'the event stream too (EventSource is a CORS request)');
  await stream.body!.cancel();
});

t.test('FLAGSHIP_CORS_ORIGINS: listed origins only', async (t) => {
  const listed = await preflight(narrow.url, '/ofrep/v1/evaluate/flags');
  t.equal(listed.status, 204);
  t.equal(listed.headers.get('access-control-allow-origin'), origin);
  t.match(listed.headers.get('vary'), /Origin/);
  const other = await preflight(narrow.url, '/ofrep/v1/evaluate/flags', 'https://evil.example.com');
  t.equal(other.status, 403);
  t.equal(other.headers.get('access-control-allow-origin'), null);
});

t.test('never on admin routes', async (t) => {
  const response = await preflight(open.url, '/v1/tokens');
  t.equal(response.headers.get('access-control-allow-origin'), null);
  const read = await fetch(`${open.url}/v1/flags`, { headers: { origin, authorization: `Bearer ${env.adminSecret}` } });
  t.equal(read.status, 200);
  t.equal(read.headers.get('access-control-allow-origin'), null);
  await read.text();
});

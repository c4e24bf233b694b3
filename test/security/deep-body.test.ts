import t from 'tap';
import { MAX_INPUT_DEPTH } from '../../services/api/http/unsafe-input.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { createSdkToken } from '../helpers/tokens.js';

// A small, deeply nested body used to overflow the input check's recursion (a
// 500) and, below that, to cost it quadratic time: now it is a 400 naming the limit.
const env = await createTestEnvironment(t, 'deep-body');
const { request } = await startTestApi(t, env);
const sdk = await createSdkToken(request, env.adminSecret, 'prod');

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const contextBody = (depth: number) => `{"context":{"key":"u","targetingKey":"u","a":${nested(depth)}}}`;
const json = { 'content-type': 'application/json' };

const routes = [
  { label: 'client evaluate', path: '/v1/client/evaluate', token: () => sdk.secret },
  { label: 'OFREP single flag', path: '/ofrep/v1/evaluate/flags/anything', token: () => sdk.secret },
  { label: 'OFREP bulk', path: '/ofrep/v1/evaluate/flags', token: () => sdk.secret },
  { label: 'admin flag create', path: '/v1/flags', token: () => env.adminSecret },
];

for (const route of routes) {
  t.test(`${route.label}: 4,000 levels (8 KB) is a 400 naming the depth limit`, async (t) => {
    const body = route.path === '/v1/flags' ? `{"key":"deep","description":${nested(4000)}}` : contextBody(4000);
    const response = await request('POST', route.path, { token: route.token(), rawBody: body, headers: json });
    t.equal(response.status, 400, response.text);
    t.match(response.text, new RegExp(`${MAX_INPUT_DEPTH} levels`), 'the message names the limit');
  });
}

t.test('30,000 levels (60 KB, under the body limit) is a 400 too, and the server stays responsive', async (t) => {
  const body = contextBody(30_000);
  const answers = await Promise.all(
    Array.from({ length: 10 }, () => request('POST', '/v1/client/evaluate', { token: sdk.secret, rawBody: body, headers: json })),
  );
  t.same(answers.map((answer) => answer.status), Array(10).fill(400));
  const health = await request('GET', '/healthz');
  t.equal(health.status, 200);
});

t.test('nesting within the limit is accepted', async (t) => {
  const response = await request('POST', '/v1/client/evaluate', {
    token: sdk.secret,
    rawBody: contextBody(MAX_INPUT_DEPTH - 3),
    headers: json,
  });
  t.not(response.status, 500);
  t.notMatch(response.text, /levels/);
});

t.test('the body limit still holds: a deep body over 64 KB is a 413', async (t) => {
  const response = await request('POST', '/v1/client/evaluate', { token: sdk.secret, rawBody: contextBody(40_000), headers: json });
  t.equal(response.status, 413);
});

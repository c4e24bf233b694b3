import t from 'tap';
import { bucket } from '../../packages/evaluation/index.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { changeState, createFlags, createSdkToken, eventually } from '../evaluation/fixtures.js';

const env = await createTestEnvironment(t, 'ofrep-protocol');
const { request } = await startTestApi(t, env);
const admin = env.adminSecret;

await createFlags(request, admin, {
  always_on: { prod: { enabled: true, rollout: 100 } },
  always_off: { prod: { enabled: false, rollout: 100 } },
  partial: { prod: { enabled: true, rollout: 30 }, dev: { enabled: true, rollout: 100 } },
  retired: { prod: { enabled: true, rollout: 100 } },
});
const archived = await request('DELETE', '/v1/flags/retired', { token: admin });
if (archived.status !== 200) throw new Error(`archiving retired: ${archived.text}`);
const prod = await createSdkToken(request, admin, 'prod');
const dev = await createSdkToken(request, admin, 'dev');

const single = (key: string, body: unknown, secret = prod.secret, path = '') =>
  request('POST', `/ofrep/v1/evaluate/flags/${encodeURIComponent(key)}${path}`, { token: secret, body });
const bulk = (body: unknown, options: { secret?: string; headers?: Record<string, string>; query?: string } = {}) =>
  request('POST', `/ofrep/v1/evaluate/flags${options.query ?? ''}`, { token: options.secret ?? prod.secret, body, headers: options.headers });

t.test('single flag: success is { key, value, reason, variant, metadata }', async (t) => {
  const on = await single('always_on', { context: { targetingKey: 'user-1' } });
  t.equal(on.status, 200);
  t.match(on.headers.get('content-type'), /^application\/json/);
  t.same(on.body, {
    key: 'always_on',
    value: true,
    reason: 'STATIC',
    variant: 'on',
    metadata: { environment: 'prod', version: on.body.metadata.version, enabled: true, rollout: 100 },
  });
  t.type(on.body.metadata.version, 'number');

  const off = await single('always_off', { context: { targetingKey: 'user-1' } });
  t.match(off.body, { key: 'always_off', value: false, reason: 'DISABLED', variant: 'off' });

  const key = 'user-1234';
  const partial = await single('partial', { context: { targetingKey: key, email: 'a@b.c', beta: true } });
  const expectedBucket = bucket('partial', key);
  t.same(partial.body, {
    key: 'partial',
    value: expectedBucket <= 30,
    reason: 'SPLIT',
    variant: expectedBucket <= 30 ? 'on' : 'off',
    metadata: { environment: 'prod', version: partial.body.metadata.version, enabled: expectedBucket <= 30, rollout: 30, bucket: expectedBucket },
  });
});

t.test('single flag: unknown, archived or impossible keys are 404 FLAG_NOT_FOUND', async (t) => {
  for (const key of ['nope', 'retired', 'Not_A_Valid_Key']) {
    const answer = await single(key, { context: { targetingKey: 'u' } });
    t.equal(answer.status, 404, key);
    t.match(answer.body, { key, errorCode: 'FLAG_NOT_FOUND', errorDetails: String });
  }
});

t.test('single flag: TARGETING_KEY_MISSING only where the key matters', async (t) => {
  const missing = await single('partial', { context: { email: 'a@b.c' } });
  t.equal(missing.status, 400);
  t.match(missing.body, { key: 'partial', errorCode: 'TARGETING_KEY_MISSING', errorDetails: /30%/ });
  t.equal((await single('partial', { context: { targetingKey: '' } })).body.errorCode, 'TARGETING_KEY_MISSING', 'an empty key is no key');
  t.match((await single('always_on', { context: {} })).body, { value: true, reason: 'STATIC' }, 'not needed at rollout 100');
  t.match((await single('always_off', {})).body, { value: false, reason: 'DISABLED' }, 'nor for a disabled flag, nor without context');
  const noBody = await request('POST', '/ofrep/v1/evaluate/flags/always_on', { token: prod.secret });
  t.match(noBody.body, { value: true }, 'an empty body is an empty context');
});

t.test('INVALID_CONTEXT and PARSE_ERROR are 400s in the OFREP failure shape', async (t) => {
  const cases: Array<[unknown, string]> = [
    [{ context: 'user-1' }, 'INVALID_CONTEXT'],
    [{ context: { targetingKey: 42 } }, 'INVALID_CONTEXT'],
    [{ context: ['user-1'] }, 'INVALID_CONTEXT'],
    [['user-1'], 'PARSE_ERROR'],
  ];
  for (const [body, errorCode] of cases) {
    const one = await single('partial', body);
    t.equal(one.status, 400, JSON.stringify(body));
    t.match(one.body, { key: 'partial', errorCode, errorDetails: String });
    const all = await bulk(body);
    t.equal(all.status, 400, `bulk ${JSON.stringify(body)}`);
    t.match(all.body, { errorCode, errorDetails: String });
    t.notOk('key' in all.body, 'a bulk failure names no flag');
  }
  t.match((await single('partial', { context: { targetingKey: 42 } })).body.errorDetails, /context\.targetingKey/);

  const malformed = { rawBody: '{"context": {', headers: { 'content-type': 'application/json' }, token: prod.secret };
  const one = await request('POST', '/ofrep/v1/evaluate/flags/partial', malformed);
  t.equal(one.status, 400);
  t.same(one.body, { key: 'partial', errorCode: 'PARSE_ERROR', errorDetails: 'the request body is not valid JSON' });
  const all = await request('POST', '/ofrep/v1/evaluate/flags', malformed);
  t.equal(all.status, 400);
  t.same(all.body, { errorCode: 'PARSE_ERROR', errorDetails: 'the request body is not valid JSON' });
});

t.test('auth: no or unknown token 401, admin 403, revoked 401, each with errorDetails', async (t) => {
  const body = { context: { targetingKey: 'u' } };
  for (const path of ['/ofrep/v1/evaluate/flags/always_on', '/ofrep/v1/evaluate/flags']) {
    const anonymous = await request('POST', path, { body });
    t.equal(anonymous.status, 401, path);
    t.match(anonymous.body, { errorDetails: String });
    t.equal((await request('POST', path, { body, token: 'fs_sdk_unknown' })).status, 401);
    const asAdmin = await request('POST', path, { body, token: admin });
    t.equal(asAdmin.status, 403);
    t.match(asAdmin.body, { errorDetails: /sdk token/ });
  }
  const doomed = await createSdkToken(request, admin, 'prod');
  t.equal((await single('always_on', body, doomed.secret)).status, 200);
  await request('DELETE', `/v1/tokens/${doomed.id}`, { token: admin });
  t.equal((await single('always_on', body, doomed.secret)).status, 401);
});

t.test("an sdk token evaluates its own environment only", async (t) => {
  t.match((await single('partial', { context: {} }, dev.secret)).body, { value: true, reason: 'STATIC', metadata: { environment: 'dev' } });
  t.match((await single('always_on', { context: {} }, dev.secret)).body, { value: false, reason: 'DISABLED' });
});

t.test('bulk: every live flag, failures inline, an ETag, and the event stream', async (t) => {
  const answer = await bulk({ context: { targetingKey: 'user-7' } });
  t.equal(answer.status, 200);
  t.same(answer.body.flags.map((flag: { key: string }) => flag.key), ['always_off', 'always_on', 'partial'], 'archived flags are gone');
  t.match(answer.body.flags[1], { key: 'always_on', value: true, reason: 'STATIC', variant: 'on' });
  t.match(answer.headers.get('etag'), /^"[A-Za-z0-9_-]+"$/);
  t.equal(answer.body.eventStreams.length, 1);
  t.match(answer.body.eventStreams[0], { type: 'sse', url: /^http:\/\/127\.0\.0\.1:\d+\/ofrep\/v1\/event-stream\?ticket=/ });
  t.notMatch(answer.body.eventStreams[0].url, prod.secret, 'the stream URL does not carry the secret');

  const noKey = await bulk({ context: {} });
  const partial = noKey.body.flags.find((flag: { key: string }) => flag.key === 'partial');
  t.match(partial, { key: 'partial', errorCode: 'TARGETING_KEY_MISSING', errorDetails: String });
  t.notOk('value' in partial);
  t.match(noKey.body.flags.find((flag: { key: string }) => flag.key === 'always_on'), { value: true });
});

t.test('bulk: If-None-Match with the current ETag is a 304; another context or a change is not', async (t) => {
  const first = await bulk({ context: { targetingKey: 'user-7' } });
  const etag = first.headers.get('etag')!;
  const again = await bulk({ context: { targetingKey: 'user-7', plan: 'pro' } }, { headers: { 'if-none-match': etag } });
  t.equal(again.status, 304, 'attributes FlagShip does not use do not change the answer');
  t.equal(again.text, '');
  t.equal(again.headers.get('etag'), etag);
  t.equal((await bulk({ context: { targetingKey: 'user-7' } }, { headers: { 'if-none-match': `W/${etag}` } })).status, 304, 'weak form');
  t.equal(
    (await bulk({ context: { targetingKey: 'user-7' } }, { headers: { 'if-none-match': etag }, query: '?flagConfigEtag=%2212%22&flagConfigLastModified=1771622898' })).status,
    304,
    'ADR-0008 re-fetch metadata is accepted',
  );

  // Find a user whose answers differ from user-7's: their ETag must differ too.
  const otherUser = ['user-8', 'user-9', 'user-10', 'user-11', 'user-12'].find(
    (key) => (bucket('partial', key) <= 30) !== (bucket('partial', 'user-7') <= 30),
  )!;
  const other = await bulk({ context: { targetingKey: otherUser } }, { headers: { 'if-none-match': etag } });
  t.equal(other.status, 200, 'another user is not "not modified"');
  t.not(other.headers.get('etag'), etag);
  t.equal((await bulk({ context: { targetingKey: 'user-7' } }, { secret: dev.secret, headers: { 'if-none-match': etag } })).status, 200, 'another environment neither');

  await changeState(request, admin, 'always_off', 'prod', { enabled: true });
  const changed = await eventually(
    () => bulk({ context: { targetingKey: 'user-7' } }, { headers: { 'if-none-match': etag } }),
    (answer) => answer.status === 200,
  );
  t.match(changed.body.flags.find((flag: { key: string }) => flag.key === 'always_off'), { value: true, reason: 'STATIC' });
  t.not(changed.headers.get('etag'), etag);
});

t.test('the OpenAPI document lists the OFREP endpoints', async (t) => {
  const openApi = await request('GET', '/openapi.json');
  for (const path of ['/ofrep/v1/evaluate/flags/{key}', '/ofrep/v1/evaluate/flags', '/ofrep/v1/event-stream', '/v1/client/evaluate']) {
    t.ok(openApi.body.paths[path], path);
  }
  t.ok(openApi.body.paths['/ofrep/v1/evaluate/flags'].post.responses['304']);
});

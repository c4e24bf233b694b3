import t from 'tap';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { createFrontendToken, createSdkToken } from '../helpers/tokens.js';
import { dumpDatabase } from '../api/support/database-dump.js';

// A lone UTF-16 surrogate ("\ud800") was a 500 on the routes storing jsonb (PostgreSQL
// refuses it there) and silently became U+FFFD in text columns: now every route refuses
// it with a 400 naming the field, before anything is stored.
const env = await createTestEnvironment(t, 'lone-surrogates');
const { request } = await startTestApi(t, env);
const admin = env.adminSecret;
const sdk = await createSdkToken(request, admin, 'prod');
const frontend = await createFrontendToken(request, admin, 'prod');

const seeded = await request('POST', '/v1/flags', { token: admin, body: { key: 'existing', environments: { prod: { rollout: 40 } } } });
if (seeded.status !== 201) throw new Error(`could not seed a flag: ${seeded.text}`);
const segment = await request('POST', '/v1/segments', { token: admin, body: { name: 'seeded', constraints: [] } });
if (segment.status !== 201) throw new Error(`could not seed a segment: ${segment.text}`);

const LONE = '\ud800';
const constraint = (value: string) => ({ contextName: 'email', operator: 'STR_ENDS_WITH', values: [value] });
// JSON.stringify writes a lone surrogate as the escape `\ud800`, as an attacker's client would send it.
const json = { 'content-type': 'application/json' };

const cases: { label: string; method: string; path: string; body: unknown; token?: string; names: RegExp }[] = [
  { label: 'flag description', method: 'POST', path: '/v1/flags', body: { key: 'new_one', description: `a${LONE}b` }, names: /body\.description/ },
  { label: 'flag description (PATCH)', method: 'PATCH', path: '/v1/flags/existing', body: { description: LONE }, names: /body\.description/ },
  {
    label: 'a constraint value in a state (jsonb)',
    method: 'PUT',
    path: '/v1/flags/existing/environments/prod',
    body: { enabled: true, strategies: [{ name: 'default', constraints: [constraint(`@acme${LONE}.com`)] }] },
    names: /body\.strategies\.0\.constraints\.0\.values\.0/,
  },
  {
    label: 'a variant payload in a state (jsonb)',
    method: 'PUT',
    path: '/v1/flags/existing/environments/prod',
    body: { enabled: true, strategies: [{ name: 'default' }], variants: [{ name: 'v', weight: 1000, payload: { type: 'string', value: LONE } }] },
    names: /body\.variants\.0\.payload\.value/,
  },
  { label: 'a segment name', method: 'POST', path: '/v1/segments', body: { name: `seg${LONE}`, constraints: [] }, names: /body\.name/ },
  { label: 'a segment constraint (jsonb)', method: 'PATCH', path: `/v1/segments/${segment.body.id}`, body: { constraints: [constraint(LONE)] }, names: /body\.constraints\.0\.values\.0/ },
  {
    label: 'an import',
    method: 'POST',
    path: '/v1/import/unleash?environment=prod',
    body: { features: [{ name: 'imported', enabled: true, strategies: [{ name: 'default', constraints: [constraint(LONE)] }] }] },
    names: /body\.features\.0\.strategies\.0\.constraints\.0\.values\.0/,
  },
  { label: 'a token name', method: 'POST', path: '/v1/tokens', body: { name: `ci${LONE}`, kind: 'admin' }, names: /body\.name/ },
  { label: 'a webhook description', method: 'POST', path: '/v1/webhooks', body: { url: 'https://example.com/hook', description: LONE }, names: /body\.description/ },
  { label: 'a context field name', method: 'POST', path: '/v1/client/evaluate', token: sdk.secret, body: { context: { [`plan${LONE}`]: 'pro' } }, names: /body\.context\.plan/ },
  { label: 'an Unleash frontend context', method: 'POST', path: '/api/frontend', token: frontend.secret, body: { context: { userId: LONE } }, names: /context\.userId/ },
];

const before = await dumpDatabase(env.pool);

for (const { label, method, path, body, token, names } of cases) {
  t.test(`${label}: a 400 naming the field`, async (t) => {
    const rawBody = JSON.stringify(body);
    t.match(rawBody, /\\ud800/, 'the body carries the escaped lone surrogate');
    const response = await request(method, path, { token: token ?? admin, rawBody, headers: json });
    t.equal(response.status, 400, response.text);
    t.match(response.text, names, 'the message names the field');
    t.match(response.text, /surrogate/, 'and says what is wrong');
  });
}

t.test('nothing was stored', async (t) => {
  t.same(await dumpDatabase(env.pool), before);
});

t.test('a surrogate pair (an emoji) is text, and kept', async (t) => {
  const response = await request('PATCH', '/v1/flags/existing', { token: admin, body: { description: 'ship it \u{1F680}' } });
  t.equal(response.status, 200, response.text);
  t.equal(response.body.description, 'ship it \u{1F680}');
});

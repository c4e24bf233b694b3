import t from 'tap';
import { compileRegex } from '../../packages/evaluation/constraints.js';
import {
  definitionsOf,
  evaluate,
  MAX_CONTEXT_VALUE_LENGTH,
  MAX_REGEX_PROGRAM_SIZE,
  type Constraint,
} from '../../packages/evaluation/index.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { createFrontendToken, createSdkToken } from '../helpers/tokens.js';
import { configureStates, createFlags } from '../evaluation/fixtures.js';
import { dumpDatabase } from '../api/support/database-dump.js';

/*
 * A REGEX match costs re2js time proportional to the program's size times the input's
 * length. The attack: `[a-z0-9]{1,1000}$` (17 characters, a 2,002-instruction program)
 * and a 60 KB context value from a public (frontend) token blocked the event loop for
 * seconds. Both factors are now bounded, and this test proves it by the bounds
 * themselves, never by a clock: the pattern is refused, the largest program allowed
 * is at most MAX_REGEX_PROGRAM_SIZE, and no route lets a longer value reach it.
 */
const ATTACK = '[a-z0-9]{1,1000}$';
// The largest program of the same shape the limit allows: each repeat costs two instructions.
const ALLOWED_WORST = `[a-z0-9]{1,${(MAX_REGEX_PROGRAM_SIZE - 2) / 2}}$`;

const programSize = (pattern: string) => {
  const compiled = compileRegex(pattern, false);
  if (compiled.ok) return compiled.regex.programSize();
  throw new Error(`${pattern}: ${compiled.message}`);
};

t.test('the bound itself: the attack pattern is over the program limit, the allowed worst case within it', async (t) => {
  const attack = compileRegex(ATTACK, false);
  t.equal(attack.ok, false);
  t.match(attack, { tooLarge: true, message: /2002 instructions, over the limit of 200/ });
  t.equal(compileRegex(ATTACK, true).ok, false, 'case-insensitive too');
  t.equal(programSize(ALLOWED_WORST), MAX_REGEX_PROGRAM_SIZE, 'the allowed worst case sits at the limit');
  t.ok(programSize('(?i)^[\\w.+-]+@(acme|example)\\.(com|org)$') < 50, 'a realistic pattern is far below it');
  // What one match may cost, in re2js steps: the product the two limits bound.
  t.ok(MAX_REGEX_PROGRAM_SIZE * MAX_CONTEXT_VALUE_LENGTH <= 200_000);
});

t.test('evaluation holds to the bounds for definitions no API checked (stored before, or an SDK)', async (t) => {
  const regexFlag = (constraint: Partial<Constraint>) =>
    definitionsOf([{ key: 'f', enabled: true, strategies: [{ name: 'default', constraints: [{ contextName: 'input', operator: 'REGEX', ...constraint } as Constraint] }] }]);
  const attack = regexFlag({ value: ATTACK });
  t.equal(evaluate(attack, 'f', { input: 'a'.repeat(10) }).enabled, false, 'a program over the limit never matches');
  t.equal(evaluate(regexFlag({ value: ATTACK, inverted: true }), 'f', { input: 'a' }).enabled, true, 'inverted, it always holds');
  const worst = regexFlag({ value: ALLOWED_WORST });
  t.equal(evaluate(worst, 'f', { input: 'a'.repeat(MAX_CONTEXT_VALUE_LENGTH) }).enabled, true, 'the allowed worst case on the longest value allowed');
  t.equal(evaluate(worst, 'f', { input: 'a'.repeat(MAX_CONTEXT_VALUE_LENGTH + 1) }).enabled, false, 'a longer value never matches');
});

const env = await createTestEnvironment(t, 'regex-cost');
const { request } = await startTestApi(t, env);
const admin = env.adminSecret;
const sdk = await createSdkToken(request, admin, 'prod');
const frontend = await createFrontendToken(request, admin, 'prod');
await createFlags(request, admin, { guarded: { prod: { enabled: true, rollout: 100 } } });

const regexState = (pattern: string, caseInsensitive = false) => ({
  enabled: true,
  strategies: [{ name: 'default', constraints: [{ contextName: 'input', operator: 'REGEX', value: pattern, caseInsensitive }] }],
});

t.test('writes and imports refuse the attack pattern with a 400 naming the field, storing nothing', async (t) => {
  const before = await dumpDatabase(env.pool);
  const writes = [
    { path: '/v1/flags/guarded/environments/prod', method: 'PUT', body: regexState(ATTACK), names: /body\.strategies\.0\.constraints\.0\.value/ },
    { path: '/v1/flags/guarded/environments/prod', method: 'PUT', body: regexState('[a-z]{1,500}', true), names: /body\.strategies\.0\.constraints\.0\.value/ },
    { path: '/v1/segments', method: 'POST', body: { name: 'costly', constraints: regexState(ATTACK).strategies[0]!.constraints }, names: /body\.constraints\.0\.value/ },
    {
      path: '/v1/import/unleash?environment=prod',
      method: 'POST',
      body: { features: [{ name: 'imported', ...regexState(ATTACK) }] },
      names: /body\.features\.0\.strategies\.0\.constraints\.0\.value/,
    },
    {
      path: '/v1/import/unleash?environment=prod',
      method: 'POST',
      body: { features: [], segments: [{ id: 7, constraints: regexState(ATTACK).strategies[0]!.constraints }] },
      names: /body\.segments\.0\.constraints\.0\.value/,
    },
  ];
  for (const { path, method, body, names } of writes) {
    const response = await request(method, path, { token: admin, body });
    t.equal(response.status, 400, `${method} ${path}: ${response.text}`);
    t.match(response.text, names);
    t.match(response.text, /instructions, over the limit of 200/);
  }
  t.same(await dumpDatabase(env.pool), before);
});

t.test('the allowed worst case is accepted and evaluates on a value of the longest length', async (t) => {
  const written = await request('PUT', '/v1/flags/guarded/environments/prod', { token: admin, body: regexState(ALLOWED_WORST) });
  t.equal(written.status, 200, written.text);
  const context = { targetingKey: 'u1', input: 'a'.repeat(MAX_CONTEXT_VALUE_LENGTH) };
  const evaluated = await request('POST', '/v1/client/evaluate', { token: sdk.secret, body: { context } });
  t.equal(evaluated.status, 200, evaluated.text);
  t.match(evaluated.body.flags, [{ key: 'guarded', enabled: true }]);
  const ofrep = await request('POST', '/ofrep/v1/evaluate/flags/guarded', { token: frontend.secret, body: { context } });
  t.match(ofrep.body, { key: 'guarded', value: true });
});

t.test('a pattern stored before the limit never matches', async (t) => {
  await configureStates(env.pool, 'prod', { guarded: { ...regexState(ATTACK), variants: [], dependencies: [] } });
  const evaluated = await request('POST', '/v1/client/evaluate', { token: sdk.secret, body: { context: { targetingKey: 'u1', input: 'abc' } } });
  t.equal(evaluated.status, 200, evaluated.text);
  t.match(evaluated.body.flags, [{ key: 'guarded', enabled: false }]);
});

// Every route that evaluates a context caps its values, with one limit (Unleash's frontend API had it alone).
const long = 'x'.repeat(MAX_CONTEXT_VALUE_LENGTH + 1);
const tooLong = new RegExp(`at most ${MAX_CONTEXT_VALUE_LENGTH} characters`);
const capped = [
  { label: 'client evaluate, an attribute', path: '/v1/client/evaluate', token: sdk.secret, body: { context: { targetingKey: 'u', input: long } }, names: /context\.input/ },
  { label: 'client evaluate, the key', path: '/v1/client/evaluate', token: sdk.secret, body: { context: { targetingKey: long } }, names: /context\.targetingKey/ },
  { label: 'client evaluate, a property', path: '/v1/client/evaluate', token: sdk.secret, body: { context: { properties: { input: long } } }, names: /context\.properties\.input/ },
  { label: 'OFREP single, an attribute', path: '/ofrep/v1/evaluate/flags/guarded', token: frontend.secret, body: { context: { input: long } }, names: /context\.input/ },
  { label: 'OFREP single, inside a list', path: '/ofrep/v1/evaluate/flags/guarded', token: frontend.secret, body: { context: { input: ['a', long] } }, names: /context\.input\.1/ },
  { label: 'OFREP bulk, the key', path: '/ofrep/v1/evaluate/flags', token: frontend.secret, body: { context: { targetingKey: long } }, names: /context\.targetingKey/ },
  { label: 'OFREP bulk, nested', path: '/ofrep/v1/evaluate/flags', token: sdk.secret, body: { context: { user: { input: long } } }, names: /context\.user\.input/ },
  { label: 'Unleash frontend POST, a top-level field', path: '/api/frontend', token: frontend.secret, body: { context: { input: long } }, names: /context\.input/ },
];

for (const { label, path, token, body, names } of capped) {
  t.test(`${label}: a value over ${MAX_CONTEXT_VALUE_LENGTH} characters is a 400 naming it`, async (t) => {
    const response = await request('POST', path, { token, body });
    t.equal(response.status, 400, response.text);
    t.match(response.text, names);
    t.match(response.text, tooLong);
  });
}

t.test('Unleash frontend GET: the same cap', async (t) => {
  const response = await request('GET', `/api/frontend?input=${long}`, { token: frontend.secret });
  t.equal(response.status, 400, response.text);
  t.match(response.text, tooLong);
});

t.test('a value of exactly the limit is accepted on every route', async (t) => {
  const value = 'y'.repeat(MAX_CONTEXT_VALUE_LENGTH);
  for (const { path, token } of capped) {
    const response = await request('POST', path, { token, body: { context: { targetingKey: value, input: value } } });
    t.equal(response.status, 200, `${path}: ${response.text.slice(0, 200)}`);
  }
});

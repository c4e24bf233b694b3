import t from 'tap';
import { definitionsOf, evaluate } from '../../packages/evaluation/index.js';
import type { FlagState } from '../../shared/schemas/flags.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { changeState, createFlags, createSdkToken, eventually } from './fixtures.js';

const env = await createTestEnvironment(t, 'client-evaluate');
const { request } = await startTestApi(t, env);
const admin = env.adminSecret;

await createFlags(request, admin, {
  always_on: { prod: { enabled: true, rollout: 100 } },
  always_off: { prod: { enabled: false, rollout: 100 } },
  partial: { prod: { enabled: true, rollout: 30 }, dev: { enabled: true, rollout: 100 } },
  nobody: { prod: { enabled: true, rollout: 0 } },
});
const prod = await createSdkToken(request, admin, 'prod');
const dev = await createSdkToken(request, admin, 'dev');

const evaluateFor = (secret: string, context: Record<string, unknown>) =>
  request('POST', '/v1/client/evaluate', { token: secret, body: { context } });

t.test('every flag of the environment, with value, variant and reason', async (t) => {
  const answer = await evaluateFor(prod.secret, { key: 'user-42', country: 'FR' });
  t.equal(answer.status, 200);
  t.equal(answer.body.environment, 'prod');
  t.type(answer.body.version, 'number');
  t.same(
    answer.body.flags.map((flag: { key: string }) => flag.key),
    ['always_off', 'always_on', 'nobody', 'partial'],
  );
  const byKey = Object.fromEntries(answer.body.flags.map((flag: { key: string }) => [flag.key, flag]));
  const noVariant = (featureEnabled: boolean) => ({ name: 'disabled', enabled: false, featureEnabled });
  t.same(byKey.always_on, { key: 'always_on', enabled: true, variant: noVariant(true), value: true, reason: 'STATIC' });
  t.same(byKey.always_off, { key: 'always_off', enabled: false, variant: noVariant(false), value: false, reason: 'DISABLED' });
  t.same(byKey.nobody, { key: 'nobody', enabled: false, variant: noVariant(false), value: false, reason: 'STATIC' });
  t.match(byKey.partial, { key: 'partial', reason: 'SPLIT' });
  t.notOk('bucket' in byKey.partial, 'the bucket stays internal');
});

t.test('the answers are what the shared evaluate() gives for the same states', async (t) => {
  const states = await request('GET', '/v1/flags?limit=200', { token: admin });
  const prodStates: FlagState[] = states.body.flags.map((flag: { environments: Record<string, FlagState> }) => flag.environments.prod);
  const definitions = definitionsOf(prodStates);
  for (let i = 0; i < 50; i += 1) {
    const key = i % 5 === 0 ? `ユーザー-${i}` : `user-${i}`;
    const answer = await evaluateFor(prod.secret, { key });
    for (const flag of answer.body.flags) {
      const { bucket: _bucket, ...expected } = evaluate(definitions, flag.key, { key });
      t.same(flag, { key: flag.key, ...expected }, `${flag.key} for ${key}`);
    }
  }
});

t.test('without a key, a partial rollout is off with TARGETING_KEY_MISSING; the others still answer', async (t) => {
  const answer = await evaluateFor(prod.secret, {});
  t.equal(answer.status, 200);
  const byKey = Object.fromEntries(answer.body.flags.map((flag: { key: string }) => [flag.key, flag]));
  t.match(byKey.partial, { enabled: false, value: false, variant: { name: 'disabled' }, reason: 'ERROR', errorCode: 'TARGETING_KEY_MISSING', errorMessage: /context key/ });
  t.match(byKey.always_on, { value: true, reason: 'STATIC' });
});

t.test("an sdk token sees only its own environment", async (t) => {
  const answer = await evaluateFor(dev.secret, { key: 'user-42' });
  t.equal(answer.body.environment, 'dev');
  const byKey = Object.fromEntries(answer.body.flags.map((flag: { key: string }) => [flag.key, flag]));
  t.match(byKey.partial, { value: true, reason: 'STATIC' }, "dev's state, not prod's");
  t.match(byKey.always_on, { value: false, reason: 'DISABLED' }, 'created without a dev state: the default (disabled)');
});

t.test('tokens: none or unknown → 401, admin → 403, revoked → 401', async (t) => {
  const body = { context: { key: 'u' } };
  t.equal((await request('POST', '/v1/client/evaluate', { body })).status, 401);
  t.equal((await request('POST', '/v1/client/evaluate', { token: 'fs_sdk_nope', body })).status, 401);
  const asAdmin = await request('POST', '/v1/client/evaluate', { token: admin, body });
  t.equal(asAdmin.status, 403);
  t.equal(asAdmin.body.error.code, 'forbidden');
  const doomed = await createSdkToken(request, admin, 'prod');
  t.equal((await request('POST', '/v1/client/evaluate', { token: doomed.secret, body })).status, 200);
  t.equal((await request('DELETE', `/v1/tokens/${doomed.id}`, { token: admin })).status, 200);
  t.equal((await request('POST', '/v1/client/evaluate', { token: doomed.secret, body })).status, 401);
});

t.test('bad input is a 400 naming the field', async (t) => {
  const cases: Array<[unknown, RegExp]> = [
    [{}, /body\.context/],
    [{ context: 'user-1' }, /body\.context/],
    [{ context: { key: 42 } }, /body\.context\.key: must be a string/],
    [{ context: { key: '' } }, /body\.context\.key: must not be empty/],
    [{ context: { key: 'u' }, extra: true }, /extra/],
  ];
  for (const [body, message] of cases) {
    const answer = await request('POST', '/v1/client/evaluate', { token: prod.secret, body });
    t.equal(answer.status, 400, JSON.stringify(body));
    t.equal(answer.body.error.code, 'invalid_request');
    t.match(answer.body.error.message, message);
  }
  const malformed = await request('POST', '/v1/client/evaluate', {
    token: prod.secret,
    rawBody: '{"context": ',
    headers: { 'content-type': 'application/json' },
  });
  t.equal(malformed.status, 400);
  t.equal(malformed.body.error.code, 'invalid_json');
});

t.test('after a REST change, evaluation reflects it', async (t) => {
  const before = await evaluateFor(prod.secret, { key: 'user-42' });
  const { version } = await changeState(request, admin, 'always_on', 'prod', { enabled: false });
  const after = await eventually(
    () => evaluateFor(prod.secret, { key: 'user-42' }),
    (answer) => answer.body.version >= version,
  );
  t.ok(after.body.version > before.body.version);
  t.match(after.body.flags.find((flag: { key: string }) => flag.key === 'always_on'), { value: false, reason: 'DISABLED' });
});

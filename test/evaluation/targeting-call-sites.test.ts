import t from 'tap';
import { definitionsOf, evaluate, type FlagDefinition } from '../../packages/evaluation/index.js';
import { FlagShipClient } from '../../packages/sdk/index.js';
import type { FlagState } from '../../shared/schemas/flags.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { startTestNotifier } from '../helpers/notifier.js';
import { configureStates, createFlags, createSdkToken, eventually } from './fixtures.js';

/*
 * Targeting through every call site: /v1/client/evaluate, OFREP single and bulk, and the
 * SDK fed by a real notifier give the same answers as the shared evaluate() for states with
 * constraints and variants (string, number and json payloads).
 */

const env = await createTestEnvironment(t, 'targeting-call-sites');
const { request } = await startTestApi(t, env);
const notifier = await startTestNotifier(t, env);
const admin = env.adminSecret;

await createFlags(request, admin, {
  acme_banner: { prod: { enabled: true, rollout: 100 } },
  price: { prod: { enabled: true, rollout: 100 } },
  theme: { prod: { enabled: true, rollout: 100 } },
  plain: { prod: { enabled: true, rollout: 40 } },
});

const configs: Record<string, Omit<FlagDefinition, 'key'>> = {
  acme_banner: {
    enabled: true,
    strategies: [
      {
        name: 'flexibleRollout',
        parameters: { rollout: '100', stickiness: 'default', groupId: 'acme_banner' },
        constraints: [{ contextName: 'email', operator: 'STR_ENDS_WITH', values: ['@acme.com'], caseInsensitive: true }],
        variants: [{ name: 'acme', weight: 1000, payload: { type: 'string', value: 'Welcome, Acme!' } }],
      },
    ],
    variants: [],
    dependencies: [],
  },
  price: {
    enabled: true,
    strategies: [{ name: 'default' }],
    variants: [
      { name: 'low', weight: 500, payload: { type: 'number', value: '9.5' } },
      { name: 'high', weight: 500, payload: { type: 'number', value: '12' }, overrides: [{ contextName: 'userId', values: ['vip'] }] },
    ],
    dependencies: [],
  },
  theme: {
    enabled: true,
    strategies: [{ name: 'default', constraints: [{ contextName: 'plan', operator: 'IN', values: ['pro'] }] }],
    variants: [{ name: 'dark', weight: 1000, payload: { type: 'json', value: '{"background":"#000","accent":[1,2]}' } }],
    dependencies: [{ feature: 'acme_banner', enabled: false }],
  },
};
await configureStates(env.pool, 'prod', configs);

const token = await createSdkToken(request, admin, 'prod');
const listed = await request('GET', '/v1/flags?limit=200', { token: admin });
const states: FlagState[] = listed.body.flags.map((flag: { environments: Record<string, FlagState> }) => flag.environments.prod);
const definitions = definitionsOf(states);
const environmentVersion = Math.max(...states.map((state) => state.version));

const sdk = new FlagShipClient({ url: notifier.url, token: token.secret, environment: 'prod' });
t.teardown(() => sdk.close());
await sdk.ready();
await eventually(async () => sdk.version ?? -1, (version) => version >= environmentVersion);

const contexts = [
  { targetingKey: 'ada', email: 'ada@ACME.com', plan: 'pro' },
  { targetingKey: 'bob', email: 'bob@example.com', plan: 'pro' },
  { targetingKey: 'vip', plan: 'free' },
  ...Array.from({ length: 20 }, (_, i) => ({ targetingKey: `user-${i}`, plan: i % 2 ? 'pro' : 'free' })),
];

const clientEvaluate = async (context: Record<string, unknown>) => {
  const answer = await request('POST', '/v1/client/evaluate', { token: token.secret, body: { context } });
  if (answer.status !== 200) throw new Error(`/v1/client/evaluate: ${answer.status} ${answer.text}`);
  return Object.fromEntries(answer.body.flags.map((flag: { key: string }) => [flag.key, flag]));
};

t.test('/v1/client/evaluate: enabled, variant as getVariant, typed value, reason', async (t) => {
  const ada = await clientEvaluate(contexts[0]!);
  t.same(ada.acme_banner, {
    key: 'acme_banner',
    enabled: true,
    variant: { name: 'acme', enabled: true, payload: { type: 'string', value: 'Welcome, Acme!' }, featureEnabled: true },
    value: 'Welcome, Acme!',
    reason: 'TARGETING_MATCH',
  });
  t.match(ada.theme, { enabled: false, value: false, variant: { name: 'disabled', featureEnabled: false } }, 'its parent is on for ada');
  const bob = await clientEvaluate(contexts[1]!);
  t.match(bob.acme_banner, { enabled: false, value: false, reason: 'DEFAULT', variant: { name: 'disabled', enabled: false } });
  t.match(bob.theme, { enabled: true, value: { background: '#000', accent: [1, 2] }, variant: { name: 'dark' } });
  const vip = await clientEvaluate(contexts[2]!);
  t.match(vip.price, { enabled: true, value: 12, variant: { name: 'high' }, reason: 'TARGETING_MATCH' });
  t.match(vip.plain, { enabled: (await clientEvaluate({ key: 'vip' })).plain.enabled });

  for (const context of contexts) {
    const answers = await clientEvaluate(context);
    for (const state of states) {
      const { bucket: _bucket, ...expected } = evaluate(definitions, state.key, context);
      t.same(answers[state.key], { key: state.key, ...expected }, `${state.key} ${context.targetingKey}`);
    }
  }
});

t.test('OFREP single and bulk: the typed value, the variant name, the reason, metadata', async (t) => {
  const single = await request('POST', '/ofrep/v1/evaluate/flags/acme_banner', { token: token.secret, body: { context: contexts[0] } });
  t.equal(single.status, 200);
  t.match(single.body, { key: 'acme_banner', value: 'Welcome, Acme!', variant: 'acme', reason: 'TARGETING_MATCH', metadata: { enabled: true, environment: 'prod', payloadType: 'string' } });
  t.notOk('rollout' in single.body.metadata, 'no simple rollout to report');
  const off = await request('POST', '/ofrep/v1/evaluate/flags/acme_banner', { token: token.secret, body: { context: contexts[1] } });
  t.match(off.body, { value: false, variant: 'off', reason: 'DEFAULT', metadata: { enabled: false } });

  for (const context of contexts) {
    const bulk = await request('POST', '/ofrep/v1/evaluate/flags', { token: token.secret, body: { context } });
    t.equal(bulk.status, 200);
    for (const state of states) {
      const expected = evaluate(definitions, state.key, context);
      const answer = bulk.body.flags.find((flag: { key: string }) => flag.key === state.key);
      t.same(
        { value: answer.value, variant: answer.variant, reason: answer.reason },
        { value: expected.value, variant: expected.variant.enabled ? expected.variant.name : expected.enabled ? 'on' : 'off', reason: expected.reason },
        `${state.key} ${context.targetingKey}`,
      );
    }
  }
});

t.test('the SDK: isEnabled, getVariant and typed getters, all local, as the API answers', async (t) => {
  t.equal(sdk.getStringValue('acme_banner', 'none', contexts[0]), 'Welcome, Acme!');
  t.equal(sdk.getStringValue('acme_banner', 'none', contexts[1]), 'none', 'off: the fallback');
  t.equal(sdk.getNumberValue('price', -1, { targetingKey: 'vip' }), 12);
  t.equal(sdk.getNumberValue('acme_banner', -1, contexts[0]), -1, 'a string payload is not a number');
  t.same(sdk.getJsonValue('theme', {}, contexts[1]), { background: '#000', accent: [1, 2] });
  t.equal(sdk.getBooleanValue('no_such_flag', true, {}), true, 'unknown: the fallback');
  t.equal(sdk.getBooleanValue('acme_banner', true, contexts[1]), false);
  for (const context of contexts) {
    const answers = await clientEvaluate(context);
    for (const state of states) {
      t.equal(sdk.isEnabled(state.key, context), answers[state.key].enabled, `isEnabled ${state.key} ${context.targetingKey}`);
      t.same(sdk.getVariant(state.key, context), answers[state.key].variant, `getVariant ${state.key} ${context.targetingKey}`);
    }
  }
});

t.test('the context schema takes Unleash fields and refuses bad ones naming the field', async (t) => {
  const ok = await request('POST', '/v1/client/evaluate', {
    token: token.secret,
    body: { context: { userId: 'ada', sessionId: 's', remoteAddress: '10.0.0.1', currentTime: '2030-01-01T00:00:00Z', properties: { email: 'ada@acme.com' } } },
  });
  t.equal(ok.status, 200);
  t.match(ok.body.flags.find((flag: { key: string }) => flag.key === 'acme_banner'), { enabled: true }, 'properties are read');
  for (const [context, field] of [
    [{ currentTime: 'someday' }, /body\.context\.currentTime/],
    [{ properties: 'x' }, /body\.context\.properties/],
    [{ properties: { nested: { a: 1 } } }, /body\.context\.properties\.nested/],
    [{ userId: 42 }, /body\.context\.userId: must be a string/],
  ] as const) {
    const bad = await request('POST', '/v1/client/evaluate', { token: token.secret, body: { context } });
    t.equal(bad.status, 400, JSON.stringify(context));
    t.match(bad.body.error.message, field);
  }
});

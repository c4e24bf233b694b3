import t from 'tap';
import { definitionsOf, evaluate, type FlagDefinition } from '../../packages/evaluation/index.js';
import type { Snapshot } from '../../shared/schemas/snapshots.js';
import { ofrepStateAnswer } from '../../services/api/client/flag-answers.js';
import { indexSnapshot } from '../../services/api/client/flag-index.js';
import { frontendToggle } from '../../services/api/unleash/frontend-answers.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { configureStates, createFlags, createSdkToken } from '../evaluation/fixtures.js';
import { createFrontendToken } from '../helpers/tokens.js';

/*
 * The evaluating routes serialise each distinct answer once per snapshot and
 * join the pieces (services/api/snapshots/snapshot-answers.ts). Their bodies must be,
 * byte for byte, what JSON.stringify of freshly evaluated answers gives, for
 * every context: across cache hits, buckets (OFREP's metadata), variants with
 * payloads, a payload that does not parse, a missing key, constraints.
 */

const env = await createTestEnvironment(t, 'answer-json');
const { request } = await startTestApi(t, env);
const admin = env.adminSecret;

await createFlags(request, admin, {
  on: { prod: { enabled: true, rollout: 100 } },
  off: { prod: { enabled: false, rollout: 100 } },
  third: { prod: { enabled: true, rollout: 33 } },
  half: { prod: { enabled: true, rollout: 50 } },
  price: { prod: { enabled: true, rollout: 100 } },
  theme: { prod: { enabled: true, rollout: 100 } },
  broken: { prod: { enabled: true, rollout: 100 } },
  pro_only: { prod: { enabled: true, rollout: 100 } },
});

const configs: Record<string, Omit<FlagDefinition, 'key'>> = {
  price: {
    enabled: true,
    strategies: [{ name: 'flexibleRollout', parameters: { rollout: '80', stickiness: 'default', groupId: 'price' } }],
    variants: [
      { name: 'low', weight: 500, payload: { type: 'number', value: '9.5' } },
      { name: 'high', weight: 500, payload: { type: 'number', value: '12' }, overrides: [{ contextName: 'userId', values: ['vip'] }] },
    ],
    dependencies: [],
  },
  theme: {
    enabled: true,
    strategies: [
      {
        name: 'default',
        // Only for contexts with a plan, each of which has a key or a session: without them the variant is random.
        constraints: [{ contextName: 'plan', operator: 'IN', values: ['pro', 'free'] }],
        variants: [
          { name: 'dark', weight: 700, payload: { type: 'json', value: '{"background":"#000","accent":[1,2]}' } },
          { name: 'light', weight: 300, payload: { type: 'string', value: 'ünïcödé "quoted"' } },
        ],
      },
    ],
    variants: [],
    dependencies: [],
  },
  broken: {
    enabled: true,
    strategies: [{ name: 'default' }],
    variants: [{ name: 'bad', weight: 1000, payload: { type: 'json', value: '{not json' } }],
    dependencies: [],
  },
  pro_only: {
    enabled: true,
    strategies: [{ name: 'default', constraints: [{ contextName: 'plan', operator: 'IN', values: ['pro'] }] }],
    variants: [],
    dependencies: [{ feature: 'on' }],
  },
};
await configureStates(env.pool, 'prod', configs);

const sdk = await createSdkToken(request, admin, 'prod');
const frontend = (await createFrontendToken(request, admin, 'prod')).secret;

const snapshot: Snapshot = (await request('GET', '/v1/client/flags', { token: sdk.secret })).body;
const definitions = definitionsOf(snapshot.flags, snapshot.segments);

const contexts: Record<string, unknown>[] = [
  {},
  { plan: 'pro', sessionId: 's-2' },
  { key: 'vip', plan: 'pro' },
  ...Array.from({ length: 60 }, (_, i) => ({ key: `user-${i % 30}`, plan: i % 3 ? 'pro' : 'free' })),
  { key: '田中太郎' },
  { sessionId: 's-1' },
];

t.test('POST /v1/client/evaluate: the bytes of JSON.stringify of evaluate() for each flag', async (t) => {
  for (const context of contexts) {
    const answer = await request('POST', '/v1/client/evaluate', { token: sdk.secret, body: { context } });
    const expected = {
      environment: snapshot.environment,
      version: snapshot.version,
      flags: snapshot.flags.map((state) => {
        const { bucket: _bucket, ...evaluation } = evaluate(definitions, state.key, context);
        return { key: state.key, ...evaluation };
      }),
    };
    t.equal(answer.text, JSON.stringify(expected), `context ${JSON.stringify(context)}`);
  }
});

t.test('OFREP bulk: the bytes of each flag answered on its own, buckets included', async (t) => {
  const index = indexSnapshot(snapshot);
  const buckets = new Set<number>();
  for (const context of contexts) {
    const { key, ...rest } = context as { key?: string };
    const ofrepContext: Record<string, unknown> & { targetingKey?: string } = key === undefined ? rest : { ...rest, targetingKey: key };
    const answer = await request('POST', '/ofrep/v1/evaluate/flags', { token: sdk.secret, body: { context: ofrepContext } });
    t.equal(answer.status, 200);
    const expected = {
      flags: snapshot.flags.map((state) => ofrepStateAnswer(index, state, ofrepContext).body),
      eventStreams: answer.body.eventStreams,
    };
    t.equal(answer.text, JSON.stringify(expected), `context ${JSON.stringify(ofrepContext)}`);
    for (const flag of answer.body.flags) if (flag.metadata?.bucket !== undefined) buckets.add(flag.metadata.bucket);
  }
  t.ok(buckets.size > 10, `many buckets answered (${buckets.size})`);
});

t.test('the frontend API: the bytes of the enabled flags, each answered on its own', async (t) => {
  for (const context of contexts) {
    const { key: userId, sessionId, plan } = context as { key?: string; sessionId?: string; plan?: string };
    const unleashContext = {
      ...(userId === undefined ? {} : { userId }),
      ...(sessionId === undefined ? {} : { sessionId }),
      // Named, so the caller's address does not stand in for it.
      remoteAddress: '10.0.0.1',
      properties: { plan: plan ?? '' },
    };
    const answer = await request('POST', '/api/frontend', { token: frontend, body: { context: unleashContext } });
    t.equal(answer.status, 200);
    const toggles = snapshot.flags.flatMap((state) => frontendToggle(snapshot, unleashContext, undefined, state.key) ?? []);
    t.equal(answer.text, JSON.stringify({ toggles }), `context ${JSON.stringify(unleashContext)}`);
  }
});

import t from 'tap';
import { definitionsOf, evaluate, type Evaluation } from '../../packages/evaluation/index.js';
import type { FlagState } from '../../shared/schemas/flags.js';
import { FlagShipClient } from '../../packages/sdk/index.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { startTestNotifier } from '../helpers/notifier.js';
import { createFlags, createSdkToken, eventually } from '../evaluation/fixtures.js';

/*
 * One context, one answer: the SDK (local evaluation), the shared evaluate() on the
 * stored states, POST /v1/client/evaluate, and OFREP single and bulk agree for
 * every flag and every context, including non-ASCII keys and a missing key.
 */

const env = await createTestEnvironment(t, 'ofrep-consistency');
const { request } = await startTestApi(t, env);
const notifier = await startTestNotifier(t, env);
const admin = env.adminSecret;

const rollouts = [0, 1, 10, 25, 50, 75, 99, 100];
await createFlags(request, admin, {
  ...Object.fromEntries(rollouts.map((rollout) => [`ramp_${rollout}`, { prod: { enabled: true, rollout } }])),
  switched_off: { prod: { enabled: false, rollout: 60 } },
});
const token = await createSdkToken(request, admin, 'prod');

const listed = await request('GET', '/v1/flags?limit=200', { token: admin });
const states: FlagState[] = listed.body.flags.map((flag: { environments: Record<string, FlagState> }) => flag.environments.prod);
const environmentVersion = Math.max(...states.map((state) => state.version));

const sdk = new FlagShipClient({ url: notifier.url, token: token.secret, environment: 'prod' });
t.teardown(() => sdk.close());
await sdk.ready();
await eventually(async () => sdk.version ?? -1, (version) => version >= environmentVersion);

const definitions = definitionsOf(states);

/** The comparable part of an answer from the SDK or /v1/client/evaluate. */
const pick = ({ enabled, value, variant, reason, errorCode }: Partial<Evaluation>) =>
  JSON.parse(JSON.stringify({ enabled, value, variant, reason, errorCode }));

/** What OFREP answers for a shared evaluation: the typed value, the variant's name (else on/off), the reason. */
const ofrepExpected = (shared: Evaluation) => ({
  value: shared.value,
  variant: shared.variant.enabled ? shared.variant.name : shared.enabled ? 'on' : 'off',
  reason: shared.reason,
});

const contextKeys = [
  ...Array.from({ length: 60 }, (_, i) => `user-${i}`),
  'alice@example.com', 'Zoë', 'José', '田中太郎', 'Ölfaß-Müller', '🚀-launch', 'Привет', 'نجمة', 'e\u0301', ' spaced ',
  undefined,
];

t.test('the SDK, evaluate(), /v1/client/evaluate and OFREP bulk agree', async (t) => {
  let compared = 0;
  for (const key of contextKeys) {
    const label = key === undefined ? '(no key)' : key;
    const client = await request('POST', '/v1/client/evaluate', { token: token.secret, body: { context: key === undefined ? {} : { key } } });
    const bulk = await request('POST', '/ofrep/v1/evaluate/flags', {
      token: token.secret,
      body: { context: key === undefined ? {} : { targetingKey: key } },
    });
    t.equal(client.status, 200);
    t.equal(bulk.status, 200);
    for (const state of states) {
      const shared = evaluate(definitions, state.key, { key });
      const fromSdk = sdk.evaluate(state.key, { key });
      const fromClient = client.body.flags.find((flag: { key: string }) => flag.key === state.key);
      const fromBulk = bulk.body.flags.find((flag: { key: string }) => flag.key === state.key);
      t.same(pick(fromSdk), pick(shared), `SDK ${state.key} ${label}`);
      t.same(pick(fromClient), pick(shared), `/v1/client/evaluate ${state.key} ${label}`);
      // OFREP reports an error item instead of a value, as the spec shapes it.
      const bulkAnswer = shared.errorCode
        ? { errorCode: fromBulk.errorCode }
        : { value: fromBulk.value, variant: fromBulk.variant, reason: fromBulk.reason };
      t.same(bulkAnswer, shared.errorCode ? { errorCode: shared.errorCode } : ofrepExpected(shared), `OFREP bulk ${state.key} ${label}`);
      compared += 1;
    }
  }
  t.equal(compared, contextKeys.length * states.length);
});

t.test('OFREP single agrees too', async (t) => {
  for (const key of [...contextKeys.slice(0, 6), ...contextKeys.slice(-6)]) {
    for (const state of states) {
      const single = await request('POST', `/ofrep/v1/evaluate/flags/${encodeURIComponent(state.key)}`, {
        token: token.secret,
        body: { context: key === undefined ? {} : { targetingKey: key } },
      });
      const shared = evaluate(definitions, state.key, { key });
      if (shared.errorCode) {
        t.equal(single.status, 400);
        t.equal(single.body.errorCode, shared.errorCode);
      } else {
        t.equal(single.status, 200);
        t.same(
          { value: single.body.value, variant: single.body.variant, reason: single.body.reason },
          ofrepExpected(shared),
          `${state.key} ${key}`,
        );
      }
    }
  }
});

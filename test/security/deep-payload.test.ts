import t from 'tap';
import { MAX_PAYLOAD_DEPTH } from '../../packages/evaluation/index.js';
import type { FlagState } from '../../shared/schemas/flags.js';
import type { Snapshot } from '../../shared/schemas/snapshots.js';
import { jsonPerAnswer } from '../../services/api/snapshots/snapshot-answers.js';
import { evaluate, definitionsOf } from '../../packages/evaluation/index.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { createFrontendToken, createSdkToken } from '../helpers/tokens.js';
import { configureStates, createFlags } from '../evaluation/fixtures.js';
import { dumpDatabase } from '../api/support/database-dump.js';

// One json variant payload of about 5,000 levels (10,000 characters, within the value
// limit) overflowed JSON.stringify's stack: every OFREP and /v1/client/evaluate answer of
// its environment was a 500. Now writes and imports refuse it, naming the field, and a
// row stored before answers that flag's error while every other flag answers.
const env = await createTestEnvironment(t, 'deep-payload');
const { request } = await startTestApi(t, env);
const admin = env.adminSecret;
const sdk = await createSdkToken(request, admin, 'prod');
const frontend = await createFrontendToken(request, admin, 'prod');

await createFlags(request, admin, {
  deep: { prod: { enabled: true, rollout: 100 } },
  healthy: { prod: { enabled: true, rollout: 100 } },
});

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const withPayload = (value: string) => ({
  enabled: true,
  strategies: [{ name: 'default' }],
  variants: [{ name: 'deep', weight: 1000, payload: { type: 'json', value } }],
  dependencies: [],
});

t.test('a write with a payload of 5,000 levels is a 400 naming the field, and stores nothing', async (t) => {
  const before = await dumpDatabase(env.pool);
  const response = await request('PUT', '/v1/flags/deep/environments/prod', { token: admin, body: withPayload(nested(5000)) });
  t.equal(response.status, 400, response.text);
  t.match(response.text, /body\.variants\.0\.payload\.value/);
  t.match(response.text, new RegExp(`deeper than ${MAX_PAYLOAD_DEPTH} levels`));
  t.same(await dumpDatabase(env.pool), before);
});

t.test(`the limit is ${MAX_PAYLOAD_DEPTH} levels`, async (t) => {
  const over = await request('PUT', '/v1/flags/healthy/environments/prod', { token: admin, body: withPayload(nested(MAX_PAYLOAD_DEPTH + 1)) });
  t.equal(over.status, 400, over.text);
  const at = await request('PUT', '/v1/flags/healthy/environments/prod', { token: admin, body: withPayload(nested(MAX_PAYLOAD_DEPTH)) });
  t.equal(at.status, 200, at.text);
});

t.test('an import with a deep payload is a 400 naming the field (not a warning), and stores nothing', async (t) => {
  const before = await dumpDatabase(env.pool);
  const response = await request('POST', '/v1/import/unleash?environment=prod', {
    token: admin,
    body: { features: [{ name: 'fresh', enabled: true }, { name: 'imported_deep', ...withPayload(nested(5000)) }] },
  });
  t.equal(response.status, 400, response.text);
  t.match(response.text, /body\.features\.1\.variants\.0\.payload\.value/);
  t.same(await dumpDatabase(env.pool), before);
});

t.test('a deep payload stored before the check: that flag answers its error, the others answer', async (t) => {
  // Written with the repository function, past the API's checks, as rows stored by an earlier version are.
  await configureStates(env.pool, 'prod', { deep: withPayload(nested(5000)) });

  const evaluated = await request('POST', '/v1/client/evaluate', { token: sdk.secret, body: { context: { targetingKey: 'u1' } } });
  t.equal(evaluated.status, 200, evaluated.text.slice(0, 300));
  const byKey = new Map<string, any>(evaluated.body.flags.map((flag: { key: string }) => [flag.key, flag]));
  t.match(byKey.get('deep'), { reason: 'ERROR', errorCode: 'PARSE_ERROR', errorMessage: /deeper than/ });
  t.match(byKey.get('healthy'), { enabled: true, variant: { name: 'deep' }, value: JSON.parse(nested(MAX_PAYLOAD_DEPTH)) });

  const bulk = await request('POST', '/ofrep/v1/evaluate/flags', { token: sdk.secret, body: { context: { targetingKey: 'u1' } } });
  t.equal(bulk.status, 200, bulk.text.slice(0, 300));
  const entries = new Map<string, any>(bulk.body.flags.map((flag: { key: string }) => [flag.key, flag]));
  t.match(entries.get('deep'), { errorCode: 'PARSE_ERROR', errorDetails: /deeper than/ });
  t.match(entries.get('healthy'), { variant: 'deep', reason: 'STATIC' });

  const single = await request('POST', '/ofrep/v1/evaluate/flags/deep', { token: sdk.secret, body: { context: { targetingKey: 'u1' } } });
  t.equal(single.status, 400, single.text);
  t.match(single.body, { key: 'deep', errorCode: 'PARSE_ERROR' });

  const unleash = await request('POST', '/api/frontend', { token: frontend.secret, body: { context: { userId: 'u1' } } });
  t.equal(unleash.status, 200, unleash.text.slice(0, 300));
});

t.test('an answer JSON.stringify cannot write becomes that flag error in a bulk answer', async (t) => {
  const states = [{ key: 'cyclic' }, { key: 'fine' }] as FlagState[];
  const snapshot = { environment: 'prod', version: 1, flags: states, segments: [] } as unknown as Snapshot;
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  const answerJson = jsonPerAnswer((state) => (state.key === 'cyclic' ? cyclic : { key: state.key, ok: true }), {
    showsBucket: false,
    unserialisable: (state, message) => ({ key: state.key, error: message }),
  })(snapshot);
  const answer = evaluate(definitionsOf([]), 'missing');
  t.match(JSON.parse(answerJson(0, states[0]!, answer, undefined)), { key: 'cyclic', error: /flag cyclic: its answer cannot be serialised/ });
  t.same(JSON.parse(answerJson(1, states[1]!, answer, undefined)), { key: 'fine', ok: true });
});

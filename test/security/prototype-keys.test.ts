import t from 'tap';
import { definitionsOf, evaluate, type Constraint } from '../../packages/evaluation/index.js';
import { UsageReporter } from '../../packages/sdk/usage-reporter.js';
import { mergeNewer } from '../../services/console/src/live/apply-change.js';
import type { AdminFlagState, Flag } from '../../services/console/src/api/types.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { createFrontendToken, createSdkToken } from '../helpers/tokens.js';

/*
 * Names chosen by users (context fields, environments, variants) used as keys
 * of plain objects read Object.prototype's members: a `toString STR_CONTAINS
 * "native code"` constraint matched every context, in the server and the SDK,
 * and an environment named `constructor` broke audit-log paging and the
 * console's live stream for good.
 */
const INHERITED = ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf'];

const constrained = (contextName: string, operator: string, values: string[]) =>
  definitionsOf([{ key: 'f', enabled: true, strategies: [{ name: 'default', constraints: [{ contextName, operator, values } as Constraint] }] }]);

t.test('evaluation (the SDK and the server share it) reads only the context own fields', async (t) => {
  for (const field of INHERITED) {
    for (const [operator, values] of [['STR_CONTAINS', ['native code', 'Object', '[object']], ['NOT_IN', ['x']]] as const) {
      const definitions = constrained(field, operator, [...values]);
      const expected = operator === 'NOT_IN'; // an absent field is NOT_IN anything
      t.equal(evaluate(definitions, 'f', {}).enabled, expected, `${field} ${operator}, empty context`);
      t.equal(evaluate(definitions, 'f', { properties: {} }).enabled, expected, `${field} ${operator}, empty properties`);
    }
    const own = constrained(field, 'IN', ['set']);
    t.equal(evaluate(own, 'f', JSON.parse(`{"${field}":"set"}`)).enabled, true, `${field} given by the context is read`);
    t.equal(evaluate(own, 'f', JSON.parse(`{"properties":{"${field}":"set"}}`)).enabled, true, `${field} as a property is read`);
  }
  const stickiness = definitionsOf([
    { key: 'v', enabled: true, strategies: [{ name: 'default' }], variants: [{ name: 'a', weight: 500, stickiness: 'toString' }, { name: 'b', weight: 500, stickiness: 'toString' }] },
  ]);
  const picks = new Set(Array.from({ length: 40 }, () => evaluate(stickiness, 'v', {}).variant.name));
  t.equal(picks.size, 2, 'stickiness on an absent toString is random, not the function text for everyone');
});

t.test('the console keeps a state in an environment named constructor', async (t) => {
  const state = { environment: 'constructor', version: 3 } as AdminFlagState;
  const current = { key: 'f', environments: { constructor: state } } as unknown as Flag;
  const incoming = { key: 'f', environments: {} } as unknown as Flag;
  t.equal(mergeNewer(current, incoming).environments.constructor, state, 'the newer state is kept, not taken for Object');
});

const env = await createTestEnvironment(t, 'prototype-keys');
const api = await startTestApi(t, env);
const { request } = api;
const admin = env.adminSecret;

const created = await request('POST', '/v1/environments', { token: admin, body: { key: 'constructor' } });
if (created.status !== 201) throw new Error(`could not create the environment: ${created.text}`);
for (const key of ['one', 'two', 'three']) {
  const flag = await request('POST', '/v1/flags', { token: admin, body: { key, environments: { constructor: { enabled: true, rollout: 100 } } } });
  if (flag.status !== 201) throw new Error(`could not create ${key}: ${flag.text}`);
}

t.test('the audit log pages through an environment named constructor', async (t) => {
  const all = await request('GET', '/v1/events?limit=500', { token: admin });
  t.equal(all.status, 200, all.text);
  const seen: number[] = [];
  let after: string | null = '';
  for (let page = 0; after !== null && page < 100; page += 1) {
    const response: { status: number; body: any; text: string } = await request('GET', `/v1/events?limit=2${after ? `&after=${encodeURIComponent(after)}` : ''}`, { token: admin });
    t.equal(response.status, 200, response.text);
    if (response.status !== 200) break;
    seen.push(...response.body.events.map((event: { id: number }) => event.id));
    t.notMatch(response.body.cursor, /NaN/);
    after = response.body.nextAfter;
  }
  t.same(seen.sort(), all.body.events.map((event: { id: number }) => event.id).sort(), 'every event, once');
  t.match(all.body.cursor, /constructor:\d+/);
});

t.test('the admin stream starts with the constructor environment in its cursor', async (t) => {
  const controller = new AbortController();
  t.teardown(() => controller.abort());
  const response = await fetch(`${api.url}/v1/stream`, { headers: { authorization: `Bearer ${admin}` }, signal: controller.signal });
  t.equal(response.status, 200);
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of response.body!) {
    text += decoder.decode(chunk as Uint8Array, { stream: true });
    if (/event: ready\ndata: .*\n\n/.test(text)) break;
  }
  controller.abort();
  const ready = JSON.parse(/event: ready\ndata: (.*)\n/.exec(text)![1]!);
  const environments = await request('GET', '/v1/environments', { token: admin });
  const version = environments.body.environments.find((environment: { key: string }) => environment.key === 'constructor').version;
  t.equal(ready.cursor.constructor, version);
});

t.test('usage with a variant named constructor is counted, and the flush goes on', async (t) => {
  const frontend = await createFrontendToken(request, admin, 'constructor');
  const start = new Date(Date.now() - 60_000).toISOString();
  const stop = new Date().toISOString();
  const sent = await request('POST', '/api/frontend/client/metrics', {
    headers: { authorization: frontend.secret },
    body: { appName: 'web', instanceId: 'i', environment: 'x', bucket: { start, stop, toggles: { one: { yes: 2, no: 0, variants: { constructor: 2 } } } } },
  });
  t.equal(sent.status, 202, sent.text);
  await api.usage.flush();
  const usage = await request('GET', '/v1/flags/one/usage?environment=constructor', { token: admin });
  t.equal(usage.status, 200, usage.text);
  t.match(usage.body.hours, [{ environment: 'constructor', yes: 2, variants: { constructor: 2 } }]);
});

t.test('over HTTP, a context without toString is not matched by a toString constraint', async (t) => {
  const sdk = await createSdkToken(request, admin, 'constructor');
  const put = await request('PUT', '/v1/flags/two/environments/constructor', {
    token: admin,
    body: { enabled: true, strategies: [{ name: 'default', constraints: [{ contextName: 'toString', operator: 'STR_CONTAINS', values: ['native code'] }] }] },
  });
  t.equal(put.status, 200, put.text);
  const evaluated = await request('POST', '/v1/client/evaluate', { token: sdk.secret, body: { context: { targetingKey: 'u1' } } });
  t.equal(evaluated.status, 200, evaluated.text);
  t.match(evaluated.body.flags.find((flag: { key: string }) => flag.key === 'two'), { enabled: false });
});

t.test('the SDK reports a variant named constructor as a count the server keeps', async (t) => {
  const sdk = await createSdkToken(request, admin, 'constructor');
  const errors: Error[] = [];
  const reporter = new UsageReporter({ url: api.url, appName: 'prototype-keys' }, sdk.secret, (error) => errors.push(error));
  reporter.count('three', true, 'constructor');
  reporter.count('three', true, 'constructor');
  reporter.count('three', false);
  await reporter.close();
  t.same(errors, [], 'the report was accepted');
  await api.usage.flush();
  const usage = await request('GET', '/v1/flags/three/usage?environment=constructor', { token: admin });
  // (yes also counts the evaluations above: /v1/client/evaluate counts every flag it answers)
  t.match(usage.body.hours, [{ environment: 'constructor', no: 1, variants: { constructor: 2 } }]);
});

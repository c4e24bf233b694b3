import t from 'tap';
import { definitionsOf, evaluate, type FlagDefinition } from '../../packages/evaluation/index.js';
import type { Snapshot } from '../../shared/schemas/snapshots.js';
import { createAnswerCache, UsageTally, type ContextAnswer } from '../../services/api/snapshots/answer-cache.js';
import { preparedJson } from '../../services/api/http/prepared-json.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { startTestNotifier } from '../helpers/notifier.js';
import { changeState, configureStates, createFlags, createSdkToken, eventually } from '../evaluation/fixtures.js';
import { createFrontendToken } from '../helpers/tokens.js';

/*
 * The evaluating routes keep each context's answer while its snapshot stands
 * (services/api/snapshots/answer-cache.ts): never one that read the clock or a random
 * number, never past a change, and every answer served still counts as usage.
 */

const snapshot = (version: number): Snapshot => ({ environment: 'prod', version, flags: [], segments: [] });

t.test('the cache alone: kept per route, snapshot and context; bounded; never an impure answer', async (t) => {
  let made = 0;
  const make = (bytes = 10) => (): ContextAnswer => {
    made += 1;
    return { json: preparedJson('x'.repeat(bytes)), tally: new UsageTally() };
  };
  const cache = createAnswerCache({ maxBytes: 100_000 });
  const first = snapshot(1);
  cache.answer('evaluate', first, '{"key":"a"}', make());
  t.equal(made, 1);
  const answer = cache.answer('evaluate', first, '{"key":"a"}', make());
  t.equal(made, 2, 'a context seen once is not kept: its second request is computed');
  t.equal(cache.answer('evaluate', first, '{"key":"a"}', make()), answer, 'the third: the kept answer');
  t.equal(cache.answer('evaluate', first, '{"key":"a"}', make()), answer);
  t.equal(cache.answer('evaluate', snapshot(1), '{"key":"a"}', make()), answer, 'another snapshot object at the same version: the same content');
  t.equal(made, 2);
  cache.answer('frontend', first, '{"key":"a"}', make());
  cache.answer('evaluate', first, '{"key":"b"}', make());
  cache.answer('evaluate', { ...first, environment: 'dev' }, '{"key":"a"}', make());
  t.equal(made, 5, 'another route, context or environment: computed');
  const second = snapshot(2);
  const renewed = cache.answer('evaluate', second, '{"key":"a"}', make());
  t.not(renewed, answer, 'a new snapshot: computed again');
  t.equal(cache.answer('evaluate', second, '{"key":"a"}', make()), renewed, 'and kept at once (the context was seen)');
  t.equal(made, 6);

  // An answer that drew a random number (gradualRolloutRandom) is computed every time.
  const coin = definitionsOf([{ key: 'coin', enabled: true, strategies: [{ name: 'gradualRolloutRandom', parameters: { percentage: '50' } }] }]);
  const random = () => {
    made += 1;
    evaluate(coin, 'coin', { key: 'a' });
    return { json: preparedJson('r'), tally: new UsageTally() };
  };
  made = 0;
  for (let i = 0; i < 5; i += 1) cache.answer('evaluate', second, '{"key":"coin"}', random);
  t.equal(made, 5, 'a random answer is never kept');

  // About 1,000 bytes each against 20,000: the oldest go first.
  const small = createAnswerCache({ maxBytes: 20_000 });
  made = 0;
  for (let round = 0; round < 2; round += 1) {
    for (let i = 0; i < 100; i += 1) small.answer('evaluate', second, `{"key":"user-${i}"}`, make(1000));
  }
  small.answer('evaluate', second, '{"key":"user-99"}', make(1000));
  t.equal(made, 200, 'the latest is kept');
  small.answer('evaluate', second, '{"key":"user-0"}', make(1000));
  t.equal(made, 201, 'the oldest was let go');

  const none = createAnswerCache({ maxBytes: 0 });
  made = 0;
  none.answer('evaluate', second, 'k', make());
  none.answer('evaluate', second, 'k', make());
  t.equal(made, 2, 'FLAGSHIP_ANSWER_CACHE_MB=0 keeps nothing');
});

const env = await createTestEnvironment(t, 'answer-cache');
// The production reader: it hands out one snapshot object per version, as the cache needs.
const api = await startTestApi(t, env, { snapshots: 'cache' });
await startTestNotifier(t, env);
const { request } = api;
const admin = env.adminSecret;

await createFlags(request, admin, {
  everyone: { prod: { enabled: true, rollout: 100 } },
  launch: { prod: { enabled: true, rollout: 100 } },
  coin: { prod: { enabled: true, rollout: 100 } },
});
const launchAt = Date.now() + 3000;
const configs: Record<string, Omit<FlagDefinition, 'key'>> = {
  launch: {
    enabled: true,
    strategies: [{ name: 'default', constraints: [{ contextName: 'currentTime', operator: 'DATE_AFTER', value: new Date(launchAt).toISOString() }] }],
    variants: [],
    dependencies: [],
  },
  coin: { enabled: true, strategies: [{ name: 'gradualRolloutRandom', parameters: { percentage: '50' } }], variants: [], dependencies: [] },
};
await configureStates(env.pool, 'prod', configs);
const sdk = await createSdkToken(request, admin, 'prod');
const frontend = (await createFrontendToken(request, admin, 'prod')).secret;

const evaluateFor = (context: Record<string, unknown>) => request('POST', '/v1/client/evaluate', { token: sdk.secret, body: { context } });
const flagOf = (answer: { body: { flags: { key: string; enabled: boolean; reason: string }[] } }, key: string) => answer.body.flags.find((flag) => flag.key === key)!;
const answered = async () => {
  const text = (await request('GET', '/metrics', { token: admin })).text;
  const count = (outcome: string) => Number(new RegExp(`flagship_api_answer_cache_answers_total\\{outcome="${outcome}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
  return { kept: count('kept'), computed: count('computed'), notKept: count('not-kept') };
};
// The notifier has relayed the configs once every flag carries them.
await eventually(() => evaluateFor({ key: 'warm-up' }), (answer) => answer.status === 200 && flagOf(answer, 'coin') !== undefined);

t.test('a date constraint without currentTime: computed each time, so it turns on when its time comes', async (t) => {
  const context = { key: 'ada' };
  const before = await evaluateFor(context);
  t.equal(flagOf(before, 'launch').enabled, false, 'not yet');
  t.equal(flagOf(before, 'everyone').enabled, true);
  const counts = await answered();
  const after = await eventually(() => evaluateFor(context), (answer) => flagOf(answer, 'launch').enabled);
  t.ok(Date.now() >= launchAt, 'on once the date passed, with the same context');
  t.ok((await answered()).notKept > counts.notKept, 'counted as not kept');
  t.equal(flagOf(after, 'everyone').enabled, true);
});

t.test('a context number JSON cannot hold is refused, not evaluated (1e400 would be keyed as null)', async (t) => {
  const json = { 'content-type': 'application/json' };
  const evaluated = await request('POST', '/v1/client/evaluate', { token: sdk.secret, rawBody: '{"context":{"key":"dan","plan":1e400}}', headers: json });
  t.equal(evaluated.status, 400);
  t.match(evaluated.text, /body\.context\.plan/);
  const bulk = await request('POST', '/ofrep/v1/evaluate/flags', { token: sdk.secret, rawBody: '{"context":{"targetingKey":"dan","plan":-1e400}}', headers: json });
  t.equal(bulk.status, 400);
  t.match(bulk.body, { errorCode: 'INVALID_CONTEXT' });
});

t.test('a random rollout: each request draws again', async (t) => {
  const seen = new Set<boolean>();
  for (let i = 0; i < 40 && seen.size < 2; i += 1) seen.add(flagOf(await evaluateFor({ key: 'bob' }), 'coin').enabled);
  t.same([...seen].sort(), [false, true], 'both answers for one context');
});

t.test('pure answers are kept until the environment changes; each one served counts as usage', async (t) => {
  // Without the random and the dated flags, the answers of this environment are pure.
  const everyone = { enabled: true, strategies: [{ name: 'default' }], variants: [], dependencies: [] };
  await configureStates(env.pool, 'prod', { launch: everyone, coin: everyone });
  const context = { key: 'carol', plan: 'pro' };
  // Both now on by a bare default strategy: STATIC (random was SPLIT, the date TARGETING_MATCH).
  const settled = (answer: Awaited<ReturnType<typeof evaluateFor>>) => ['coin', 'launch'].every((key) => flagOf(answer, key).reason === 'STATIC');
  const first = await eventually(() => evaluateFor(context), settled);
  const counts = await answered();
  await api.usage.flush();
  const usageBefore = (await request('GET', '/v1/flags/everyone/usage?environment=prod', { token: admin })).body.hours[0]?.yes ?? 0;

  const again = [await evaluateFor(context), await evaluateFor(context), await evaluateFor(context)];
  for (const answer of again) t.equal(answer.text, first.text, 'the same bytes');
  const frontendGet = () => request('GET', '/api/frontend?userId=carol&properties%5Bplan%5D=pro', { headers: { authorization: frontend } });
  const toggles = [await frontendGet(), await frontendGet(), await frontendGet()];
  t.equal(toggles[2]!.headers.get('etag'), toggles[0]!.headers.get('etag'));
  t.equal(toggles[2]!.text, toggles[0]!.text);
  const bulk = () => request('POST', '/ofrep/v1/evaluate/flags', { token: sdk.secret, body: { context: { targetingKey: 'carol' } } });
  const bulks = [await bulk(), await bulk(), await bulk()];
  t.equal(bulks[2]!.text, bulks[0]!.text);
  const now = await answered();
  // The evaluate context was seen while settling; the frontend and OFREP ones are new: computed twice, then kept.
  t.ok(now.kept - counts.kept >= 2 + 1 + 1, `the repeats were served kept answers (${now.kept - counts.kept})`);
  t.equal(now.computed - counts.computed + (now.kept - counts.kept), 3 + 3 + 3, 'each request either kept or computed');
  t.equal(now.notKept, counts.notKept, 'none of them impure');

  await api.usage.flush();
  const usageAfter = (await request('GET', '/v1/flags/everyone/usage?environment=prod', { token: admin })).body.hours[0].yes;
  t.equal(usageAfter - usageBefore, 3 + 3 + 3, 'every answer served counted, kept or not');

  await changeState(request, admin, 'everyone', 'prod', { enabled: false });
  const changed = await eventually(() => evaluateFor(context), (answer) => !flagOf(answer, 'everyone').enabled);
  t.not(changed.text, first.text, 'a change: the answer is computed again');
  t.equal(flagOf(changed, 'coin').enabled, true);
});

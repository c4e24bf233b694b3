import t from 'tap';
import { definitionsOf, evaluate, evaluateShared, rolloutStrategy, type RuleTrace } from '../../packages/evaluation/index.js';

/*
 * evaluateShared hands out one frozen object per distinct answer (the API
 * serialises each once); evaluate() gives every caller a copy of its own.
 */

const definitions = definitionsOf([
  { key: 'half', enabled: true, strategies: [rolloutStrategy('half', 50)] },
  { key: 'on', enabled: true, rollout: 100 },
  { key: 'off', enabled: false, rollout: 100 },
  {
    key: 'colour',
    enabled: true,
    strategies: [{ name: 'default' }],
    variants: [
      { name: 'red', weight: 500, payload: { type: 'string', value: 'r' } },
      { name: 'blue', weight: 500, payload: { type: 'json', value: '{"b":1}' } },
    ],
  },
]);

t.test('the same answer is the same frozen object; a different one is another', async (t) => {
  const trace: RuleTrace = {};
  const first = evaluateShared(definitions, 'on', { key: 'a' }, trace);
  t.equal(evaluateShared(definitions, 'on', { key: 'b' }, trace), first, 'same flag, same answer, same object');
  t.ok(Object.isFrozen(first) && Object.isFrozen(first.variant), 'frozen, with its variant');
  t.not(evaluateShared(definitions, 'off', { key: 'a' }, trace), first, 'another flag: another object');

  const byVariant = new Map<string, object>();
  for (let i = 0; i < 200; i += 1) {
    const answer = evaluateShared(definitions, 'colour', { key: `user-${i}` }, trace);
    const seen = byVariant.get(answer.variant.name);
    if (seen) t.equal(answer, seen, `user-${i}: ${answer.variant.name} shared`);
    else byVariant.set(answer.variant.name, answer);
  }
  t.same([...byVariant.keys()].sort(), ['blue', 'red'], 'each variant its own object');
});

t.test('the bucket goes to the trace, and each call resets it', async (t) => {
  const trace: RuleTrace = {};
  const answer = evaluateShared(definitions, 'half', { key: 'user-1' }, trace);
  t.type(trace.bucket, 'number');
  t.equal(evaluate(definitions, 'half', { key: 'user-1' }).bucket, trace.bucket, 'the bucket evaluate() reports');
  t.notOk('bucket' in answer, 'not on the shared answer');
  evaluateShared(definitions, 'on', { key: 'user-1' }, trace);
  t.equal(trace.bucket, undefined, 'a flag without a percentage leaves no bucket behind');
  evaluateShared(definitions, 'half', {}, trace);
  t.equal(trace.keyMissingAt, 50, 'a missing key names the percentage');
  evaluateShared(definitions, 'on', {}, trace);
  t.equal(trace.keyMissingAt, undefined);
});

t.test('evaluate() answers a copy: changing it changes no later answer', async (t) => {
  const mine = evaluate(definitions, 'colour', { key: 'user-7' });
  const name = mine.variant.name;
  t.notOk(Object.isFrozen(mine) || Object.isFrozen(mine.variant));
  mine.enabled = false;
  mine.variant.name = 'tampered';
  mine.reason = 'ERROR';
  const again = evaluate(definitions, 'colour', { key: 'user-7' });
  t.same(again, { ...again, enabled: true, reason: 'SPLIT', variant: { ...again.variant, name } });
  t.equal(evaluateShared(definitions, 'colour', { key: 'user-7' }, {}).variant.name, name);
  t.not(evaluate(definitions, 'colour', { key: 'user-7' }), again, 'a new object each call');
});

t.test('a flag that does not exist', async (t) => {
  t.match(evaluateShared(definitions, 'nope', {}, {}), { enabled: false, reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND' });
  t.match(evaluate(definitions, 'nope'), { enabled: false, reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND' });
});

import t from 'tap';
import { bucket, definitionsOf, evaluate, type EvaluationContext } from '../../packages/evaluation/index.js';

/*
 * The simple form `{ enabled, rollout }` (one flexibleRollout strategy, default stickiness,
 * the flag key as group id) answers as it always has.
 */

const flag = (enabled: boolean, rollout: number) => ({ key: 'new_ui', enabled, rollout });
const evaluateState = (state: ReturnType<typeof flag>, context?: EvaluationContext) =>
  evaluate(definitionsOf([state]), state.key, context);

const off = (featureEnabled: boolean) => ({ name: 'disabled', enabled: false, featureEnabled });

/** A context key whose bucket for new_ui is exactly `wanted`. */
function keyInBucket(wanted: number): string {
  for (let i = 0; ; i += 1) if (bucket('new_ui', `user-${i}`) === wanted) return `user-${i}`;
}

t.test('a disabled flag is off, whatever its rollout, with DISABLED', async (t) => {
  t.same(evaluateState(flag(false, 100), { key: 'u' }), { enabled: false, variant: off(false), value: false, reason: 'DISABLED' });
  t.same(evaluateState(flag(false, 50), {}), { enabled: false, variant: off(false), value: false, reason: 'DISABLED' });
});

t.test('rollout 100 is on and rollout 0 off for everyone, key or not, with STATIC', async (t) => {
  t.same(evaluateState(flag(true, 100), { key: 'u' }), { enabled: true, variant: off(true), value: true, reason: 'STATIC' });
  t.same(evaluateState(flag(true, 100), {}), { enabled: true, variant: off(true), value: true, reason: 'STATIC' });
  t.same(evaluateState(flag(true, 0), { key: 'u' }), { enabled: false, variant: off(false), value: false, reason: 'STATIC' });
  t.same(evaluateState(flag(true, 0), {}), { enabled: false, variant: off(false), value: false, reason: 'STATIC' });
});

t.test('a partial rollout is on iff bucket <= rollout, with SPLIT and the bucket', async (t) => {
  const atEdge = keyInBucket(30);
  const pastEdge = keyInBucket(31);
  t.same(evaluateState(flag(true, 30), { key: atEdge }), { enabled: true, variant: off(true), value: true, reason: 'SPLIT', bucket: 30 });
  t.same(evaluateState(flag(true, 30), { key: pastEdge }), { enabled: false, variant: off(false), value: false, reason: 'SPLIT', bucket: 31 });
  t.match(evaluateState(flag(true, 1), { key: keyInBucket(1) }), { enabled: true, reason: 'SPLIT', bucket: 1 });
  t.match(evaluateState(flag(true, 99), { key: keyInBucket(100) }), { enabled: false, reason: 'SPLIT', bucket: 100 });
});

t.test('targetingKey, key and userId are the same user; userId wins when several are given', async (t) => {
  const state = flag(true, 50);
  for (let i = 0; i < 200; i += 1) {
    const id = `user-${i}`;
    const expected = bucket('new_ui', id) <= 50;
    t.equal(evaluateState(state, { key: id }).enabled, expected);
    t.equal(evaluateState(state, { targetingKey: id }).enabled, expected);
    t.equal(evaluateState(state, { userId: id }).enabled, expected);
    t.equal(evaluateState(state, { userId: id, targetingKey: 'someone-else', key: 'another' }).enabled, expected);
  }
});

t.test('raising the rollout never turns a user off', async (t) => {
  let regressions = 0;
  for (let i = 0; i < 2000; i += 1) {
    let wasOn = false;
    for (let rollout = 0; rollout <= 100; rollout += 5) {
      const on = evaluateState(flag(true, rollout), { key: `user-${i}` }).enabled;
      if (wasOn && !on) regressions += 1;
      wasOn = on;
    }
  }
  t.equal(regressions, 0);
});

t.test('a partial rollout without a context key is off and says why', async (t) => {
  for (const context of [{}, { key: '' }, { key: undefined }, { key: 42 as unknown as string }]) {
    const answer = evaluateState(flag(true, 50), context);
    t.match(answer, { enabled: false, value: false, reason: 'ERROR', errorCode: 'TARGETING_KEY_MISSING' }, JSON.stringify(context));
    t.match(answer.errorMessage, /context key/);
  }
  t.match(evaluateState(flag(true, 50)), { enabled: false, errorCode: 'TARGETING_KEY_MISSING' }, 'no context at all');
  t.match(evaluateState(flag(true, 50), { sessionId: 's-1' }), { reason: 'SPLIT' }, 'a sessionId is stickiness enough (Unleash default)');
});

t.test('an unknown flag is off with FLAG_NOT_FOUND', async (t) => {
  t.match(evaluate(definitionsOf([]), 'nope', { key: 'u' }), { enabled: false, value: false, reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND' });
});

t.test('evaluation is pure: same input, same answer; unrelated attributes do not matter', async (t) => {
  const state = flag(true, 40);
  const first = evaluateState(state, { key: 'user-7', country: 'FR' });
  for (let i = 0; i < 10; i += 1) t.same(evaluateState(state, { key: 'user-7', plan: i }), first);
  t.same(state, flag(true, 40), 'the state is not modified');
});

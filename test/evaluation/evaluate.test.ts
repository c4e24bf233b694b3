import t from 'tap';
import { bucket, evaluate } from '../../shared/evaluation/index.js';

const flag = (enabled: boolean, rollout: number) => ({ key: 'new_ui', enabled, rollout });

/** A context key whose bucket for new_ui is exactly `wanted`. */
function keyInBucket(wanted: number): string {
  for (let i = 0; ; i += 1) if (bucket('new_ui', `user-${i}`) === wanted) return `user-${i}`;
}

t.test('a disabled flag is off, whatever its rollout, with DISABLED', async (t) => {
  t.same(evaluate(flag(false, 100), { key: 'u' }), { value: false, variant: 'off', reason: 'DISABLED' });
  t.same(evaluate(flag(false, 50), {}), { value: false, variant: 'off', reason: 'DISABLED' });
});

t.test('rollout 100 is on and rollout 0 off for everyone, key or not, with STATIC', async (t) => {
  t.same(evaluate(flag(true, 100), { key: 'u' }), { value: true, variant: 'on', reason: 'STATIC' });
  t.same(evaluate(flag(true, 100), {}), { value: true, variant: 'on', reason: 'STATIC' });
  t.same(evaluate(flag(true, 0), { key: 'u' }), { value: false, variant: 'off', reason: 'STATIC' });
  t.same(evaluate(flag(true, 0), {}), { value: false, variant: 'off', reason: 'STATIC' });
});

t.test('a partial rollout is on iff bucket <= rollout, with SPLIT and the bucket', async (t) => {
  const atEdge = keyInBucket(30);
  const pastEdge = keyInBucket(31);
  t.same(evaluate(flag(true, 30), { key: atEdge }), { value: true, variant: 'on', reason: 'SPLIT', bucket: 30 });
  t.same(evaluate(flag(true, 30), { key: pastEdge }), { value: false, variant: 'off', reason: 'SPLIT', bucket: 31 });
  t.same(evaluate(flag(true, 1), { key: keyInBucket(1) }), { value: true, variant: 'on', reason: 'SPLIT', bucket: 1 });
  t.same(evaluate(flag(true, 99), { key: keyInBucket(100) }), { value: false, variant: 'off', reason: 'SPLIT', bucket: 100 });
});

t.test('raising the rollout never turns a user off', async (t) => {
  let regressions = 0;
  for (let i = 0; i < 2000; i += 1) {
    let wasOn = false;
    for (let rollout = 0; rollout <= 100; rollout += 5) {
      const on = evaluate(flag(true, rollout), { key: `user-${i}` }).value;
      if (wasOn && !on) regressions += 1;
      wasOn = on;
    }
  }
  t.equal(regressions, 0);
});

t.test('a partial rollout without a context key is off and says why', async (t) => {
  for (const context of [{}, { key: '' }, { key: undefined }, { key: 42 as unknown as string }]) {
    const answer = evaluate(flag(true, 50), context);
    t.match(answer, { value: false, variant: 'off', reason: 'ERROR', errorCode: 'TARGETING_KEY_MISSING' }, JSON.stringify(context));
    t.match(answer.errorMessage, /context key/);
  }
  t.match(evaluate(flag(true, 50)), { value: false, errorCode: 'TARGETING_KEY_MISSING' }, 'no context at all');
});

t.test('an unknown flag is off with FLAG_NOT_FOUND', async (t) => {
  t.match(evaluate(undefined, { key: 'u' }), { value: false, variant: 'off', reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND' });
});

t.test('evaluation is pure: same input, same answer; other attributes do not matter', async (t) => {
  const state = flag(true, 40);
  const first = evaluate(state, { key: 'user-7', country: 'FR' });
  for (let i = 0; i < 10; i += 1) t.same(evaluate(state, { key: 'user-7', plan: i }), first);
  t.same(state, flag(true, 40), 'the state is not modified');
});

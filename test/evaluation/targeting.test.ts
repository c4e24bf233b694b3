import { RE2JS } from 're2js';
import t from 'tap';
import { compileFlag } from '../../packages/evaluation/compile.js';
import { compileRegex } from '../../packages/evaluation/constraints.js';
import { MAX_CONTEXT_VALUE_LENGTH } from '../../packages/evaluation/limits.js';
import {
  evaluate,
  isEnabled,
  type Constraint,
  type Definitions,
  type FlagDefinition,
  type Segment,
  type Strategy,
  type VariantDefinition,
} from '../../packages/evaluation/index.js';

/* FlagShip's own cases beyond the Unleash specification: contexts, reasons, typed values, bad values. */

const flag = (key: string, strategies: Strategy[], more: Partial<FlagDefinition> = {}): FlagDefinition => ({
  key,
  enabled: true,
  strategies,
  variants: [],
  dependencies: [],
  ...more,
});
const definitionsOf = (flags: FlagDefinition[], segments: Segment[] = []): Definitions => ({
  flags: new Map(flags.map((definition) => [definition.key, definition])),
  segments: new Map(segments.map((segment) => [segment.id, segment])),
});
const only = (definition: FlagDefinition, segments: Segment[] = []) => {
  const definitions = definitionsOf([definition], segments);
  return (context: Record<string, unknown>) => evaluate(definitions, definition.key, context);
};
const withConstraints = (...constraints: Constraint[]): Strategy => ({ name: 'default', constraints });

t.test('targeting by email domain: top-level attributes count as properties, caseInsensitive folds case', async (t) => {
  const acme = only(flag('acme', [withConstraints({ contextName: 'email', operator: 'STR_ENDS_WITH', values: ['@acme.com'], caseInsensitive: true })]));
  t.match(acme({ targetingKey: 'u1', email: 'ada@ACME.com' }), { enabled: true, reason: 'TARGETING_MATCH', value: true });
  t.match(acme({ userId: 'u1', properties: { email: 'ada@acme.com' } }), { enabled: true }, 'Unleash-style properties');
  t.match(acme({ targetingKey: 'u1', email: 'ada@example.com' }), { enabled: false, reason: 'DEFAULT', value: false });
  t.match(acme({ targetingKey: 'u1' }), { enabled: false }, 'no email: no match');
});

t.test('several constraints must all hold; inverted flips one', async (t) => {
  const answer = only(
    flag('eu_pro', [
      withConstraints(
        { contextName: 'country', operator: 'IN', values: ['DE', 'FR'] },
        { contextName: 'plan', operator: 'IN', values: ['free'], inverted: true },
        { contextName: 'appVersion', operator: 'SEMVER_GTE', value: '2.3.0' },
        { contextName: 'remoteAddress', operator: 'IN_CIDR', values: ['10.0.0.0/8'] },
      ),
    ]),
  );
  const base = { targetingKey: 'u', country: 'DE', plan: 'pro', appVersion: '2.10.1', remoteAddress: '10.1.2.3' };
  t.equal(answer(base).enabled, true);
  t.equal(answer({ ...base, country: 'US' }).enabled, false, 'country');
  t.equal(answer({ ...base, plan: 'free' }).enabled, false, 'inverted plan');
  t.equal(answer({ ...base, appVersion: '2.2.9' }).enabled, false, 'semver is numeric, not text (2.10.1 > 2.3.0 > 2.2.9)');
  t.equal(answer({ ...base, remoteAddress: '192.168.0.1' }).enabled, false, 'outside the range');
});

t.test('dates compare currentTime (now when absent)', async (t) => {
  const launch = only(flag('launch', [withConstraints({ contextName: 'currentTime', operator: 'DATE_AFTER', value: '2030-01-01T00:00:00Z' })]));
  t.equal(launch({ currentTime: '2030-06-01T00:00:00Z' }).enabled, true);
  t.equal(launch({ currentTime: '2029-12-31T23:59:59Z' }).enabled, false);
  t.equal(launch({}).enabled, false, 'now is before 2030');
});

t.test('segments: every segment of a strategy must hold; a missing segment never does', async (t) => {
  const segments: Segment[] = [
    { id: 1, name: 'europe', constraints: [{ contextName: 'country', operator: 'IN', values: ['DE', 'FR'] }] },
    { id: 2, name: 'beta', constraints: [{ contextName: 'beta', operator: 'IN', values: ['true'] }] },
  ];
  const both = only(flag('both', [{ name: 'default', segments: [1, 2] }]), segments);
  t.equal(both({ country: 'DE', beta: true }).enabled, true, 'a boolean attribute compares as its text');
  t.equal(both({ country: 'DE', beta: false }).enabled, false);
  t.equal(both({ country: 'US', beta: true }).enabled, false);
  const dangling = only(flag('dangling', [{ name: 'default', segments: [99] }]), segments);
  t.equal(dangling({ country: 'DE' }).enabled, false);
});

t.test('variants: typed values, strategy variants before flag variants, overrides', async (t) => {
  const variant = (name: string, type: string, value: string, weight = 1000): VariantDefinition => ({ name, weight, payload: { type, value } });
  const typed = (v: VariantDefinition) => only(flag(`typed_${v.name}`, [{ name: 'default' }], { variants: [v] }))({ targetingKey: 'u' });
  t.same(typed(variant('n', 'number', '42.5')).value, 42.5);
  t.same(typed(variant('j', 'json', '{"color":"blue","sizes":[1,2]}')).value, { color: 'blue', sizes: [1, 2] });
  t.same(typed(variant('s', 'string', 'hello')).value, 'hello');
  t.same(typed(variant('c', 'csv', 'a,b,c')).value, 'a,b,c');
  t.same(typed(variant('s', 'string', 'hello')).variant, { name: 's', enabled: true, payload: { type: 'string', value: 'hello' }, featureEnabled: true });
  t.same(typed({ name: 'bare', weight: 1000 }).value, true, 'no payload: the boolean');

  const layered = only(
    flag('layered', [{ name: 'default', constraints: [{ contextName: 'plan', operator: 'IN', values: ['pro'] }], variants: [variant('pro', 'string', 'gold')] }, { name: 'default' }], {
      variants: [variant('everyone', 'string', 'plain')],
    }),
  );
  t.equal(layered({ plan: 'pro' }).value, 'gold', "the matching strategy's variants first");
  t.equal(layered({ plan: 'free' }).value, 'plain', "else the flag's");

  const split = only(flag('split', [{ name: 'default' }], {
    variants: [
      { ...variant('a', 'string', 'A', 500), overrides: [{ contextName: 'userId', values: ['vip'] }] },
      variant('b', 'string', 'B', 500),
    ],
  }));
  const seen = new Set<string>();
  for (let i = 0; i < 100; i += 1) {
    const answer = split({ targetingKey: `user-${i}` });
    t.equal(answer.reason, 'SPLIT');
    seen.add(answer.variant.name);
  }
  t.same([...seen].sort(), ['a', 'b'], 'both halves are reached');
  t.match(split({ targetingKey: 'vip' }), { variant: { name: 'a' }, reason: 'TARGETING_MATCH' }, 'an override is targeting');
  t.same(split({ targetingKey: 'user-3' }), split({ targetingKey: 'user-3' }), 'sticky');
});

t.test('dependencies: a missing parent is off; enabled:false and variant lists', async (t) => {
  const parent = flag('parent', [{ name: 'default', constraints: [{ contextName: 'plan', operator: 'IN', values: ['pro'] }] }], {
    variants: [{ name: 'red', weight: 1000 }],
  });
  const definitions = definitionsOf([
    parent,
    flag('child', [{ name: 'default' }], { dependencies: [{ feature: 'parent' }] }),
    flag('when_parent_off', [{ name: 'default' }], { dependencies: [{ feature: 'parent', enabled: false }] }),
    flag('when_red', [{ name: 'default' }], { dependencies: [{ feature: 'parent', variants: ['red'] }] }),
    flag('when_blue', [{ name: 'default' }], { dependencies: [{ feature: 'parent', variants: ['blue'] }] }),
    flag('orphan', [{ name: 'default' }], { dependencies: [{ feature: 'gone' }] }),
  ]);
  const on = (key: string, plan: string) => isEnabled(definitions, key, { plan });
  t.same([on('child', 'pro'), on('child', 'free')], [true, false]);
  t.same([on('when_parent_off', 'pro'), on('when_parent_off', 'free')], [false, true]);
  t.same([on('when_red', 'pro'), on('when_blue', 'pro')], [true, false]);
  t.equal(on('orphan', 'pro'), false);
  t.match(evaluate(definitions, 'child', { plan: 'free' }), { enabled: false, reason: 'DEFAULT' });
});

t.test('bad values: never a throw; what does not parse never matches (then inverted flips it)', async (t) => {
  const cases: Array<[string, Constraint, Record<string, unknown>, boolean]> = [
    ['regex that does not compile', { contextName: 'a', operator: 'REGEX', value: '(unclosed' }, { a: 'x' }, false],
    ['inverted regex that does not compile', { contextName: 'a', operator: 'REGEX', value: '(unclosed', inverted: true }, { a: 'x' }, true],
    ['semver value that does not parse', { contextName: 'v', operator: 'SEMVER_GT', value: 'one.two' }, { v: '1.0.0' }, false],
    ['context semver that does not parse', { contextName: 'v', operator: 'SEMVER_GT', value: '1.0.0' }, { v: 'banana' }, false],
    ['context semver with a v', { contextName: 'v', operator: 'SEMVER_GT', value: '1.0.0' }, { v: 'v2.0.0' }, false],
    ['number value that does not parse', { contextName: 'n', operator: 'NUM_GT', value: 'ten' }, { n: 11 }, false],
    ['context number that does not parse', { contextName: 'n', operator: 'NUM_GT', value: '10' }, { n: 'eleven' }, false],
    ['date that does not parse', { contextName: 'currentTime', operator: 'DATE_AFTER', value: 'someday' }, {}, false],
    ['CIDR that does not parse', { contextName: 'ip', operator: 'IN_CIDR', values: ['10.0.0.0/99', 'nope'] }, { ip: '10.0.0.1' }, false],
    ['context IP that does not parse', { contextName: 'ip', operator: 'IN_CIDR', values: ['10.0.0.0/8'] }, { ip: '10.1' }, false],
    ['unknown operator', { contextName: 'a', operator: 'STR_SOUNDS_LIKE', values: ['x'] }, { a: 'x' }, false],
    ['unknown operator, inverted', { contextName: 'a', operator: 'STR_SOUNDS_LIKE', values: ['x'], inverted: true }, { a: 'x' }, false],
  ];
  for (const [label, constraint, context, expected] of cases) {
    t.equal(only(flag('bad', [withConstraints(constraint)]))(context).enabled, expected, label);
  }
  t.equal(only(flag('unknown_strategy', [{ name: 'myCustomStrategy' }]))({}).enabled, false, 'unknown strategy never matches');
  t.match(
    only(flag('bad_payload', [{ name: 'default' }], { variants: [{ name: 'n', weight: 1000, payload: { type: 'number', value: 'many' } }] }))({}),
    { enabled: true, value: true, reason: 'ERROR', errorCode: 'PARSE_ERROR', errorMessage: /not a number/ },
    'a payload that does not parse: the boolean, with PARSE_ERROR',
  );
});

t.test('a regex built to backtrack catastrophically runs in linear time (re2js, never RegExp)', async (t) => {
  const compiled = compileRegex('(a+)+$', false);
  t.ok(compiled.ok && compiled.regex instanceof RE2JS, 'REGEX constraints compile with re2js');
  const evil = only(flag('evil', [withConstraints({ contextName: 'input', operator: 'REGEX', value: '(a+)+$' })]));
  // A backtracking engine needs ~2^n steps on n a's followed by a character that fails the
  // match; these inputs would never return from one.
  for (const length of [100, 500, MAX_CONTEXT_VALUE_LENGTH - 1]) {
    t.equal(evil({ input: `${'a'.repeat(length)}!` }).enabled, false, `${length} a's and a !`);
  }
  t.equal(evil({ input: 'a'.repeat(MAX_CONTEXT_VALUE_LENGTH) }).enabled, true, 'and it still matches what it should');
  t.equal(evil({ input: 'a'.repeat(MAX_CONTEXT_VALUE_LENGTH + 1) }).enabled, false, 'but never a value over the length limit');
});

t.test('expensive parts are compiled once per definition object', async (t) => {
  const definition = flag('cached', [withConstraints({ contextName: 'a', operator: 'REGEX', value: '^x' })]);
  t.equal(compileFlag(definition), compileFlag(definition));
  t.not(compileFlag(definition), compileFlag({ ...definition }), 'a new definition object is compiled anew');
});

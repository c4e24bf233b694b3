import t from 'tap';
import {
  distributeVariantWeights,
  validateDefinition,
  validateSegment,
  type DefinitionIssue,
  type Strategy,
} from '../../packages/evaluation/index.js';
import { definitionOfFeature, specificationFiles } from './support/client-specification.js';

const errors = (issues: DefinitionIssue[]) => issues.filter((issue) => issue.severity === 'error');
const strategy = (constraints: Strategy['constraints'], more: Partial<Strategy> = {}): Strategy => ({ name: 'default', constraints, ...more });

t.test('a value that does not parse is an error naming its path', async (t) => {
  const cases: Array<[Strategy, (string | number)[], string]> = [
    [strategy([{ contextName: 'email', operator: 'REGEX', value: '(unclosed' }]), ['strategies', 0, 'constraints', 0, 'value'], 'invalid_regex'],
    [strategy([{ contextName: 'email', operator: 'REGEX', value: '(a)\\1' }]), ['strategies', 0, 'constraints', 0, 'value'], 'invalid_regex'],
    [strategy([{ contextName: 'v', operator: 'SEMVER_GTE', value: '2.x' }]), ['strategies', 0, 'constraints', 0, 'value'], 'invalid_semver'],
    [strategy([{ contextName: 'n', operator: 'NUM_LT', value: 'ten' }]), ['strategies', 0, 'constraints', 0, 'value'], 'invalid_number'],
    [strategy([{ contextName: 'currentTime', operator: 'DATE_AFTER', value: 'tomorrow' }]), ['strategies', 0, 'constraints', 0, 'value'], 'invalid_date'],
    [strategy([{ contextName: 'ip', operator: 'IN_CIDR', values: ['10.0.0.0/8', '300.1.1.1/8'] }]), ['strategies', 0, 'constraints', 0, 'values', 1], 'invalid_cidr'],
    [strategy([{ contextName: 'country', operator: 'IN', values: [] }]), ['strategies', 0, 'constraints', 0, 'values'], 'invalid_constraint'],
    [{ name: 'flexibleRollout', parameters: { rollout: '101', stickiness: 'default', groupId: 'g' } }, ['strategies', 0, 'parameters', 'rollout'], 'invalid_parameter'],
    [{ name: 'remoteAddress', parameters: { IPs: '10.0.0.1, nope' } }, ['strategies', 0, 'parameters', 'IPs'], 'invalid_cidr'],
    [{ name: 'default', segments: [7] }, ['strategies', 0, 'segments', 0], 'unknown_segment'],
  ];
  for (const [input, path, code] of cases) {
    const issues = validateDefinition({ strategies: [input] }, { segmentIds: new Set([1]) });
    t.match(issues, [{ path, code, severity: 'error', message: String }], code);
    t.equal(issues.length, 1, `only that issue: ${JSON.stringify(issues)}`);
  }
});

t.test('an unknown strategy or operator is a warning (kept, never matches)', async (t) => {
  const issues = validateDefinition({
    strategies: [{ name: 'myCustom' }, strategy([{ contextName: 'a', operator: 'STR_SOUNDS_LIKE', values: ['x'] }])],
  });
  t.match(issues, [
    { path: ['strategies', 0, 'name'], code: 'unknown_strategy', severity: 'warning' },
    { path: ['strategies', 1, 'constraints', 0, 'operator'], code: 'unknown_operator', severity: 'warning' },
  ]);
  t.same(errors(issues), []);
});

t.test('variant weights must add up to 1000, fixed ones at most 1000', async (t) => {
  t.same(validateDefinition({ variants: [{ name: 'a', weight: 500 }, { name: 'b', weight: 500 }] }), []);
  t.match(validateDefinition({ variants: [{ name: 'a', weight: 500 }, { name: 'b', weight: 400 }] }), [
    { path: ['variants'], code: 'variant_weights', message: /900, not 1000/ },
  ]);
  t.match(validateDefinition({ variants: [{ name: 'a', weight: 800, weightType: 'fix' }, { name: 'b', weight: 300, weightType: 'fix' }] }), [
    { path: ['variants'], code: 'variant_weights', message: /fixed weights add up to 1100/ },
  ]);
  t.match(validateDefinition({ strategies: [{ name: 'default', variants: [{ name: 'a', weight: 10 }] }] }), [
    { path: ['strategies', 0, 'variants'], code: 'variant_weights' },
  ]);
  t.match(validateDefinition({ variants: [{ name: 'a', weight: 1000, payload: { type: 'json', value: '{nope' } }] }), [
    { path: ['variants', 0, 'payload', 'value'], code: 'invalid_payload' },
  ]);
  t.match(validateDefinition({ variants: [{ name: 'a', weight: 500 }, { name: 'a', weight: 500 }] }), [
    { path: ['variants', 1, 'name'], code: 'invalid_variant', message: /twice/ },
  ]);
});

t.test("distributeVariantWeights shares what fixed weights leave, as Unleash's admin does", async (t) => {
  const shared = distributeVariantWeights([
    { name: 'fixed', weight: 100, weightType: 'fix' },
    { name: 'a', weight: 0 },
    { name: 'b', weight: 0 },
    { name: 'c', weight: 0, weightType: 'variable' },
  ]);
  t.same(shared.map((variant) => variant.weight), [100, 300, 300, 300]);
  t.same(distributeVariantWeights([{ name: 'a', weight: 0 }, { name: 'b', weight: 0 }, { name: 'c', weight: 0 }]).map((v) => v.weight), [334, 333, 333]);
  t.same(validateDefinition({ variants: shared }), [], 'the result validates');
  t.throws(() => distributeVariantWeights([{ name: 'a', weight: 1001, weightType: 'fix' }]), /over 1000/);
});

t.test('dependencies: a feature name, not itself, variant names', async (t) => {
  t.match(validateDefinition({ key: 'me', dependencies: [{ feature: 'me' }, { feature: '' }, { feature: 'other', variants: [''] }] }), [
    { path: ['dependencies', 0, 'feature'], message: /itself/ },
    { path: ['dependencies', 1, 'feature'] },
    { path: ['dependencies', 2, 'variants'] },
  ]);
});

t.test('segments validate their constraints', async (t) => {
  t.match(validateSegment({ name: 'beta', constraints: [{ contextName: 'v', operator: 'SEMVER_EQ', value: 'x' }] }), [
    { path: ['constraints', 0, 'value'], code: 'invalid_semver' },
  ]);
  t.match(validateSegment({ name: '', constraints: [] }), [{ path: ['name'] }]);
});

t.test('the Unleash specification: its deliberately bad definitions are errors, and all warnings when lenient (import)', async (t) => {
  const strict: string[] = [];
  for (const spec of specificationFiles()) {
    const segmentIds = new Set((spec.state.segments ?? []).map((segment) => segment.id));
    for (const feature of spec.state.features) {
      const definition = definitionOfFeature(feature);
      t.same(errors(validateDefinition(definition, { segmentIds, lenient: true })), [], `lenient: ${spec.file} ${feature.name}`);
      for (const issue of errors(validateDefinition(definition, { segmentIds }))) strict.push(`${feature.name}: ${issue.code}`);
    }
  }
  // What the files test evaluation with on purpose: an invalid regex, lookahead and
  // backreferences (not RE2), empty lists, a missing segment, an invalid IP list.
  for (const expected of [
    'Feature.remoteAddress.C: invalid_cidr',
    'Feature.constraints.empty: invalid_constraint',
    'F9.withMissingSegment: unknown_segment',
    'R91.reject_backreference: invalid_regex',
    'R90.reject_lookahead: invalid_regex',
    'CIDR.invalid.only: invalid_cidr',
  ]) {
    t.ok(strict.includes(expected), expected);
  }
});

import t from 'tap';
import { evaluate, isEnabled, type Definitions } from '../../packages/evaluation/index.js';
import { definitionOfFeature, expectedVariant, specificationFiles } from './support/client-specification.js';

/*
 * The public Unleash client specification (v6.1.0), run through the shared evaluate(), one
 * test per case, as unleash-client-node runs it: every file but the delta-API ones.
 */

for (const spec of specificationFiles()) {
  t.test(`${spec.file}: ${spec.name}`, async (t) => {
    const definitions: Definitions = {
      flags: new Map(spec.state.features.map((feature) => [feature.name, definitionOfFeature(feature)])),
      segments: new Map((spec.state.segments ?? []).map((segment) => [segment.id, segment])),
    };
    for (const test of spec.tests ?? []) {
      t.test(test.description, async (t) => {
        t.equal(isEnabled(definitions, test.toggleName, test.context), test.expectedResult, 'isEnabled');
        t.equal(evaluate(definitions, test.toggleName, test.context).enabled, test.expectedResult, 'evaluate().enabled');
      });
    }
    for (const test of spec.variantTests ?? []) {
      t.test(test.description, async (t) => {
        t.same(evaluate(definitions, test.toggleName, test.context).variant, expectedVariant(test.expectedResult));
      });
    }
  });
}

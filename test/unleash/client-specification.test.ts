import t from 'tap';
import type { Context } from 'unleash-client';
import { specificationFiles } from '../evaluation/support/client-specification.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { createToken, startUnleashClient } from './support.js';

/*
 * The public Unleash client specification (v6.1.0, all but the delta-API files)
 * through FlagShip's client API: each file's state is imported into an
 * environment of its own (POST /v1/import/unleash), and the real unleash-client
 * from npm, pointed at /api, must give the answers the specification expects,
 * the same it gives against Unleash.
 */

const env = await createTestEnvironment(t, 'unleash-client-spec');
const api = await startTestApi(t, env);
const { request } = api;
const admin = env.adminSecret;

for (const [index, spec] of specificationFiles().entries()) {
  t.test(`${spec.file}: ${spec.name}`, async (t) => {
    const environment = `spec-${String(index + 1).padStart(2, '0')}`;
    const created = await request('POST', '/v1/environments', { token: admin, body: { key: environment } });
    t.equal(created.status, 201, `environment ${environment}`);
    const imported = await request('POST', `/v1/import/unleash?environment=${environment}`, { token: admin, body: spec.state });
    t.equal(imported.status, 200, `the state imports: ${imported.status === 200 ? '' : imported.text}`);
    const client = await startUnleashClient(t, api.url, await createToken(request, admin, 'sdk', environment));
    for (const test of spec.tests ?? []) {
      t.equal(client.isEnabled(test.toggleName, test.context as Context), test.expectedResult, `${test.description} (${test.toggleName})`);
    }
    for (const test of spec.variantTests ?? []) {
      const { feature_enabled: featureEnabled, featureEnabled: camel, ...expected } = test.expectedResult;
      const variant = client.getVariant(test.toggleName, test.context as Context);
      t.same(
        { name: variant.name, enabled: variant.enabled, payload: variant.payload, featureEnabled: variant.feature_enabled },
        { payload: undefined, ...expected, featureEnabled: featureEnabled ?? camel ?? variant.feature_enabled },
        `${test.description} (${test.toggleName})`,
      );
    }
    client.destroy();
  });
}

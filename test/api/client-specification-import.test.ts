import t from 'tap';
import { findEnvironment } from '../../shared/domain/environments/environment-repository.js';
import { evaluate, type Definitions } from '../../packages/evaluation/index.js';
import { FlagShipClient } from '../../packages/sdk/index.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { startTestNotifier } from '../helpers/notifier.js';
import { createSdkToken } from '../helpers/tokens.js';
import { definitionOfFeature, expectedVariant, specificationFiles, type SpecFile } from '../evaluation/support/client-specification.js';

/*
 * The Unleash client specification (v6.1.0, all but the delta-API files 19 and
 * 20) as a user would bring it over: each file's state imported over REST into
 * its own environment, then every case checked three ways: through
 * POST /v1/client/evaluate, through the SDK fed by a real notifier, and through
 * evaluate() on what GET /v1/export/unleash gives back.
 */

const env = await createTestEnvironment(t, 'api-client-specification');
const { request } = await startTestApi(t, env);
const notifier = await startTestNotifier(t, env);
const admin = env.adminSecret;

const specs = specificationFiles();

interface Prepared {
  spec: SpecFile;
  environment: string;
  sdkSecret: string;
  warnings: Array<{ path: (string | number)[]; code: string }>;
}

async function prepare(spec: SpecFile): Promise<Prepared> {
  const environment = `spec-${spec.file.slice(0, 2)}`;
  const created = await request('POST', '/v1/environments', { token: admin, body: { key: environment } });
  if (created.status !== 201) throw new Error(`environment ${environment}: ${created.text}`);
  const imported = await request('POST', `/v1/import/unleash?environment=${environment}`, { token: admin, body: spec.state });
  if (imported.status !== 200) throw new Error(`importing ${spec.file}: ${imported.status} ${imported.text}`);
  const sdk = await createSdkToken(request, admin, environment);
  return { spec, environment, sdkSecret: sdk.secret, warnings: imported.body.warnings };
}

// One file at a time: flags and segments are global, so their imports take turns anyway.
const prepared: Prepared[] = [];
for (const spec of specs) prepared.push(await prepare(spec));

/** Runs `work` over `items`, a few at a time (the API answers in parallel; the machine is shared). */
async function inBatches<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += size) await Promise.all(items.slice(start, start + size).map(work));
}

t.test('every file imports; what FlagShip cannot evaluate is a warning, never a refusal', async (t) => {
  t.equal(prepared.length, specs.length);
  t.ok(specs.length >= 20, 'all but the delta-API files');
  const operatorFile = prepared.find((entry) => entry.spec.file.startsWith('13-'))!;
  t.ok(
    operatorFile.warnings.some((warning) => warning.code === 'unknown_operator'),
    'the file with NOT_A_VALID_OPERATOR warns about it',
  );
});

for (const entry of prepared) {
  t.test(`${entry.spec.file} through POST /v1/client/evaluate`, async (t) => {
    await inBatches(entry.spec.tests ?? [], 8, async (test) => {
      const answer = await request('POST', '/v1/client/evaluate', { token: entry.sdkSecret, body: { context: test.context } });
      t.equal(answer.status, 200, `${test.description}: ${answer.status === 200 ? '' : answer.text}`);
      const flag = answer.body.flags?.find((candidate: { key: string }) => candidate.key === test.toggleName);
      t.equal(flag?.enabled ?? false, test.expectedResult, test.description);
    });
    await inBatches(entry.spec.variantTests ?? [], 8, async (test) => {
      const answer = await request('POST', '/v1/client/evaluate', { token: entry.sdkSecret, body: { context: test.context } });
      const flag = answer.body.flags?.find((candidate: { key: string }) => candidate.key === test.toggleName);
      const variant = flag?.variant ?? { name: 'disabled', enabled: false, featureEnabled: false };
      t.same(variant, expectedVariant(test.expectedResult), test.description);
    });
  });
}

t.test('every file through the SDK, fed by a real notifier', async (t) => {
  for (const entry of prepared) {
    await notifier.relayed(entry.environment, (await findEnvironment(env.pool, entry.environment))!.version);
    const client = new FlagShipClient({ url: notifier.url, token: entry.sdkSecret, environment: entry.environment });
    await client.ready();
    for (const test of entry.spec.tests ?? []) {
      t.equal(client.isEnabled(test.toggleName, test.context), test.expectedResult, `${entry.spec.file}: ${test.description}`);
    }
    for (const test of entry.spec.variantTests ?? []) {
      t.same(client.getVariant(test.toggleName, test.context), expectedVariant(test.expectedResult), `${entry.spec.file}: ${test.description}`);
    }
    await client.close();
  }
});

t.test('every file through evaluate() on the exported state', async (t) => {
  for (const entry of prepared) {
    const exported = await request('GET', `/v1/export/unleash?environment=${entry.environment}`, { token: admin });
    t.equal(exported.status, 200);
    const definitions: Definitions = {
      flags: new Map(exported.body.features.map((feature: { name: string }) => [feature.name, definitionOfFeature(feature as never)])),
      segments: new Map(exported.body.segments.map((segment: { id: number }) => [segment.id, segment])),
    };
    for (const test of entry.spec.tests ?? []) {
      t.equal(evaluate(definitions, test.toggleName, test.context).enabled, test.expectedResult, `${entry.spec.file}: ${test.description}`);
    }
    for (const test of entry.spec.variantTests ?? []) {
      t.same(evaluate(definitions, test.toggleName, test.context).variant, expectedVariant(test.expectedResult), `${entry.spec.file}: ${test.description}`);
    }
  }
});

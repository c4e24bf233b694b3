import t from 'tap';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { createSdkToken } from '../helpers/tokens.js';
import { dumpDatabase } from './support/database-dump.js';

const env = await createTestEnvironment(t, 'api-unleash-import');
const { request } = await startTestApi(t, env);
const admin = env.adminSecret;

const state = {
  version: 2,
  segments: [{ id: 7, constraints: [{ contextName: 'email', operator: 'STR_ENDS_WITH', values: ['@acme.com'], inverted: false, caseInsensitive: true }] }],
  features: [
    {
      name: 'pricing_page',
      description: 'The new pricing page',
      type: 'experiment',
      project: 'default',
      stale: false,
      enabled: true,
      strategies: [
        {
          name: 'flexibleRollout',
          parameters: { rollout: '100', stickiness: 'default', groupId: 'pricing_page' },
          constraints: [{ contextName: 'appVersion', operator: 'SEMVER_GTE', value: '2.3.0' }],
          segments: [7],
          variants: [{ name: 'annual', weight: 1000, weightType: 'variable', stickiness: 'default', payload: { type: 'string', value: 'annual' } }],
          sortOrder: 0,
        },
        { name: 'myCustomStrategy', parameters: { shards: '3' }, constraints: [] },
        { name: 'default', constraints: [{ contextName: 'country', operator: 'STR_SOUNDS_LIKE', values: ['de'] }] },
      ],
      variants: [],
      dependencies: [{ feature: 'base_flag', enabled: true }],
      lastSeenAt: null,
    },
    { name: 'base_flag', enabled: true, strategies: [{ name: 'default', parameters: {} }], variants: null },
  ],
};

t.test('an import creates the segments and flags, each change a change event, and lists what it cannot evaluate as warnings', async (t) => {
  const before = await request('GET', '/v1/events?environment=prod', { token: admin });
  const imported = await request('POST', '/v1/import/unleash?environment=prod', { token: admin, body: state });
  t.equal(imported.status, 200, imported.text);
  t.match(imported.body, {
    environment: 'prod',
    flags: { created: ['pricing_page', 'base_flag'], updated: [], unchanged: [] },
    segments: { created: [7], updated: [], unchanged: [] },
  });
  t.same(
    imported.body.warnings.map((warning: { path: (string | number)[]; code: string }) => [warning.path.join('.'), warning.code]).sort(),
    [
      ['features.0.strategies.1.name', 'unknown_strategy'],
      ['features.0.strategies.2.constraints.0.operator', 'unknown_operator'],
    ],
  );

  const stored = await request('GET', '/v1/flags/pricing_page/environments/prod', { token: admin });
  t.match(stored.body, {
    enabled: true,
    rollout: null,
    dependencies: [{ feature: 'base_flag', enabled: true }],
    strategies: [
      { name: 'flexibleRollout', segments: [7], variants: [{ name: 'annual' }] },
      { name: 'myCustomStrategy', parameters: { shards: '3' } },
      { name: 'default', constraints: [{ operator: 'STR_SOUNDS_LIKE' }] },
    ],
  });
  t.notOk('sortOrder' in stored.body.strategies[0], 'the list order is the sort order');
  const flag = await request('GET', '/v1/flags/pricing_page', { token: admin });
  t.match(flag.body, { description: 'The new pricing page', type: 'experiment' });
  const segment = await request('GET', '/v1/segments/7', { token: admin });
  t.match(segment.body, { id: 7, name: 'segment-7' }, 'Unleash sends segments without names');

  const after = await request('GET', `/v1/events?environment=prod&after=${encodeURIComponent(before.body.cursor)}`, { token: admin });
  t.same(
    after.body.events.map((event: { flag?: string; segment?: number; action: string }) => `${event.flag ?? `segment ${event.segment}`} ${event.action}`),
    ['segment 7 created', 'base_flag created', 'pricing_page created', 'pricing_page updated', 'base_flag updated'],
  );
  const versions = after.body.events.map((event: { version: number }) => event.version);
  t.same(versions, versions.map((_: number, index: number) => versions[0] + index), 'gap-free versions in prod');
  t.equal(imported.body.version, versions.at(-1));

  const sdk = await createSdkToken(request, admin, 'prod');
  const evaluated = await request('POST', '/v1/client/evaluate', {
    token: sdk.secret,
    body: { context: { userId: 'u1', email: 'ada@ACME.com', appVersion: '2.4.0' } },
  });
  t.equal(evaluated.status, 200);
  const byKey = Object.fromEntries(evaluated.body.flags.map((answer: { key: string }) => [answer.key, answer]));
  t.match(byKey.pricing_page, { enabled: true, variant: { name: 'annual', enabled: true, payload: { type: 'string', value: 'annual' } } });
  const outsider = await request('POST', '/v1/client/evaluate', {
    token: sdk.secret,
    body: { context: { userId: 'u1', email: 'bob@example.com', country: 'de', appVersion: '2.4.0' } },
  });
  const outsiderAnswer = outsider.body.flags.find((answer: { key: string }) => answer.key === 'pricing_page');
  t.equal(outsiderAnswer.enabled, false, 'neither the unknown strategy nor the unknown operator matches');
});

t.test('the export gives the same state back, and importing it again changes nothing', async (t) => {
  const exported = await request('GET', '/v1/export/unleash?environment=prod', { token: admin });
  t.equal(exported.status, 200);
  t.equal(exported.body.version, 2);
  const pricing = exported.body.features.find((feature: { name: string }) => feature.name === 'pricing_page');
  const { sortOrder: _sortOrder, ...firstStrategy } = state.features[0]!.strategies[0] as { sortOrder?: number };
  t.match(pricing, {
    name: 'pricing_page',
    description: 'The new pricing page',
    type: 'experiment',
    enabled: true,
    strategies: [firstStrategy, state.features[0]!.strategies[1], state.features[0]!.strategies[2]],
    variants: [],
    dependencies: state.features[0]!.dependencies,
  });
  t.match(exported.body.segments, [{ id: 7, name: 'segment-7', constraints: state.segments[0]!.constraints }]);

  const dump = await dumpDatabase(env.pool);
  const again = await request('POST', '/v1/import/unleash?environment=prod', { token: admin, body: exported.body });
  t.equal(again.status, 200, again.text);
  t.match(again.body, {
    flags: { created: [], updated: [], unchanged: ['base_flag', 'pricing_page'] },
    segments: { created: [], updated: [], unchanged: [7] },
  });
  t.same(await dumpDatabase(env.pool), dump, 'a round trip writes nothing');

  const intoStaging = await request('POST', '/v1/import/unleash?environment=staging', { token: admin, body: exported.body });
  t.equal(intoStaging.status, 200);
  const stagingExport = await request('GET', '/v1/export/unleash?environment=staging', { token: admin });
  t.same(stagingExport.body, exported.body, 'prod exported and imported into staging exports the same');
});

t.test('a bad import is refused whole: 400 naming the field, 409 for an archived flag, nothing stored', async (t) => {
  const cases: Array<{ name: string; body: unknown; status: number; path?: string }> = [
    { name: 'a feature twice', status: 400, path: 'features.1.name', body: { version: 2, features: [{ name: 'x_flag', enabled: true }, { name: 'x_flag', enabled: false }] } },
    { name: 'a weight that is not a number', status: 400, path: 'features.0.variants.0.weight', body: { version: 2, features: [{ name: 'x_flag', enabled: true, variants: [{ name: 'a', weight: 'half' }] }] } },
    { name: 'no features', status: 400, path: 'features', body: { version: 2 } },
  ];
  for (const bad of cases) {
    const dump = await dumpDatabase(env.pool);
    const answer = await request('POST', '/v1/import/unleash?environment=prod', { token: admin, body: bad.body });
    t.equal(answer.status, bad.status, `${bad.name}: ${answer.text}`);
    if (bad.path) {
      t.ok(
        answer.body.error.details.some((detail: { path: string[] }) => detail.path.join('.') === bad.path),
        `${bad.name} names ${bad.path}: ${JSON.stringify(answer.body.error.details)}`,
      );
    }
    t.same(await dumpDatabase(env.pool), dump, `${bad.name}: nothing stored`);
  }

  await request('POST', '/v1/flags', { token: admin, body: { key: 'retired' } });
  await request('DELETE', '/v1/flags/retired', { token: admin });
  const dump = await dumpDatabase(env.pool);
  const archived = await request('POST', '/v1/import/unleash?environment=prod', {
    token: admin,
    body: { version: 2, segments: [{ id: 8, constraints: [] }], features: [{ name: 'retired', enabled: true }] },
  });
  t.equal(archived.status, 409);
  t.match(archived.body.error.message, /retired/);
  t.same(await dumpDatabase(env.pool), dump, 'not even the segment');

  const noEnvironment = await request('POST', '/v1/import/unleash?environment=mars', { token: admin, body: { version: 2, features: [] } });
  t.equal(noEnvironment.status, 404);
  const missingQuery = await request('POST', '/v1/import/unleash', { token: admin, body: { version: 2, features: [] } });
  t.equal(missingQuery.status, 400);
});

t.test('a segment or flag that exists nowhere is kept as Unleash states have it, never matches, and is a warning', async (t) => {
  const imported = await request('POST', '/v1/import/unleash?environment=prod', {
    token: admin,
    body: {
      version: 2,
      features: [
        { name: 'orphan_segment', enabled: true, strategies: [{ name: 'default', segments: [404] }] },
        { name: 'orphan_child', enabled: true, strategies: [{ name: 'default' }], dependencies: [{ feature: 'ghost' }] },
      ],
    },
  });
  t.equal(imported.status, 200, imported.text);
  t.same(
    imported.body.warnings.map((warning: { path: (string | number)[]; code: string }) => [warning.path.join('.'), warning.code]),
    [
      ['features.0.strategies.0.segments.0', 'dangling_reference'],
      ['features.1.dependencies.0.feature', 'dangling_reference'],
    ],
  );
  const sdk = await createSdkToken(request, admin, 'prod');
  const evaluated = await request('POST', '/v1/client/evaluate', { token: sdk.secret, body: { context: { userId: 'u1' } } });
  const byKey = Object.fromEntries(evaluated.body.flags.map((answer: { key: string; enabled: boolean }) => [answer.key, answer.enabled]));
  t.same([byKey.orphan_segment, byKey.orphan_child], [false, false]);
  const put = await request('PUT', '/v1/flags/orphan_segment/environments/prod', {
    token: admin,
    body: { enabled: true, strategies: [{ name: 'default', segments: [404] }] },
  });
  t.equal(put.status, 400, 'PUT still refuses it');
});

t.test('an import larger than the usual 64 KB body limit is taken (up to 10 MB)', async (t) => {
  const emails = Array.from({ length: 100 }, (_, index) => `someone-${index}@example.com`);
  const features = Array.from({ length: 40 }, (_, index) => ({
    name: `bulk_${String(index).padStart(3, '0')}`,
    enabled: index % 2 === 0,
    strategies: [
      {
        name: 'flexibleRollout',
        parameters: { rollout: String(index), stickiness: 'default', groupId: `bulk_${index}` },
        constraints: [{ contextName: 'email', operator: 'IN', values: emails }],
      },
    ],
  }));
  const body = { version: 2, features };
  t.ok(JSON.stringify(body).length > 64 * 1024);
  const imported = await request('POST', '/v1/import/unleash?environment=dev', { token: admin, body });
  t.equal(imported.status, 200, imported.text.slice(0, 300));
  t.equal(imported.body.flags.created.length, 40);
});

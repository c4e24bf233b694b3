import t from 'tap';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { dumpDatabase } from './support/database-dump.js';

const env = await createTestEnvironment(t, 'api-targeting-admin');
const { request } = await startTestApi(t, env);
const admin = env.adminSecret;

async function createFlag(key: string): Promise<void> {
  const created = await request('POST', '/v1/flags', { token: admin, body: { key } });
  if (created.status !== 201) throw new Error(`creating ${key}: ${created.text}`);
}

const acmeConstraint = { contextName: 'email', operator: 'STR_ENDS_WITH', values: ['@acme.com'], caseInsensitive: true };

const segment = await request('POST', '/v1/segments', {
  token: admin,
  body: { name: 'acme-staff', description: 'Acme employees', constraints: [acmeConstraint] },
});
const segmentId: number = segment.body.id;
await createFlag('checkout');
await createFlag('new_ui');

const fullConfig = {
  enabled: true,
  strategies: [
    {
      name: 'flexibleRollout',
      parameters: { rollout: '100', stickiness: 'default', groupId: 'checkout' },
      constraints: [{ contextName: 'appVersion', operator: 'SEMVER_GTE', value: '2.3.0' }],
      segments: [segmentId],
      variants: [{ name: 'blue', weight: 1000, payload: { type: 'string', value: 'blue' } }],
    },
    { id: 'beta', name: 'userWithId', parameters: { userIds: 'u1,u2' } },
  ],
  variants: [
    { name: 'a', weight: 500, payload: { type: 'json', value: '{"color":"red"}' } },
    { name: 'b', weight: 500 },
  ],
  dependencies: [{ feature: 'new_ui' }],
};

t.test('segments: create, list, read, change', async (t) => {
  t.equal(segment.status, 201);
  t.match(segment.body, { name: 'acme-staff', description: 'Acme employees', constraints: [acmeConstraint], deleted: false });
  const list = await request('GET', '/v1/segments', { token: admin });
  t.same(list.body.segments.map((listed: { id: number }) => listed.id), [segmentId]);
  const read = await request('GET', `/v1/segments/${segmentId}`, { token: admin });
  t.same(read.body, segment.body);
  const duplicate = await request('POST', '/v1/segments', { token: admin, body: { name: 'acme-staff', constraints: [] } });
  t.equal(duplicate.status, 409);
  const missing = await request('GET', '/v1/segments/999', { token: admin });
  t.equal(missing.status, 404);
  const notAnId = await request('GET', '/v1/segments/abc', { token: admin });
  t.equal(notAnId.status, 400);
  const sdk = await request('POST', '/v1/tokens', { token: admin, body: { name: 'sdk', kind: 'sdk', environment: 'prod' } });
  const forbidden = await request('GET', '/v1/segments', { token: sdk.body.secret });
  t.equal(forbidden.status, 403, 'an sdk token cannot manage segments');
});

t.test('PUT replaces the whole configuration in one change event, and GET shows it', async (t) => {
  const before = await request('GET', '/v1/flags/checkout/environments/prod', { token: admin });
  const put = await request('PUT', '/v1/flags/checkout/environments/prod', {
    token: admin,
    body: fullConfig,
    headers: { 'if-match': before.headers.get('etag')! },
  });
  t.equal(put.status, 200, put.text);
  t.ok(put.body.version > before.body.version, 'a new version');
  t.equal(put.headers.get('etag'), `"${put.body.version}"`);
  t.equal(put.body.rollout, null, 'no longer the simple case');
  t.match(put.body, { enabled: true, variants: fullConfig.variants, dependencies: fullConfig.dependencies });
  t.match(put.body.strategies, [
    { name: 'flexibleRollout', segments: [segmentId], constraints: [{ operator: 'SEMVER_GTE', value: '2.3.0' }] },
    { id: 'beta', name: 'userWithId', parameters: { userIds: 'u1,u2' } },
  ]);
  t.type(put.body.strategies[0].id, 'string', 'a strategy without an id gets one');

  const flag = await request('GET', '/v1/flags/checkout', { token: admin });
  const { lastSeenAt: _lastSeenAt, ...shown } = flag.body.environments.prod;
  t.same(shown, put.body, 'GET /v1/flags/{key} shows the targeting');
  const events = await request('GET', '/v1/events?flag=checkout&environment=prod', { token: admin });
  t.equal(events.body.events.length, 2, 'created, then one event for the whole replacement');
  t.same(events.body.events[1].after, put.body);

  const again = await request('PUT', '/v1/flags/checkout/environments/prod', {
    token: admin,
    body: { ...fullConfig, strategies: put.body.strategies },
  });
  t.equal(again.body.version, put.body.version, 'the same configuration again writes nothing');

  const simple = await request('PUT', '/v1/flags/checkout/environments/prod', {
    token: admin,
    body: { enabled: true, strategies: [{ name: 'flexibleRollout', parameters: { rollout: '30', stickiness: 'default', groupId: 'checkout' } }] },
  });
  t.equal(simple.status, 200);
  t.equal(simple.body.rollout, 30, 'back to the simple case: rollout reads again');
  t.same([simple.body.variants, simple.body.dependencies], [[], []], 'variants and dependencies default to none');
});

t.test('PUT with a stale If-Match is a 412 and writes nothing', async (t) => {
  const current = await request('GET', '/v1/flags/new_ui/environments/prod', { token: admin });
  const dump = await dumpDatabase(env.pool);
  const stale = await request('PUT', '/v1/flags/new_ui/environments/prod', {
    token: admin,
    body: { enabled: true, strategies: [] },
    headers: { 'if-match': `"${current.body.version - 1}"` },
  });
  t.equal(stale.status, 412);
  t.match(stale.body.error, { code: 'precondition_failed', details: { currentVersion: current.body.version } });
  t.same(await dumpDatabase(env.pool), dump);
});

const validStrategy = { name: 'flexibleRollout', parameters: { rollout: '50', stickiness: 'default', groupId: 'new_ui' } };
const withConstraint = (constraint: Record<string, unknown>) => ({
  enabled: true,
  strategies: [{ ...validStrategy, constraints: [constraint] }],
});

const badDefinitions: Array<{ name: string; body: unknown; path: (string | number)[] }> = [
  { name: 'an unknown strategy', body: { enabled: true, strategies: [{ name: 'myCustomStrategy' }] }, path: ['strategies', 0, 'name'] },
  { name: 'an unknown operator', body: withConstraint({ contextName: 'x', operator: 'LIKE', values: ['a'] }), path: ['strategies', 0, 'constraints', 0, 'operator'] },
  { name: 'a regex that does not compile', body: withConstraint({ contextName: 'email', operator: 'REGEX', value: '(a' }), path: ['strategies', 0, 'constraints', 0, 'value'] },
  { name: 'a backreference (not linear-time)', body: withConstraint({ contextName: 'email', operator: 'REGEX', value: '(a)\\1' }), path: ['strategies', 0, 'constraints', 0, 'value'] },
  { name: 'an unparsable semver', body: withConstraint({ contextName: 'appVersion', operator: 'SEMVER_GT', value: 'two' }), path: ['strategies', 0, 'constraints', 0, 'value'] },
  { name: 'an unparsable number', body: withConstraint({ contextName: 'age', operator: 'NUM_GT', value: 'ten' }), path: ['strategies', 0, 'constraints', 0, 'value'] },
  { name: 'an unparsable date', body: withConstraint({ contextName: 'currentTime', operator: 'DATE_AFTER', value: 'tomorrow' }), path: ['strategies', 0, 'constraints', 0, 'value'] },
  { name: 'an unparsable CIDR', body: withConstraint({ contextName: 'remoteAddress', operator: 'IN_CIDR', values: ['10.0.0.0/99'] }), path: ['strategies', 0, 'constraints', 0, 'values', 0] },
  {
    name: 'weights that do not add up',
    body: { enabled: true, strategies: [validStrategy], variants: [{ name: 'a', weight: 400 }, { name: 'b', weight: 400 }] },
    path: ['variants'],
  },
  { name: 'a rollout that is not a percentage', body: { enabled: true, strategies: [{ ...validStrategy, parameters: { rollout: '150' } }] }, path: ['strategies', 0, 'parameters', 'rollout'] },
  { name: 'a dependency on an unknown flag', body: { enabled: true, strategies: [], dependencies: [{ feature: 'ghost' }] }, path: ['dependencies', 0, 'feature'] },
  { name: 'a dependency on itself', body: { enabled: true, strategies: [], dependencies: [{ feature: 'new_ui' }] }, path: ['dependencies', 0, 'feature'] },
  { name: 'a segment that does not exist', body: { enabled: true, strategies: [{ ...validStrategy, segments: [4242] }] }, path: ['strategies', 0, 'segments', 0] },
  { name: 'two strategies with one id', body: { enabled: true, strategies: [{ ...validStrategy, id: 'x' }, { ...validStrategy, id: 'x' }] }, path: ['strategies', 1, 'id'] },
  { name: 'an unknown field', body: { enabled: true, strategies: [{ ...validStrategy, colour: 'red' }] }, path: ['strategies', 0] },
  { name: 'a missing enabled', body: { strategies: [] }, path: ['enabled'] },
];

t.test('every bad definition is a 400 naming the field, and nothing is stored', async (t) => {
  for (const bad of badDefinitions) {
    const dump = await dumpDatabase(env.pool);
    const answer = await request('PUT', '/v1/flags/new_ui/environments/prod', { token: admin, body: bad.body });
    t.equal(answer.status, 400, `${bad.name}: ${answer.text}`);
    t.equal(answer.body?.error?.code, 'invalid_request', bad.name);
    t.ok(
      answer.body.error.details.some((detail: { path: string[] }) => detail.path.join('.') === bad.path.join('.')),
      `${bad.name} names ${bad.path.join('.')}: ${JSON.stringify(answer.body.error.details)}`,
    );
    t.same(await dumpDatabase(env.pool), dump, `${bad.name}: nothing stored`);
  }
});

t.test('targeting over 64 KB is refused with 413 (or the body limit), nothing stored', async (t) => {
  const dump = await dumpDatabase(env.pool);
  const values = Array.from({ length: 4000 }, (_, index) => `user-${index}@example.com`);
  const answer = await request('PUT', '/v1/flags/new_ui/environments/prod', {
    token: admin,
    body: withConstraint({ contextName: 'email', operator: 'IN', values }),
  });
  t.equal(answer.status, 413);
  t.same(await dumpDatabase(env.pool), dump);
});

t.test('bad segments are 400s naming the field; nothing stored', async (t) => {
  const dump = await dumpDatabase(env.pool);
  const badRegex = await request('POST', '/v1/segments', {
    token: admin,
    body: { name: 'broken', constraints: [{ contextName: 'email', operator: 'REGEX', value: '[' }] },
  });
  t.equal(badRegex.status, 400);
  t.match(badRegex.body.error.details, [{ path: ['constraints', '0', 'value'] }]);
  const badOperator = await request('PATCH', `/v1/segments/${segmentId}`, {
    token: admin,
    body: { constraints: [{ contextName: 'email', operator: 'ENDS', values: ['x'] }] },
  });
  t.equal(badOperator.status, 400);
  t.match(badOperator.body.error.details, [{ path: ['constraints', '0', 'operator'] }]);
  const noName = await request('POST', '/v1/segments', { token: admin, body: { name: '', constraints: [] } });
  t.equal(noName.status, 400);
  t.same(await dumpDatabase(env.pool), dump);
});

t.test('a segment in use cannot be deleted: 409 naming the flags; unused, it goes', async (t) => {
  await request('PUT', '/v1/flags/new_ui/environments/staging', {
    token: admin,
    body: { enabled: true, strategies: [{ ...validStrategy, segments: [segmentId] }] },
  });
  const dump = await dumpDatabase(env.pool);
  const refused = await request('DELETE', `/v1/segments/${segmentId}`, { token: admin });
  t.equal(refused.status, 409);
  t.match(refused.body.error.message, /'new_ui'/);
  t.same(refused.body.error.details.usedBy, [{ flag: 'new_ui', environment: 'staging' }]);
  t.same(await dumpDatabase(env.pool), dump);

  await request('PUT', '/v1/flags/new_ui/environments/staging', { token: admin, body: { enabled: true, strategies: [validStrategy] } });
  const renamed = await request('PATCH', `/v1/segments/${segmentId}`, { token: admin, body: { name: 'acme' } });
  t.equal(renamed.status, 200);
  t.match(renamed.body, { name: 'acme', constraints: [acmeConstraint] });
  const deleted = await request('DELETE', `/v1/segments/${segmentId}`, { token: admin });
  t.equal(deleted.status, 200);
  t.match(deleted.body, { id: segmentId, deleted: true });
  t.equal((await request('GET', `/v1/segments/${segmentId}`, { token: admin })).status, 404);
});

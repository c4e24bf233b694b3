import t from 'tap';
import { definitionsOf, evaluate } from '../../packages/evaluation/index.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { createSdkToken } from '../helpers/tokens.js';
import { personalTokenOf } from '../helpers/people.js';

const env = await createTestEnvironment(t, 'history-api');
const { request } = await startTestApi(t, env);
const admin = env.adminSecret;
const sdk = await createSdkToken(request, admin, 'staging');

async function call(method: string, path: string, body?: unknown, headers?: Record<string, string>) {
  const response = await request(method, path, { token: admin, body, headers });
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${response.text}`);
  return response;
}
const flagPath = (key: string, environment: string) => `/v1/flags/${encodeURIComponent(key)}/environments/${environment}`;

const proSegment = (await call('POST', '/v1/segments', { name: 'pro-plan', constraints: [{ contextName: 'plan', operator: 'IN', values: ['pro'] }] })).body.id as number;
await call('POST', '/v1/flags', { key: 'parent', environments: { staging: { enabled: false } } });
await call('POST', '/v1/flags', { key: 'checkout' });
await call('PUT', flagPath('checkout', 'staging'), {
  enabled: true,
  strategies: [
    {
      id: 'acme-pro',
      name: 'flexibleRollout',
      parameters: { rollout: '50', stickiness: 'default', groupId: 'checkout' },
      constraints: [{ contextName: 'email', operator: 'STR_ENDS_WITH', values: ['@acme.com'] }],
      segments: [proSegment],
    },
  ],
  variants: [{ name: 'red', weight: 500 }, { name: 'blue', weight: 500 }],
  dependencies: [],
});
await call('POST', '/v1/flags', { key: 'child' });
await call('PUT', flagPath('child', 'staging'), { enabled: true, strategies: [], variants: [], dependencies: [{ feature: 'parent' }] });
await call('POST', '/v1/flags', { key: 'simple', environments: { staging: { enabled: true, rollout: 30 } } });

const contexts = [
  { targetingKey: 'user-1', email: 'ada@acme.com', plan: 'pro' },
  { targetingKey: 'user-2', email: 'bob@acme.com', plan: 'free' },
  { targetingKey: 'user-3', email: 'eve@evil.com', plan: 'pro' },
  { email: 'ada@acme.com', plan: 'pro' },
  ...Array.from({ length: 20 }, (_, index) => ({ targetingKey: `u-${index}`, email: `u${index}@acme.com`, plan: 'pro' })),
];

t.test('the playground answers as /v1/client/evaluate does, explained or not', async (t) => {
  for (const context of contexts) {
    const evaluated = await request('POST', '/v1/client/evaluate', { token: sdk.secret, body: { context } });
    const plain = await request('POST', '/v1/playground', { token: admin, body: { environment: 'staging', context } });
    const explained = await request('POST', '/v1/playground', { token: admin, body: { environment: 'staging', context, explain: true } });
    t.equal(plain.status, 200);
    t.same(plain.body, evaluated.body, `same answers for ${JSON.stringify(context)}`);
    const withoutTrace = explained.body.flags.map(({ trace, ...answer }: { trace: unknown }) => {
      t.ok(Array.isArray(trace) && trace.length > 0, 'each explained answer has a trace');
      return answer;
    });
    t.same({ ...explained.body, flags: withoutTrace }, evaluated.body, 'explaining changes no answer');
  }
  const some = await call('POST', '/v1/playground', { environment: 'staging', context: contexts[0], flags: ['simple', 'nope'] });
  t.same(some.body.flags.map((answer: { key: string }) => answer.key), ['simple', 'nope'], 'only the flags asked for, in that order');
  t.equal(some.body.flags[1].errorCode, 'FLAG_NOT_FOUND');
});

type Step = Record<string, unknown> & { kind: string; held: boolean };
async function traceOf(key: string, context: Record<string, unknown>): Promise<{ answer: Record<string, unknown>; trace: Step[] }> {
  const response = await call('POST', '/v1/playground', { environment: 'staging', context, flags: [key], explain: true });
  const { trace, ...answer } = response.body.flags[0];
  return { answer, trace };
}

t.test('the trace says what each check saw and whether it held', async (t) => {
  const free = await traceOf('checkout', { targetingKey: 'user-2', email: 'bob@acme.com', plan: 'free' });
  t.match(free.trace, [
    { kind: 'flag', flag: 'checkout', enabled: true, held: true },
    { kind: 'strategy', strategy: 0, id: 'acme-pro', name: 'flexibleRollout', held: false },
    { kind: 'constraint', strategy: 0, contextName: 'email', operator: 'STR_ENDS_WITH', contextValue: 'bob@acme.com', held: true },
    { kind: 'segment', strategy: 0, segment: proSegment, name: 'pro-plan', held: false },
    { kind: 'constraint', strategy: 0, segment: proSegment, contextName: 'plan', operator: 'IN', contextValue: 'free', held: false },
  ]);
  t.notOk(free.trace.some((step) => step.kind === 'rollout'), 'the rollout is not reached when a segment fails');
  t.equal(free.answer.enabled, false);

  const outsider = await traceOf('checkout', { targetingKey: 'user-3', email: 'eve@evil.com', plan: 'pro' });
  t.match(outsider.trace.find((step) => step.kind === 'constraint' && step.contextName === 'email'), { contextValue: 'eve@evil.com', held: false });

  // Pro users at acme: the constraint and the segment hold, the 50% rollout decides by bucket.
  const definitions = definitionsOf((await call('GET', '/v1/environments/staging/snapshot?asOf=' + (await call('GET', '/v1/environments')).body.environments.find((e: { key: string }) => e.key === 'staging').version)).body.flags, [
    { id: proSegment, name: 'pro-plan', constraints: [{ contextName: 'plan', operator: 'IN', values: ['pro'] }] },
  ]);
  let on = 0;
  let off = 0;
  for (let user = 0; user < 20; user += 1) {
    const context = { targetingKey: `u-${user}`, email: `u${user}@acme.com`, plan: 'pro' };
    const { answer, trace } = await traceOf('checkout', context);
    const expected = evaluate(definitions, 'checkout', context);
    const rollout = trace.find((step) => step.kind === 'rollout')!;
    t.match(rollout, { strategy: 0, percentage: '50', stickiness: 'default', groupId: 'checkout', contextValue: `u-${user}`, bucket: expected.bucket });
    t.equal(rollout.held, (rollout.bucket as number) <= 50, 'held when the bucket is within the percentage');
    t.equal(trace.find((step) => step.kind === 'strategy')!.held, answer.enabled);
    t.equal(answer.enabled, expected.enabled);
    if (answer.enabled) {
      on += 1;
      t.match(trace.at(-1), { kind: 'variant', source: 'flag', name: (answer.variant as { name: string }).name, by: 'hash', totalWeight: 1000, held: true });
      t.ok((trace.at(-1)!.hash as number) >= 1 && (trace.at(-1)!.hash as number) <= 1000);
    } else off += 1;
  }
  t.ok(on > 0 && off > 0, `both sides of the rollout were seen (${on} on, ${off} off)`);

  const noKey = await traceOf('checkout', { email: 'ada@acme.com', plan: 'pro' });
  t.match(noKey.trace.find((step) => step.kind === 'rollout'), { contextValue: null, keyMissing: true, held: false });
  t.equal(noKey.answer.errorCode, 'TARGETING_KEY_MISSING');

  const child = await traceOf('child', { targetingKey: 'user-1' });
  t.match(child.trace, [{ kind: 'flag', held: true }, { kind: 'dependency', flag: 'parent', expected: 'enabled', parentEnabled: false, held: false }]);
  t.equal(child.answer.enabled, false);
  await call('PATCH', flagPath('parent', 'staging'), { enabled: true });
  const childNow = await traceOf('child', { targetingKey: 'user-1' });
  t.match(childNow.trace, [{ kind: 'flag', held: true }, { kind: 'dependency', flag: 'parent', parentEnabled: true, held: true }]);
  t.equal(childNow.answer.enabled, true);
  await call('PATCH', flagPath('parent', 'staging'), { enabled: false });

  const disabled = await traceOf('parent', { targetingKey: 'user-1' });
  t.same(disabled.trace, [{ kind: 'flag', flag: 'parent', enabled: false, held: false }]);
});

t.test('restore puts a state back exactly, as one new change', async (t) => {
  await call('POST', '/v1/flags', { key: 'banner' });
  const first = await call('PUT', flagPath('banner', 'staging'), {
    enabled: true,
    strategies: [
      { id: 'kept-id', name: 'userWithId', parameters: { userIds: 'u1,u2' } },
      { name: 'flexibleRollout', parameters: { rollout: '25', stickiness: 'default', groupId: 'banner' }, segments: [proSegment] },
    ],
    variants: [{ name: 'x', weight: 1000, payload: { type: 'string', value: 'hello' } }],
    dependencies: [{ feature: 'parent', enabled: false }],
  });
  const restoredVersion = first.body.version as number;
  const changed = await call('PUT', flagPath('banner', 'staging'), { enabled: false, strategies: [], variants: [], dependencies: [] });
  await call('PATCH', flagPath('banner', 'staging'), { enabled: true });
  const before = (await call('GET', `/v1/events?environment=staging&flag=banner&limit=1000`)).body.events;

  const stale = await request('POST', `${flagPath('banner', 'staging')}/restore`, { token: admin, body: { version: restoredVersion }, headers: { 'if-match': `"${changed.body.version}"` } });
  t.equal(stale.status, 412, 'If-Match naming an older version is refused');
  const current = await call('GET', flagPath('banner', 'staging'));
  const restored = await call('POST', `${flagPath('banner', 'staging')}/restore`, { version: restoredVersion }, { 'if-match': current.headers.get('etag')! });
  for (const field of ['enabled', 'strategies', 'variants', 'dependencies', 'rollout'] as const) {
    t.same(restored.body[field], first.body[field], `${field} as it was at version ${restoredVersion}`);
  }
  t.equal(restored.body.strategies[1].id, first.body.strategies[1].id, 'the generated strategy id comes back too');
  t.ok(restored.body.version > current.body.version, 'a new version');
  const after = (await call('GET', `/v1/events?environment=staging&flag=banner&limit=1000`)).body.events;
  t.same(after.slice(0, before.length), before, 'history is never rewritten');
  t.equal(after.length, before.length + 1, 'one new event');
  t.same(after.at(-1).after.strategies, first.body.strategies);

  const again = await call('POST', `${flagPath('banner', 'staging')}/restore`, { version: restoredVersion });
  t.equal(again.body.version, restored.body.version, 'restoring what is already there writes nothing');

  const snapshotThen = await call('GET', `/v1/environments/staging/snapshot?asOf=${restoredVersion}`);
  const snapshotNow = await call('GET', `/v1/environments/staging/snapshot?asOf=${restored.body.version}`);
  const pick = (snapshot: { flags: { key: string }[] }) => snapshot.flags.find((flag) => flag.key === 'banner') as Record<string, unknown>;
  t.same(
    { ...pick(snapshotNow.body), version: 0, updatedAt: '' },
    { ...pick(snapshotThen.body), version: 0, updatedAt: '' },
    'the flag in the snapshot now is the flag then, but for its version and time',
  );

  const none = await request('POST', `${flagPath('banner', 'staging')}/restore`, { token: admin, body: { version: 1 } });
  t.equal(none.status, 400, 'a version before the flag existed');
  t.match(none.body.error.details, [{ path: ['version'] }]);
  const future = await request('POST', `${flagPath('banner', 'staging')}/restore`, { token: admin, body: { version: 10_000_000 } });
  t.equal(future.status, 400);
  t.match(future.body.error.details, [{ path: ['version'] }]);
  const negative = await request('POST', `${flagPath('banner', 'staging')}/restore`, { token: admin, body: { version: -1 } });
  t.equal(negative.status, 400);
  const missing = await request('POST', `${flagPath('nope', 'staging')}/restore`, { token: admin, body: { version: 1 } });
  t.equal(missing.status, 404);

  // A state naming a segment deleted since cannot come back: 400 naming it.
  const doomed = (await call('POST', '/v1/segments', { name: 'doomed', constraints: [] })).body.id as number;
  await call('POST', '/v1/flags', { key: 'uses-doomed' });
  const withSegment = await call('PUT', flagPath('uses-doomed', 'staging'), { enabled: true, strategies: [{ name: 'default', segments: [doomed] }], variants: [], dependencies: [] });
  await call('PUT', flagPath('uses-doomed', 'staging'), { enabled: true, strategies: [], variants: [], dependencies: [] });
  await call('DELETE', `/v1/segments/${doomed}`);
  const gone = await request('POST', `${flagPath('uses-doomed', 'staging')}/restore`, { token: admin, body: { version: withSegment.body.version } });
  t.equal(gone.status, 400);
  t.match(gone.body.error.message, `no segment has id ${doomed}`);
});

t.test('copy promotes a state to another environment', async (t) => {
  const source = await call('GET', flagPath('checkout', 'staging'));
  const target = await call('GET', flagPath('checkout', 'prod'));
  const stale = await request('POST', `${flagPath('checkout', 'prod')}/copy`, { token: admin, body: { from: 'staging' }, headers: { 'if-match': `"${target.body.version + 1000}"` } });
  t.equal(stale.status, 412);
  const copied = await call('POST', `${flagPath('checkout', 'prod')}/copy`, { from: 'staging' }, { 'if-match': target.headers.get('etag')! });
  t.equal(copied.body.environment, 'prod');
  for (const field of ['enabled', 'strategies', 'variants', 'dependencies', 'rollout'] as const) t.same(copied.body[field], source.body[field], field);
  const self = await request('POST', `${flagPath('checkout', 'prod')}/copy`, { token: admin, body: { from: 'prod' } });
  t.equal(self.status, 400);
  t.match(self.body.error.details, [{ path: ['from'] }]);
  const unknown = await request('POST', `${flagPath('checkout', 'prod')}/copy`, { token: admin, body: { from: 'nowhere' } });
  t.equal(unknown.status, 404);
  await call('POST', '/v1/flags', { key: 'gone' });
  await call('DELETE', '/v1/flags/gone');
  const archived = await request('POST', `${flagPath('gone', 'prod')}/copy`, { token: admin, body: { from: 'staging' } });
  t.equal(archived.status, 409);
  const bySdk = await request('POST', `${flagPath('checkout', 'prod')}/copy`, { token: sdk.secret, body: { from: 'staging' } });
  t.equal(bySdk.status, 403);
});

t.test('bad asOf and playground input are 4xx naming the field, never a 500', async (t) => {
  const staging = (await call('GET', '/v1/environments')).body.environments.find((e: { key: string }) => e.key === 'staging').version as number;
  const cases: [string, number][] = [
    [`asOf=${staging + 1}`, 400],
    ['asOf=2999-01-01T00:00:00Z', 400],
    ['asOf=1999-01-01T00:00:00Z', 400],
    ['asOf=-1', 400],
    ['asOf=yesterday', 400],
    ['asOf=2026-13-45T99:00:00Z', 400],
    ['asOf=', 400],
    ['asOf=99999999999999999999', 400],
    ['', 400],
    ['asOf=1&other=2', 400],
  ];
  for (const [query, status] of cases) {
    const response = await request('GET', `/v1/environments/staging/snapshot?${query}`, { token: admin });
    t.equal(response.status, status, query);
    t.equal(response.body?.error?.code, 'invalid_request', query);
  }
  const future = await request('GET', `/v1/environments/staging/snapshot?asOf=${staging + 1}`, { token: admin });
  t.match(future.body.error.details, [{ path: ['asOf'] }]);
  t.equal((await request('GET', '/v1/environments/nowhere/snapshot?asOf=0', { token: admin })).status, 404);
  t.equal((await request('GET', '/v1/environments/staging/snapshot?asOf=0', { token: sdk.secret })).status, 403);
  t.equal((await request('GET', '/v1/environments/staging/snapshot?asOf=0')).status, 401);
  const zero = await call('GET', '/v1/environments/staging/snapshot?asOf=0');
  t.same(zero.body, { environment: 'staging', version: 0, flags: [], segments: [] }, 'version 0: nothing yet');

  const playgroundCases: [unknown, string][] = [
    [{ environment: 'staging', context: {}, asOf: 'soon' }, 'asOf'],
    [{ environment: 'staging', context: {}, asOf: staging + 5 }, 'asOf'],
    [{ environment: 'staging', context: {}, asOf: -3 }, 'asOf'],
    [{ environment: 'staging', context: 'user-1' }, 'context'],
    [{ environment: 'staging', context: {}, explain: 'yes' }, 'explain'],
    [{ environment: 'staging', context: {}, flags: [] }, 'flags'],
    [{ environment: 'Staging!', context: {} }, 'environment'],
    [{ context: {} }, 'environment'],
  ];
  for (const [body, field] of playgroundCases) {
    const response = await request('POST', '/v1/playground', { token: admin, body });
    t.equal(response.status, 400, JSON.stringify(body));
    t.match(response.body.error.details, [{ path: [field] }], JSON.stringify(body));
  }
  t.equal((await request('POST', '/v1/playground', { token: admin, body: { environment: 'nowhere', context: {} } })).status, 404);
  t.equal((await request('POST', '/v1/playground', { token: sdk.secret, body: { environment: 'staging', context: {} } })).status, 403);
});

t.test('in a protected environment a person\'s restore and copy open a change request; a service account writes', async (t) => {
  // A person: an editor with a personal token (people go through change requests; change-requests/caller.ts).
  const user = await call('POST', '/v1/users', { email: 'ada@example.com', name: 'ada', roles: [{ role: 'editor', project: '*' }] });
  const ada = await personalTokenOf(request, env.pool, user.body.id);

  await call('POST', '/v1/environments', { key: 'guarded' });
  await call('POST', '/v1/flags', { key: 'vault' });
  const past = await call('PUT', flagPath('vault', 'guarded'), {
    enabled: true,
    strategies: [{ name: 'flexibleRollout', parameters: { rollout: '40', stickiness: 'default', groupId: 'vault' }, constraints: [{ contextName: 'plan', operator: 'IN', values: ['pro'] }] }],
    variants: [],
    dependencies: [],
  });
  const stagingBefore = (await call('GET', flagPath('vault', 'staging'))).body.version as number;
  await call('PUT', flagPath('vault', 'staging'), { enabled: true, strategies: [{ id: 'from-staging', name: 'default' }], variants: [], dependencies: [] });
  const now = await call('PUT', flagPath('vault', 'guarded'), { enabled: false, strategies: [], variants: [], dependencies: [] });
  await call('PATCH', '/v1/environments/guarded', { protected: true, requiredApprovals: 1 });

  const restore = await request('POST', `${flagPath('vault', 'guarded')}/restore`, { token: ada, body: { version: past.body.version }, headers: { 'if-match': `"${now.body.version}"` } });
  t.equal(restore.status, 202, restore.text);
  t.equal(restore.headers.get('location'), `/v1/change-requests/${restore.body.id}`);
  t.match(restore.body, { environment: 'guarded', state: 'open', author: { type: 'user', name: 'ada' }, title: `Restore vault in guarded to version ${past.body.version}` });
  t.same(restore.body.changes, [{ flag: 'vault', set: { config: { enabled: true, strategies: past.body.strategies, variants: [], dependencies: [] } } }]);
  t.same((await call('GET', flagPath('vault', 'guarded'))).body, now.body, 'nothing is written until the request is approved');

  const stale = await request('POST', `${flagPath('vault', 'guarded')}/restore`, { token: ada, body: { version: past.body.version }, headers: { 'if-match': `"${past.body.version}"` } });
  t.equal(stale.status, 412, 'If-Match still guards the proposal');
  const copy = await request('POST', `${flagPath('vault', 'guarded')}/copy`, { token: ada, body: { from: 'staging' } });
  t.equal(copy.status, 202, copy.text);
  t.match(copy.body, { environment: 'guarded', state: 'open', title: 'Promote vault from staging to guarded' });
  t.match(copy.body.changes, [{ flag: 'vault', set: { config: { strategies: [{ id: 'from-staging', name: 'default' }] } } }]);
  const direct = await request('PATCH', flagPath('vault', 'guarded'), { token: ada, body: { enabled: true } });
  t.equal(direct.body.error?.code, 'change_request_required', 'the same person is refused a direct write, as before');
  const inStaging = await request('POST', `${flagPath('vault', 'staging')}/restore`, { token: ada, body: { version: stagingBefore } });
  t.equal(inStaging.status, 200, 'an unprotected environment is written directly');

  // Approved (by the service account) and applied: the restore round-trips, strategy ids included.
  t.equal((await request('POST', `/v1/change-requests/${restore.body.id}/approve`, { token: admin })).status, 200);
  const applied = await request('POST', `/v1/change-requests/${restore.body.id}/apply`, { token: admin });
  t.equal(applied.status, 200, applied.text);
  const restored = await call('GET', flagPath('vault', 'guarded'));
  for (const field of ['enabled', 'strategies', 'variants', 'dependencies'] as const) t.same(restored.body[field], past.body[field], field);
  t.ok(restored.body.version > now.body.version);

  // A service account (an admin token) may write a protected environment directly.
  const byService = await request('POST', `${flagPath('vault', 'guarded')}/restore`, { token: admin, body: { version: now.body.version } });
  t.equal(byService.status, 200, byService.text);
  t.equal(byService.body.enabled, false);
});

t.test('viewers may use the playground and time travel, not restore or copy', async (t) => {
  const user = await call('POST', '/v1/users', { email: 'vic@example.com', name: 'vic', roles: [{ role: 'viewer', project: '*' }] });
  const viewer = await personalTokenOf(request, env.pool, user.body.id);
  const played = await request('POST', '/v1/playground', { token: viewer, body: { environment: 'staging', context: { targetingKey: 'user-1' }, flags: ['simple'], explain: true } });
  t.equal(played.status, 200, played.text);
  t.ok(played.body.flags[0].trace.length > 0);
  t.equal((await request('GET', '/v1/environments/staging/snapshot?asOf=1', { token: viewer })).status, 200);
  t.equal((await request('POST', `${flagPath('simple', 'staging')}/restore`, { token: viewer, body: { version: 1 } })).status, 403);
  t.equal((await request('POST', `${flagPath('simple', 'prod')}/copy`, { token: viewer, body: { from: 'staging' } })).status, 403);
});

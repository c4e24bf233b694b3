import t from 'tap';
import { withTransaction } from '../../shared/db/tx.js';
import { changeFlagState } from '../../shared/domain/flags/flag-state-service.js';
import type { Actor } from '../../shared/domain/people/principal.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import type { HttpResponse } from '../helpers/http.js';
import { waitFor } from '../helpers/worker.js';
import { personWithToken, type Grant } from '../helpers/people.js';

/*
 * POST /v1/environments/{to}/promote: several flags' states in `from` copied
 * to `to` as ONE environment version, or ONE change request where `to` is
 * protected; refused with nothing written on bad input, stale versions, and
 * flags of a project the caller may not edit.
 */

const env = await createTestEnvironment(t, 'api-promote');
const { request } = await startTestApi(t, env);
const admin = env.adminSecret;

async function call(method: string, path: string, body?: unknown) {
  const response = await request(method, path, { token: admin, body });
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${response.text}`);
  return response.body;
}
const state = (key: string, environment: string) => call('GET', `/v1/flags/${key}/environments/${environment}`);
const versionOf = async (environment: string) =>
  ((await call('GET', '/v1/environments')).environments as Array<{ key: string; version: number }>).find((entry) => entry.key === environment)!.version;
const configOf = (s: { enabled: boolean; strategies: unknown; variants: unknown; dependencies: unknown }) => ({
  enabled: s.enabled,
  strategies: s.strategies,
  variants: s.variants,
  dependencies: s.dependencies,
});

/** A person with these grants, by personal token (Bearer: no CSRF header needed). */
const person = async (email: string, roles: Grant[]): Promise<string> => (await personWithToken(request, env.pool, admin, email, roles)).token;

for (const key of ['web', 'mobile']) await call('POST', '/v1/projects', { key });
for (const [key, project] of [['pa', 'default'], ['pb', 'default'], ['pc', 'default'], ['web_a', 'web'], ['mobile_a', 'mobile']] as const) {
  await call('POST', '/v1/flags', { key, project });
  await call('PUT', `/v1/flags/${key}/environments/staging`, {
    enabled: true,
    strategies: [{ id: `${key}-beta`, name: 'flexibleRollout', parameters: { rollout: '30', stickiness: 'default', groupId: key }, constraints: [{ contextName: 'plan', operator: 'IN', values: ['pro'] }] }],
    variants: [],
    dependencies: [],
  });
}
await call('PUT', '/v1/flags/pb/environments/staging', {
  enabled: true,
  strategies: [{ id: 'pb-all', name: 'default' }],
  variants: [{ name: 'blue', weight: 500, stickiness: 'default' }, { name: 'green', weight: 500, stickiness: 'default' }],
  dependencies: [{ feature: 'pa' }],
});

t.test('promotes several flags from staging to prod as ONE environment version, strategy ids included', async (t) => {
  const before = await versionOf('prod');
  const [pa, pb, pc] = [await state('pa', 'prod'), await state('pb', 'prod'), await state('pc', 'prod')];
  const response = await request('POST', '/v1/environments/prod/promote', {
    token: admin,
    body: { from: 'staging', flags: ['pa', 'pb'], expectedVersions: { pa: pa.version, pb: pb.version } },
  });
  t.equal(response.status, 200, response.text);
  t.equal(response.body.version, before + 1, 'the promote took one version');
  t.match(response.body.states, [{ key: 'pa', environment: 'prod', changed: true, version: before + 1 }, { key: 'pb', changed: true, version: before + 1 }]);
  t.equal(await versionOf('prod'), before + 1, 'the environment moved by one');
  for (const key of ['pa', 'pb']) t.same(configOf(await state(key, 'prod')), configOf(await state(key, 'staging')), `${key} in prod is as in staging`);
  const { rows } = await env.pool.query<{ version: number; flags: string[] }>(
    `select e.version::int as version, array_agg(f.key order by f.key) as flags from change_event e join flag f on f.id = e.flag_id
      where e.environment_key = 'prod' and e.version > $1 group by e.version`,
    [before],
  );
  t.same(rows, [{ version: before + 1, flags: ['pa', 'pb'] }], 'one version holding an event per promoted flag');
  t.same(await state('pc', 'prod'), pc, 'a flag not named is untouched');

  const again = await request('POST', '/v1/environments/prod/promote', { token: admin, body: { from: 'staging', flags: ['pa'] } });
  t.equal(again.status, 200, again.text);
  t.match(again.body, { version: null, states: [{ key: 'pa', changed: false }] }, 'promoting what is already there writes nothing');
  t.equal(await versionOf('prod'), before + 1);
});

t.test('a stale expected version refuses the whole promote: 412, nothing written', async (t) => {
  const before = await versionOf('dev');
  const pc = await state('pc', 'dev');
  const pa = await state('pa', 'dev');
  const stale = await request('POST', '/v1/environments/dev/promote', {
    token: admin,
    body: { from: 'staging', flags: ['pc', 'pa'], expectedVersions: { pc: pc.version, pa: pa.version + 1 } },
  });
  t.equal(stale.status, 412, stale.text);
  t.match(stale.body.error.message, /flag 'pa' in 'dev' is at version \d+, not \d+/);
  t.equal(await versionOf('dev'), before, 'no version taken');
  t.same(await state('pc', 'dev'), pc, 'pc, first in the promote, was rolled back');
});

t.test('bad input is a 4xx naming the field, and nothing is written', async (t) => {
  await call('POST', '/v1/flags', { key: 'gone' });
  await call('DELETE', '/v1/flags/gone');
  // pb depends on pa in staging; a flag whose staging state depends on an archived flag cannot be promoted.
  await call('POST', '/v1/flags', { key: 'leans', project: 'default' });
  await call('POST', '/v1/flags', { key: 'prop', project: 'default' });
  await call('PUT', '/v1/flags/leans/environments/staging', { enabled: true, strategies: [{ name: 'default' }], variants: [], dependencies: [{ feature: 'prop' }] });
  await call('DELETE', '/v1/flags/prop');
  const before = { prod: await versionOf('prod'), dev: await versionOf('dev') };
  const cases: Array<[string, string, unknown, number, Array<string | number> | undefined]> = [
    ['same environment', 'prod', { from: 'prod', flags: ['pa'] }, 400, ['from']],
    ['unknown from', 'prod', { from: 'nowhere', flags: ['pa'] }, 400, ['from']],
    ['bad from', 'prod', { from: 'No Such', flags: ['pa'] }, 400, ['from']],
    ['unknown flag', 'prod', { from: 'staging', flags: ['pa', 'nope'] }, 400, ['flags', '1']],
    ['a flag twice', 'prod', { from: 'staging', flags: ['pa', 'pa'] }, 400, ['flags', '1']],
    ['no flags', 'prod', { from: 'staging', flags: [] }, 400, ['flags']],
    ['flags missing', 'prod', { from: 'staging' }, 400, ['flags']],
    ['a version of a flag not named', 'prod', { from: 'staging', flags: ['pa'], expectedVersions: { pb: 1 } }, 400, ['expectedVersions', 'pb']],
    ['a bad version', 'prod', { from: 'staging', flags: ['pa'], expectedVersions: { pa: -1 } }, 400, ['expectedVersions', 'pa']],
    ['a source version of a flag not named', 'prod', { from: 'staging', flags: ['pa'], sourceVersions: { pb: 1 } }, 400, ['sourceVersions', 'pb']],
    ['a source version of 0', 'prod', { from: 'staging', flags: ['pa'], sourceVersions: { pa: 0 } }, 400, ['sourceVersions', 'pa']],
    ['a fractional source version', 'prod', { from: 'staging', flags: ['pa'], sourceVersions: { pa: 1.5 } }, 400, ['sourceVersions', 'pa']],
    ['a source version as text', 'prod', { from: 'staging', flags: ['pa'], sourceVersions: { pa: '3' } }, 400, ['sourceVersions', 'pa']],
    ['source versions not a map', 'prod', { from: 'staging', flags: ['pa'], sourceVersions: [3] }, 400, ['sourceVersions']],
    ['an unknown field', 'prod', { from: 'staging', flags: ['pa'], force: true }, 400, []],
    ['a dependency on an archived flag', 'dev', { from: 'staging', flags: ['pc', 'leans'] }, 400, ['flags', 1, 'dependencies', 0, 'feature']],
    ['an archived flag', 'prod', { from: 'staging', flags: ['pa', 'gone'] }, 409, undefined],
    ['an unknown target', 'nowhere', { from: 'staging', flags: ['pa'] }, 404, undefined],
  ];
  for (const [name, to, body, status, path] of cases) {
    const response = await request('POST', `/v1/environments/${to}/promote`, { token: admin, body });
    t.equal(response.status, status, `${name}: ${response.text}`);
    if (path) t.match(response.body.error.details, [{ path }], `${name} names the field`);
  }
  const leans = await request('POST', '/v1/environments/dev/promote', { token: admin, body: { from: 'staging', flags: ['pc', 'leans'] } });
  t.match(leans.body.error.message, /flags\[1\] \('leans' as it is in 'staging'\).*no flag 'prop'/, 'the message says which flag and why');
  t.same({ prod: await versionOf('prod'), dev: await versionOf('dev') }, before, 'no environment moved');
});

t.test('roles are checked per project: an editor of web promotes web\'s flags, not mobile\'s', async (t) => {
  const editor = await person('ed@example.com', [{ role: 'editor', project: 'web' }]);
  const viewer = await person('vi@example.com', [{ role: 'viewer', project: '*' }]);
  const sdk = (await call('POST', '/v1/tokens', { name: 'sdk', kind: 'sdk', environment: 'dev' })).secret as string;
  const before = await versionOf('dev');
  const mixed = await request('POST', '/v1/environments/dev/promote', { token: editor, body: { from: 'staging', flags: ['web_a', 'mobile_a'] } });
  t.equal(mixed.status, 403, mixed.text);
  t.match(mixed.body.error.message, /editor role on project 'mobile'/);
  t.equal((await request('POST', '/v1/environments/dev/promote', { token: viewer, body: { from: 'staging', flags: ['web_a'] } })).status, 403, 'a viewer cannot promote');
  t.equal((await request('POST', '/v1/environments/dev/promote', { token: sdk, body: { from: 'staging', flags: ['web_a'] } })).status, 403, 'nor an sdk token');
  t.equal(await versionOf('dev'), before, 'nothing written');
  const mine = await request('POST', '/v1/environments/dev/promote', { token: editor, body: { from: 'staging', flags: ['web_a'] } });
  t.equal(mine.status, 200, mine.text);
  t.match(mine.body.states, [{ key: 'web_a', enabled: true, changed: true }]);
});

t.test('in a protected environment a person\'s promote opens ONE change request holding every flag', async (t) => {
  const ada = await person('ada@example.com', [{ role: 'editor', project: '*' }]);
  await call('POST', '/v1/environments', { key: 'live' });
  await call('PATCH', '/v1/environments/live', { protected: true, requiredApprovals: 1 });
  const before = await versionOf('live');
  const pa = await state('pa', 'live');
  const stale = await request('POST', '/v1/environments/live/promote', { token: ada, body: { from: 'staging', flags: ['pa', 'pb'], expectedVersions: { pa: pa.version + 5 } } });
  t.equal(stale.status, 412, 'expected versions still guard the proposal');
  t.equal((await call('GET', '/v1/change-requests?environment=live')).changeRequests.length, 0, 'and nothing was opened');

  const proposed = await request('POST', '/v1/environments/live/promote', { token: ada, body: { from: 'staging', flags: ['pa', 'pb'], expectedVersions: { pa: pa.version } } });
  t.equal(proposed.status, 202, proposed.text);
  t.equal(proposed.headers.get('location'), `/v1/change-requests/${proposed.body.id}`);
  t.match(proposed.body, { environment: 'live', state: 'open', author: { type: 'user', name: 'ada' }, title: 'Promote 2 flags from staging to live' });
  t.same(
    proposed.body.changes,
    [
      { flag: 'pa', set: { config: configOf(await state('pa', 'staging')) } },
      { flag: 'pb', set: { config: configOf(await state('pb', 'staging')) } },
    ],
    'one request, both flags, each with its staging configuration',
  );
  t.equal((await call('GET', '/v1/change-requests?environment=live')).changeRequests.length, 1, 'exactly one request');
  t.equal(await versionOf('live'), before, 'nothing written until it is approved');

  const refused = await request('POST', '/v1/environments/live/promote', { token: ada, body: { from: 'staging', flags: ['pa', 'leans'] } });
  t.equal(refused.status, 400, 'a proposal is checked now');
  t.match(refused.body.error.details, [{ path: ['flags', 1, 'dependencies', 0, 'feature'] }]);

  t.equal((await request('POST', `/v1/change-requests/${proposed.body.id}/approve`, { token: admin })).status, 200);
  const applied = await request('POST', `/v1/change-requests/${proposed.body.id}/apply`, { token: admin });
  t.equal(applied.status, 200, applied.text);
  t.equal(await versionOf('live'), before + 1, 'applied as one version');
  for (const key of ['pa', 'pb']) t.same(configOf(await state(key, 'live')), configOf(await state(key, 'staging')), `${key} promoted`);

  const byService = await request('POST', '/v1/environments/live/promote', { token: admin, body: { from: 'staging', flags: ['pc'] } });
  t.equal(byService.status, 200, 'a service account (admin token) writes a protected environment directly');
  t.equal(byService.body.version, before + 2);
});

t.test('a source state moved since the caller saw it refuses the whole promote: 412, nothing written, no change request', async (t) => {
  for (const key of ['sa', 'sb']) {
    await call('POST', '/v1/flags', { key, project: 'default' });
    await call('PUT', `/v1/flags/${key}/environments/staging`, { enabled: true, strategies: [{ id: `${key}-all`, name: 'default' }], variants: [], dependencies: [] });
  }
  const seen = { sa: (await state('sa', 'staging')).version as number, sb: (await state('sb', 'staging')).version as number };
  await call('PATCH', '/v1/flags/sb/environments/staging', { enabled: false });
  const now = (await state('sb', 'staging')).version as number;
  const before = await versionOf('dev');
  const sa = await state('sa', 'dev');

  const moved = await request('POST', '/v1/environments/dev/promote', { token: admin, body: { from: 'staging', flags: ['sa', 'sb'], sourceVersions: seen } });
  t.equal(moved.status, 412, moved.text);
  t.equal(moved.body.error.message, `flag 'sb' in 'staging' (the source) is at version ${now}, not ${seen.sb}; nothing was written`, 'the message names the moved flag and its version');
  t.same(moved.body.error.details, { currentSourceVersions: { sb: now } }, 'the details hold its current version');
  t.equal(await versionOf('dev'), before, 'no version taken');
  t.same(await state('sa', 'dev'), sa, 'sa, which had not moved, was not written either');

  const bo = await person('bo@example.com', [{ role: 'editor', project: '*' }]);
  await call('POST', '/v1/environments', { key: 'qa' });
  await call('PATCH', '/v1/environments/qa', { protected: true, requiredApprovals: 1 });
  const proposal = await request('POST', '/v1/environments/qa/promote', { token: bo, body: { from: 'staging', flags: ['sa', 'sb'], sourceVersions: seen } });
  t.equal(proposal.status, 412, `a proposal is refused too: ${proposal.text}`);
  t.same(proposal.body.error.details, { currentSourceVersions: { sb: now } });
  t.equal((await call('GET', '/v1/change-requests?environment=qa')).changeRequests.length, 0, 'no change request opened');

  const current = await request('POST', '/v1/environments/dev/promote', { token: admin, body: { from: 'staging', flags: ['sa', 'sb'], sourceVersions: { ...seen, sb: now } } });
  t.equal(current.status, 200, `the versions as they are now promote: ${current.text}`);
  t.equal(current.body.version, before + 1);
  for (const key of ['sa', 'sb']) t.same(configOf(await state(key, 'dev')), configOf(await state(key, 'staging')), `${key} promoted`);
});

t.test('a source write in flight when the promote writes: the promote waits for it, then refuses (versions seen) or copies what committed', async (t) => {
  const ACTOR: Actor = { type: 'token', id: 'in-flight', name: 'in-flight' };
  await call('POST', '/v1/flags', { key: 'racy', project: 'default' });
  await call('PUT', '/v1/flags/racy/environments/staging', { enabled: true, strategies: [{ id: 'racy-all', name: 'default' }], variants: [], dependencies: [] });

  /** Runs `promote` while a write to racy's staging state is open; commits it once the promote waits on a lock (or has answered). */
  async function whileSourceWriteOpen(enabled: boolean, promote: () => Promise<HttpResponse>) {
    let commit!: () => void;
    const committed = new Promise<void>((resolve) => (commit = resolve));
    let opened!: () => void;
    const open = new Promise<void>((resolve) => (opened = resolve));
    const write = withTransaction(
      env.pool,
      async (client) => {
        await changeFlagState(client, 'racy', 'staging', { enabled });
        opened();
        await committed;
      },
      { actor: ACTOR },
    );
    await open;
    let answered = false;
    const answer = promote().finally(() => (answered = true));
    const waited = await waitFor(
      'the promote to wait on a lock, or to answer',
      async () => {
        if (answered) return 'answered';
        const { rows } = await env.pool.query<{ waiting: number }>(
          `select count(*)::int as waiting from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
        );
        return rows[0]!.waiting > 0 ? 'waited' : undefined;
      },
      10_000,
    );
    commit();
    await write;
    return { waited, response: await answer };
  }

  const seen = (await state('racy', 'staging')).version as number;
  const before = await versionOf('dev');
  const racy = await state('racy', 'dev');
  const pinned = await whileSourceWriteOpen(false, () =>
    request('POST', '/v1/environments/dev/promote', { token: admin, body: { from: 'staging', flags: ['racy'], sourceVersions: { racy: seen } } }),
  );
  t.equal(pinned.waited, 'waited', 'the promote waited for the source write to commit');
  t.equal(pinned.response.status, 412, pinned.response.text);
  const now = (await state('racy', 'staging')).version as number;
  t.same(pinned.response.body.error.details, { currentSourceVersions: { racy: now } });
  t.equal(await versionOf('dev'), before, 'nothing written');
  t.same(await state('racy', 'dev'), racy);

  const unpinned = await whileSourceWriteOpen(true, () => request('POST', '/v1/environments/dev/promote', { token: admin, body: { from: 'staging', flags: ['racy'] } }));
  t.equal(unpinned.waited, 'waited');
  t.equal(unpinned.response.status, 200, unpinned.response.text);
  t.same(configOf(await state('racy', 'dev')), configOf(await state('racy', 'staging')), 'what was written is the source as committed, not as first read');
  t.equal((await state('racy', 'dev')).enabled, true);
});

t.test('the route is in the OpenAPI document', async (t) => {
  const document = (await request('GET', '/openapi.json')).body;
  const operation = document.paths['/v1/environments/{env}/promote']?.post;
  t.ok(operation, 'POST /v1/environments/{env}/promote is described');
  t.ok(operation.requestBody, 'with its body');
  t.ok(operation.responses['202'], 'and its 202');
});

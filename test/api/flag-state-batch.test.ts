import t from 'tap';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { personalTokenOf } from '../helpers/people.js';

/* POST /v1/environments/{env}/flag-states: several whole configurations, all or nothing, as one environment version. */

const env = await createTestEnvironment(t, 'api-flag-state-batch');
const { request } = await startTestApi(t, env);
const admin = env.adminSecret;

for (const key of ['alpha', 'beta']) {
  const created = await request('POST', '/v1/flags', { token: admin, body: { key, environments: { prod: { enabled: false, rollout: 100 } } } });
  if (created.status !== 201) throw new Error(created.text);
}
const state = async (key: string) => (await request('GET', `/v1/flags/${key}/environments/prod`, { token: admin })).body;
const prodVersion = async () =>
  ((await request('GET', '/v1/environments', { token: admin })).body.environments as Array<{ key: string; version: number }>).find((environment) => environment.key === 'prod')!.version;
const on = { enabled: true, strategies: [{ name: 'default' }] };

t.test('writes every change, each with its If-Match, in one go and as ONE environment version', async (t) => {
  const [alpha, beta] = [await state('alpha'), await state('beta')];
  const before = await prodVersion();
  const response = await request('POST', '/v1/environments/prod/flag-states', {
    token: admin,
    body: { changes: [{ flag: 'alpha', expectedVersion: alpha.version, set: on }, { flag: 'beta', expectedVersion: beta.version, set: on }] },
  });
  t.equal(response.status, 200, response.text);
  t.equal(response.body.version, before + 1, 'the set took one version');
  t.match(response.body.states, [{ key: 'alpha', enabled: true, changed: true, version: before + 1 }, { key: 'beta', enabled: true, changed: true, version: before + 1 }]);
  t.equal(await prodVersion(), before + 1, 'the environment moved by one');
  const { rows } = await env.pool.query<{ version: number; flags: string[] }>(
    `select e.version::int as version, array_agg(f.key order by f.key) as flags from change_event e join flag f on f.id = e.flag_id
      where e.environment_key = 'prod' and e.version > $1 group by e.version`,
    [before],
  );
  t.same(rows, [{ version: before + 1, flags: ['alpha', 'beta'] }], 'one version holding an event per flag');
  const same = { enabled: true, strategies: (await state('alpha')).strategies };
  const again = await request('POST', '/v1/environments/prod/flag-states', { token: admin, body: { changes: [{ flag: 'alpha', set: same }] } });
  t.match(again.body, { version: null, states: [{ key: 'alpha', changed: false, version: before + 1 }] }, 'asking for what is there (strategy ids included) writes nothing');
});

t.test('one stale version refuses the whole batch: nothing is written', async (t) => {
  const [alpha, beta] = [await state('alpha'), await state('beta')];
  const before = await prodVersion();
  const response = await request('POST', '/v1/environments/prod/flag-states', {
    token: admin,
    body: {
      changes: [
        { flag: 'alpha', expectedVersion: alpha.version, set: { enabled: false, strategies: [] } },
        { flag: 'beta', expectedVersion: beta.version - 1, set: { enabled: false, strategies: [] } },
      ],
    },
  });
  t.equal(response.status, 412);
  t.match(response.body.error.message, /flag 'beta' in 'prod' is at version \d+, not \d+/);
  t.equal(await prodVersion(), before, 'no version taken');
  t.equal((await state('alpha')).enabled, true, 'alpha, first in the batch, was rolled back');
});

t.test('bad batches are a 4xx naming the field, and write nothing', async (t) => {
  const before = await prodVersion();
  const cases: Array<[string, unknown, number, RegExp]> = [
    ['no changes', { changes: [] }, 400, /changes: give at least one change/],
    ['a flag twice', { changes: [{ flag: 'alpha', set: on }, { flag: 'alpha', set: on }] }, 400, /changes\.1\.flag: this flag is changed twice/],
    ['a bad strategy', { changes: [{ flag: 'alpha', set: on }, { flag: 'beta', set: { enabled: true, strategies: [{ name: 'nope' }] } }] }, 400, /changes\.1\.set\.strategies\.0\.name/],
    ['a missing flag', { changes: [{ flag: 'alpha', set: { enabled: false, strategies: [] } }, { flag: 'ghost', set: on }] }, 400, /"path":\["changes",1\][^}]*flag 'ghost' does not exist/],
  ];
  for (const [what, body, status, message] of cases) {
    const response = await request('POST', '/v1/environments/prod/flag-states', { token: admin, body });
    t.equal(response.status, status, what);
    t.match(response.text, message, what);
  }
  const missingEnvironment = await request('POST', '/v1/environments/nowhere/flag-states', { token: admin, body: { changes: [{ flag: 'alpha', set: on }] } });
  t.equal(missingEnvironment.status, 404);
  t.match(missingEnvironment.body.error.message, /environment 'nowhere' does not exist/);
  t.equal(await prodVersion(), before, 'nothing was written');
  t.equal((await state('alpha')).enabled, true);
  t.equal((await request('POST', '/v1/environments/prod/flag-states', { body: { changes: [{ flag: 'alpha', set: on }] } })).status, 401);
});

t.test('an archived flag refuses the whole set (409), nothing written', async (t) => {
  const created = await request('POST', '/v1/flags', { token: admin, body: { key: 'gamma' } });
  t.equal(created.status, 201);
  const gamma = await state('gamma');
  t.equal((await request('DELETE', '/v1/flags/gamma', { token: admin })).status, 200);
  const before = await prodVersion();
  const alpha = await state('alpha');
  const response = await request('POST', '/v1/environments/prod/flag-states', {
    token: admin,
    body: { changes: [{ flag: 'alpha', expectedVersion: alpha.version, set: { enabled: false, strategies: [] } }, { flag: 'gamma', expectedVersion: gamma.version, set: on }] },
  });
  t.equal(response.status, 409, response.text);
  t.match(response.body.error.message, /flag 'gamma' is archived/);
  t.equal(await prodVersion(), before);
});

t.test('a protected environment: a person is refused (propose a change request), a service account writes', async (t) => {
  t.equal((await request('PATCH', '/v1/environments/staging', { token: admin, body: { protected: true, requiredApprovals: 1 } })).status, 200);
  t.teardown(() => request('PATCH', '/v1/environments/staging', { token: admin, body: { protected: false } }));
  const user = await request('POST', '/v1/users', { token: admin, body: { email: 'ed@example.com', name: 'ed', roles: [{ role: 'editor', project: '*' }] } });
  t.equal(user.status, 201, user.text);
  const personal = await personalTokenOf(request, env.pool, user.body.id);
  const body = { changes: [{ flag: 'alpha', set: on }, { flag: 'beta', set: on }] };

  const refused = await request('POST', '/v1/environments/staging/flag-states', { token: personal, body });
  t.equal(refused.status, 409);
  t.equal(refused.body.error.code, 'change_request_required');
  t.equal((await state('alpha')).enabled, true, 'prod untouched');
  const inDev = await request('POST', '/v1/environments/dev/flag-states', { token: personal, body });
  t.equal(inDev.status, 200, 'the person writes an unprotected environment');
  const byService = await request('POST', '/v1/environments/staging/flag-states', { token: admin, body });
  t.equal(byService.status, 200, 'an admin token writes the protected one');
  t.match(byService.body.states, [{ version: byService.body.version }, { version: byService.body.version }]);
});

import t from 'tap';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { dumpDatabase } from './support/database-dump.js';

const env = await createTestEnvironment(t, 'api-environments');
const { request } = await startTestApi(t, env);
const admin = env.adminSecret;

t.test('the seeded environments are listed, each at version 0', async (t) => {
  const listed = await request('GET', '/v1/environments', { token: admin });
  t.equal(listed.status, 200);
  t.same(
    listed.body.environments.map((e: { key: string; version: number }) => [e.key, e.version]),
    [['dev', 0], ['prod', 0], ['staging', 0]],
  );
  for (const environment of listed.body.environments) t.match(environment.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
});

t.test('a new environment gives every live flag a default state there, one change each', async (t) => {
  for (const key of ['beta', 'alpha', 'gone']) {
    const created = await request('POST', '/v1/flags', { token: admin, body: { key, environments: { prod: { enabled: true } } } });
    t.equal(created.status, 201);
  }
  t.equal((await request('DELETE', '/v1/flags/gone', { token: admin })).status, 200);

  const added = await request('POST', '/v1/environments', { token: admin, body: { key: 'qa' } });
  t.equal(added.status, 201);
  t.match(added.body, { key: 'qa', version: 2 });

  const alpha = await request('GET', '/v1/flags/alpha/environments/qa', { token: admin });
  t.equal(alpha.status, 200);
  t.match(alpha.body, { key: 'alpha', environment: 'qa', enabled: false, rollout: 100, updatedBy: 'token:FLAGSHIP_ADMIN_TOKEN' });
  t.equal(alpha.headers.get('etag'), `"${alpha.body.version}"`);
  const gone = await request('GET', '/v1/flags/gone/environments/qa', { token: admin });
  t.equal(gone.status, 404, 'an archived flag gets no state in a new environment');
  t.match(gone.body.error.message, /gone.*qa/);

  const events = await request('GET', '/v1/events?environment=qa', { token: admin });
  t.same(
    events.body.events.map((e: { version: number; flag: string; action: string }) => [e.version, e.flag, e.action]),
    [[1, 'alpha', 'created'], [2, 'beta', 'created']],
    'one created event per live flag, versions 1..n in key order',
  );

  const listed = await request('GET', '/v1/environments', { token: admin });
  t.same(listed.body.environments.map((e: { key: string }) => e.key), ['dev', 'prod', 'staging', 'qa']);
  const flag = await request('GET', '/v1/flags/beta', { token: admin });
  t.same(Object.keys(flag.body.environments).sort(), ['dev', 'prod', 'qa', 'staging']);
});

t.test('an environment with no flags starts at version 0, and new flags get a state there', async (t) => {
  const added = await request('POST', '/v1/environments', { token: admin, body: { key: 'empty-1' } });
  t.equal(added.status, 201);
  t.equal(added.body.version, 2, 'alpha and beta are live, so two states were created');
  const flag = await request('POST', '/v1/flags', { token: admin, body: { key: 'later', environments: { 'empty-1': { rollout: 10 } } } });
  t.equal(flag.status, 201);
  t.match(flag.body.environments['empty-1'], { rollout: 10, enabled: false, version: 3 });
});

t.test('adding an existing environment is a 409 naming it, and writes nothing', async (t) => {
  const before = await dumpDatabase(env.pool);
  const again = await request('POST', '/v1/environments', { token: admin, body: { key: 'qa' } });
  t.equal(again.status, 409);
  t.equal(again.body.error.code, 'conflict');
  t.match(again.body.error.message, /'qa' already exists/);
  t.same(await dumpDatabase(env.pool), before);
});

t.test('an environment key is validated with a message naming the field', async (t) => {
  for (const key of ['QA', '', '-qa', 'q a', 'x'.repeat(51), 'qa.1']) {
    const refused = await request('POST', '/v1/environments', { token: admin, body: { key } });
    t.equal(refused.status, 400, JSON.stringify(key));
    t.match(refused.body.error.message, /body\.key/);
    t.match(refused.body.error.details, [{ in: 'body', path: ['key'] }]);
  }
  const missing = await request('POST', '/v1/environments', { token: admin, body: {} });
  t.equal(missing.status, 400);
  t.match(missing.body.error.details, [{ path: ['key'] }]);
});

t.test('adding environments while flags are created and archived leaves every live flag a state everywhere', async (t) => {
  // Regression: without a lock, a flag created while an environment was being
  // added got no state there (neither transaction saw the other's row).
  for (let round = 0; round < 4; round++) {
    const keys = Array.from({ length: 6 }, (_, i) => `race_${round}_${i}`);
    for (const key of keys.slice(0, 3)) await request('POST', '/v1/flags', { token: admin, body: { key } });
    const replies = await Promise.all([
      request('POST', '/v1/environments', { token: admin, body: { key: `race-${round}` } }),
      ...keys.slice(3).map((key) => request('POST', '/v1/flags', { token: admin, body: { key } })),
      ...keys.slice(0, 3).map((key) => request('DELETE', `/v1/flags/${key}`, { token: admin })),
    ]);
    t.same(replies.map((reply) => reply.status), [201, 201, 201, 201, 200, 200, 200]);
  }
  const { rows: incomplete } = await env.pool.query(
    `select f.key, e.key as environment
       from flag f cross join environment e
      where f.archived_at is null
        and not exists (select 1 from flag_state s where s.flag_id = f.id and s.environment_key = e.key)`,
  );
  t.same(incomplete, [], 'every live flag has a state in every environment');
  const { rows: revived } = await env.pool.query(
    `select f.key, s.environment_key
       from flag f join flag_state s on s.flag_id = f.id
      where f.archived_at is not null
        and not exists (select 1 from change_event c
                         where c.flag_id = f.id and c.environment_key = s.environment_key and c.action = 'archived')`,
  );
  t.same(revived, [], 'no archived flag has a state whose archival was never announced');
});

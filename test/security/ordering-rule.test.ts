import pg from 'pg';
import t, { type Test } from 'tap';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';

/*
 * The ordering rule (versions gap-free and in commit order per environment,
 * one event per version) held by convention; now the schema enforces it.
 */

const env = await createTestEnvironment(t, 'ordering-rule');
const { request } = await startTestApi(t, env);
const admin = env.adminSecret;
for (const key of ['guarded', 'first', 'second']) {
  const created = await request('POST', '/v1/flags', { token: admin, body: { key } });
  if (created.status !== 201) throw new Error(created.text);
}

async function version(environment: string): Promise<number> {
  const { rows } = await env.pool.query<{ version: number }>('select version from environment where key = $1', [environment]);
  return rows[0]!.version;
}

async function eventsOf(environment: string, after: number) {
  const { rows } = await env.pool.query<{ version: number }>(
    'select version from change_event where environment_key = $1 and version > $2 order by version',
    [environment, after],
  );
  return rows.map((row) => row.version);
}

async function refused(t: Test, sql: string, params: unknown[] = []) {
  await t.rejects(env.pool.query(sql, params), { message: /ordering rule/ }, sql);
}

t.test('only the triggers move environment.version', async (t) => {
  const before = await version('prod');
  await refused(t, `update environment set version = version + 5 where key = 'prod'`);
  await refused(t, `update environment set version = 0 where key = 'prod'`);
  await refused(t, `insert into environment (key, version) values ('forged', 7)`);
  t.equal(await version('prod'), before);
  // Other columns, and new environments at 0, are still fine.
  await env.pool.query(`insert into environment (key) values ('fine')`);
  t.equal(await version('fine'), 0);
});

t.test('change_event is written only by the triggers and never rewritten', async (t) => {
  const { rows } = await env.pool.query<{ id: string; flagId: string }>(
    `select id, flag_id as "flagId" from change_event where flag_key = 'guarded' limit 1`,
  );
  const event = rows[0]!;
  await refused(t, `insert into change_event (environment_key, version, flag_id, flag_key, action, actor, after)
                    values ('prod', 999999, $1, 'guarded', 'updated', '{"type": "system", "id": "forger", "name": "forger"}'::jsonb, '{}'::jsonb)`, [event.flagId]);
  await refused(t, `update change_event set actor = actor || '{"name": "someone else"}'::jsonb where id = $1`, [event.id]);
  await refused(t, `delete from change_event where id = $1`, [event.id]);
  await refused(t, `truncate change_event`);
  // The triggers themselves still write it.
  const patched = await request('PATCH', '/v1/flags/guarded/environments/prod', { token: admin, body: { enabled: true } });
  t.equal(patched.status, 200);
  t.same(await eventsOf('prod', patched.body.version - 1), [patched.body.version]);
});

t.test('insert ... on conflict neither burns nor doubles a version', async (t) => {
  const before = await version('prod');
  await env.pool.query(
    `insert into flag_state (flag_id, environment_key)
     select id, 'prod' from flag where key = 'guarded'
     on conflict do nothing`,
  );
  t.equal(await version('prod'), before, 'DO NOTHING takes no version');
  t.same(await eventsOf('prod', before), []);

  await env.pool.query(
    `insert into flag_state (flag_id, environment_key)
     select id, 'prod' from flag where key = 'guarded'
     on conflict (flag_id, environment_key) do update set enabled = not flag_state.enabled`,
  );
  t.equal(await version('prod'), before + 1, 'DO UPDATE takes exactly one');
  t.same(await eventsOf('prod', before), [before + 1], 'one event, no gap');
});

t.test('a transaction that began first but commits second does not go back in time', async (t) => {
  const early = new pg.Client({ connectionString: env.config.databaseUrl });
  await early.connect();
  t.teardown(() => early.end());
  await early.query('begin');
  await early.query('select now()');
  // Meanwhile another transaction changes a state and commits.
  const second = await request('PATCH', '/v1/flags/second/environments/prod', { token: admin, body: { enabled: true } });
  t.equal(second.status, 200);
  await early.query(`update flag_state set enabled = true where flag_id = (select id from flag where key = 'first') and environment_key = 'prod'`);
  await early.query('commit');

  const { rows } = await env.pool.query<{ version: number; updatedAt: number; createdAt: number }>(
    `select s.version, extract(epoch from s.updated_at)::float8 as "updatedAt", extract(epoch from e.created_at)::float8 as "createdAt"
       from flag_state s join flag f on f.id = s.flag_id
       join change_event e on e.environment_key = s.environment_key and e.version = s.version
      where s.environment_key = 'prod' and f.key in ('first', 'second')
      order by s.version`,
  );
  t.equal(rows.length, 2);
  const [earlier, later] = rows as [(typeof rows)[0], (typeof rows)[0]];
  t.ok(later.version > earlier.version);
  t.ok(later.updatedAt >= earlier.updatedAt, 'updated_at follows the version');
  t.ok(later.createdAt >= earlier.createdAt, 'the event time follows the version');
});

import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import pg from 'pg';
import t from 'tap';
import { migrate } from '../../shared/db/migrate.js';
import { loadSnapshot } from '../../shared/domain/snapshots/snapshot-repository.js';
import { withTransaction } from '../../shared/db/tx.js';
import { createLogger } from '../../shared/logger.js';
import { SnapshotSchema } from '../../shared/schemas/snapshots.js';
import { ChangeEventSchema } from '../../shared/schemas/events.js';
import { startTestApi } from '../helpers/api.js';
import { databaseUrl } from '../helpers/database.js';
import { createTestEnvironment } from '../helpers/environment.js';

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../shared/db/migrations');

t.test('existing rollouts migrate to one flexibleRollout strategy, without a change event, and the replay log follows', async (t) => {
  const name = `flagship_test_targeting_migration_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: databaseUrl('postgres') });
  await admin.connect();
  await admin.query(`create database ${pg.escapeIdentifier(name)}`);
  t.teardown(async () => {
    await admin.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`);
    await admin.end();
  });
  const url = databaseUrl(name);
  // The schema as it was before targeting, with data in it.
  await runner({ databaseUrl: url, dir: MIGRATIONS_DIR, direction: 'up', count: 2, migrationsTable: 'schema_migration', log: () => undefined });
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  t.teardown(() => db.end());
  await db.query(`insert into flag (key) values ('checkout'), ('search')`);
  await db.query(`insert into flag_state (flag_id, environment_key, enabled, rollout) select id, 'prod', true, 30 from flag`);
  await db.query(`update flag_state s set rollout = 55 from flag f where f.id = s.flag_id and f.key = 'checkout'`);
  const before = await db.query(`select key, version from environment order by key`);

  await migrate(url, createLogger('silent'));

  const after = await db.query(`select key, version from environment order by key`);
  t.same(after.rows, before.rows, 'no version was taken');
  const { rows: events } = await db.query(`select count(*)::int as count from change_event`);
  t.equal(events[0].count, 3, 'no change event was written');
  const snapshot = SnapshotSchema.parse(await loadSnapshot(db, 'prod'));
  t.same(snapshot.segments, []);
  t.same(
    snapshot.flags.map((flag) => [flag.key, flag.enabled, flag.rollout]),
    [['checkout', true, 55], ['search', true, 30]],
    'the rollout reads as before',
  );
  for (const flag of snapshot.flags) {
    t.equal(flag.strategies.length, 1);
    t.match(flag.strategies[0], {
      name: 'flexibleRollout',
      parameters: { rollout: String(flag.rollout), stickiness: 'default', groupId: flag.key },
      constraints: [],
      segments: [],
      variants: [],
    });
    t.same([flag.variants, flag.dependencies], [[], []]);
  }
  // Replaying the log from the start gives the snapshot: old events carry the new shape, strategy ids included.
  const { rows: log } = await db.query(`select after from change_event where environment_key = 'prod' order by version`);
  const replayed = new Map<string, unknown>();
  for (const row of log) replayed.set(row.after.key, row.after);
  t.same(
    [...replayed.values()].map((state) => (state as { strategies: unknown }).strategies),
    snapshot.flags.map((flag) => flag.strategies),
  );
});

const env = await createTestEnvironment(t, 'api-targeting-storage');
const { request } = await startTestApi(t, env);
const adminToken = env.adminSecret;

t.test('a new flag is the simple case; PATCH rollout moves its strategy', async (t) => {
  const created = await request('POST', '/v1/flags', { token: adminToken, body: { key: 'banner', environments: { prod: { enabled: true, rollout: 20 } } } });
  t.equal(created.status, 201);
  t.match(created.body.environments.prod, { rollout: 20, strategies: [{ name: 'flexibleRollout', parameters: { rollout: '20', groupId: 'banner' } }] });
  t.match(created.body.environments.dev, { rollout: 100, enabled: false });
  const strategyId = created.body.environments.prod.strategies[0].id;
  t.type(strategyId, 'string');

  const patched = await request('PATCH', '/v1/flags/banner/environments/prod', { token: adminToken, body: { rollout: 45 } });
  t.equal(patched.status, 200);
  t.match(patched.body, { rollout: 45, strategies: [{ id: strategyId, parameters: { rollout: '45', stickiness: 'default', groupId: 'banner' } }] });

  const named = await request('PATCH', '/v1/flags/banner/environments/prod', { token: adminToken, body: { rollout: 50, strategyId } });
  t.equal(named.status, 200);
  t.equal(named.body.rollout, 50);
  const unknown = await request('PATCH', '/v1/flags/banner/environments/prod', { token: adminToken, body: { rollout: 60, strategyId: 'nope' } });
  t.equal(unknown.status, 400);
  t.match(unknown.body.error, { details: [{ path: ['strategyId'] }] });

  const events = await request('GET', '/v1/events?flag=banner&environment=prod', { token: adminToken });
  t.same(events.body.events.map((event: { after: { rollout: number } }) => event.after.rollout), [20, 45, 50]);
  for (const event of events.body.events) ChangeEventSchema.parse(event);
});

t.test('a state that is not the simple case reads rollout null, and PATCH rollout without strategyId says why', async (t) => {
  const created = await request('POST', '/v1/flags', { token: adminToken, body: { key: 'targeted', environments: { prod: { enabled: true, rollout: 10 } } } });
  t.equal(created.status, 201);
  // Until PUT exists this test writes the configuration in SQL, as PUT will.
  await withTransaction(env.pool, (client) =>
    client.query(
      `update flag_state s set strategies = $1::jsonb from flag f where f.id = s.flag_id and f.key = 'targeted' and s.environment_key = 'prod'`,
      [JSON.stringify([
        { id: 'a', name: 'flexibleRollout', parameters: { rollout: '10', stickiness: 'default', groupId: 'targeted' }, constraints: [{ contextName: 'email', operator: 'STR_ENDS_WITH', values: ['@acme.com'] }] },
        { id: 'b', name: 'flexibleRollout', parameters: { rollout: '5', stickiness: 'default', groupId: 'targeted' } },
      ])],
    ),
  );
  const state = await request('GET', '/v1/flags/targeted/environments/prod', { token: adminToken });
  t.equal(state.body.rollout, null);
  const refused = await request('PATCH', '/v1/flags/targeted/environments/prod', { token: adminToken, body: { rollout: 50 } });
  t.equal(refused.status, 400);
  t.match(refused.body.error.message, /not a simple rollout.*strategyId/);
  const named = await request('PATCH', '/v1/flags/targeted/environments/prod', { token: adminToken, body: { rollout: 50, strategyId: 'b' } });
  t.equal(named.status, 200);
  t.same(named.body.strategies.map((strategy: { parameters: { rollout: string } }) => strategy.parameters.rollout), ['10', '50']);
  t.match(named.body.strategies[0].constraints, [{ operator: 'STR_ENDS_WITH' }], 'the other strategy is untouched');
});

const SEGMENT_TESTER = { type: 'system', id: 'test', name: 'test:segments' } as const;

t.test('a segment change is one change event in every environment, in version order, and in every snapshot', async (t) => {
  const versionsBefore = (await env.pool.query<{ key: string; version: string }>(`select key, version from environment order by key`)).rows;
  const { rows } = await withTransaction(
    env.pool,
    (client) => client.query<{ id: number }>(
      `insert into segment (name, constraints) values ('acme', $1::jsonb) returning id`,
      [JSON.stringify([{ contextName: 'email', operator: 'STR_ENDS_WITH', values: ['@acme.com'] }])],
    ),
    { actor: SEGMENT_TESTER },
  );
  const segmentId = rows[0]!.id;
  await withTransaction(env.pool, (client) => client.query(`delete from segment where id = $1`, [segmentId]), { actor: SEGMENT_TESTER });

  const versionsAfter = (await env.pool.query<{ key: string; version: string }>(`select key, version from environment order by key`)).rows;
  t.same(versionsAfter.map((row) => Number(row.version) - Number(versionsBefore.find((b) => b.key === row.key)!.version)), [2, 2, 2]);
  const events = await request('GET', '/v1/events?environment=staging', { token: adminToken });
  const segmentEvents = events.body.events.filter((event: { segment?: number }) => event.segment === segmentId);
  t.match(segmentEvents, [
    { action: 'created', actor: SEGMENT_TESTER, before: null, after: { id: segmentId, name: 'acme', deleted: false } },
    { action: 'deleted', actor: SEGMENT_TESTER, before: { name: 'acme' }, after: { id: segmentId, deleted: true } },
  ]);
  t.notOk('flag' in segmentEvents[0], 'a segment event names no flag');
  for (const event of segmentEvents) ChangeEventSchema.parse(event);
  t.equal(segmentEvents[1].version, segmentEvents[0].version + 1);

  await withTransaction(env.pool, (client) => client.query(`insert into segment (name) values ('kept')`));
  const snapshot = await request('GET', '/v1/client/flags', { token: await sdkToken('dev') });
  t.equal(snapshot.status, 200);
  t.match(snapshot.body.segments, [{ name: 'kept', constraints: [], deleted: false }]);
  t.equal(snapshot.body.segments.length, 1);
  SnapshotSchema.parse(snapshot.body);
});

async function sdkToken(environment: string): Promise<string> {
  const created = await request('POST', '/v1/tokens', { token: adminToken, body: { name: `sdk-${environment}`, kind: 'sdk', environment } });
  return created.body.secret;
}

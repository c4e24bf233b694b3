import pg from 'pg';
import t from 'tap';
import { CHANGE_CHANNEL, ChangeNotificationSchema } from '../../shared/schemas/events.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';

const WRITERS = 8;
const CHANGES_PER_WRITER = 200;
const TOTAL = WRITERS * CHANGES_PER_WRITER;

const env = await createTestEnvironment(t, 'api-concurrency');
// Versions are handed out under the environment's row lock, so these commits run
// one after another, each waiting for its WAL flush (~20 ms on a slow disk: 30 s
// in all). Not waiting for the flush changes durability after a crash, not the
// order, locking or visibility of commits, which is what this file tests.
const { rows: [database] } = await env.pool.query<{ name: string }>(`select current_database() as name`);
await env.pool.query(`alter database ${pg.escapeIdentifier(database!.name)} set synchronous_commit = off`);
// Connections opened before the alter keep the old setting: change theirs too.
const opened = await Promise.all(Array.from({ length: env.pool.totalCount }, () => env.pool.connect()));
for (const client of opened) {
  await client.query(`set synchronous_commit = off`);
  client.release();
}
const { request } = await startTestApi(t, env);
const admin = env.adminSecret;

t.test(`${WRITERS} writers × ${CHANGES_PER_WRITER} changes: gap-free versions, one event each, in commit order`, async (t) => {
  // A fresh environment, so every version in it belongs to this test.
  t.equal((await request('POST', '/v1/environments', { token: admin, body: { key: 'load' } })).status, 201);
  const flags = Array.from({ length: WRITERS }, (_, writer) => `load_flag_${writer}`);
  for (const key of flags) t.equal((await request('POST', '/v1/flags', { token: admin, body: { key } })).status, 201);
  const { rows: [start] } = await env.pool.query(`select version::int from environment where key = 'load'`);
  t.equal(start.version, WRITERS, 'each flag creation took one version');

  const listener = new pg.Client({ connectionString: env.config.databaseUrl });
  await listener.connect();
  t.teardown(() => listener.end());
  const notified: number[] = [];
  let allNotified: () => void;
  const everyNotification = new Promise<void>((resolve) => (allNotified = resolve));
  listener.on('notification', (message) => {
    const payload = ChangeNotificationSchema.parse(JSON.parse(message.payload ?? ''));
    if (payload.environment !== 'load') return;
    notified.push(payload.version);
    if (notified.length === TOTAL) allNotified();
  });
  await listener.query(`listen ${CHANGE_CHANNEL}`);

  // Writer w owns flag w and sets rollout i % 101 at step i: every step is a real
  // change (consecutive values differ, and the flag starts at 100), and all eight
  // compete for the one environment row whose lock hands out versions.
  const written = await Promise.all(
    flags.map(async (key) => {
      const versions: number[] = [];
      for (let step = 0; step < CHANGES_PER_WRITER; step++) {
        const reply = await request('PATCH', `/v1/flags/${key}/environments/load`, { token: admin, body: { rollout: step % 101 } });
        if (reply.status !== 200) throw new Error(`${key} step ${step}: ${reply.status} ${reply.text}`);
        versions.push(reply.body.version);
      }
      return { key, versions };
    }),
  );

  for (const { key, versions } of written) {
    t.ok(versions.every((version, i) => i === 0 || version > versions[i - 1]!), `${key}: its versions strictly increase`);
  }
  const allVersions = written.flatMap((writer) => writer.versions).sort((a, b) => a - b);
  t.same(allVersions, Array.from({ length: TOTAL }, (_, i) => start.version + 1 + i), 'the writes took exactly the next 1600 versions');

  const { rows: [environment] } = await env.pool.query(`select version::int from environment where key = 'load'`);
  t.equal(environment.version, start.version + TOTAL);

  const { rows: events } = await env.pool.query<{ id: number; version: number; flagKey: string; after: { rollout: number; version: number }; before: { rollout: number } | null }>(
    `select id, version, flag_key as "flagKey", after, before from change_event where environment_key = 'load' order by version`,
  );
  t.same(events.map((event) => event.version), Array.from({ length: start.version + TOTAL }, (_, i) => i + 1), 'versions 1..n, each with exactly one event');
  t.ok(events.every((event, i) => i === 0 || event.id > events[i - 1]!.id), 'event ids ordered by version increase: the log is in commit order');
  t.ok(events.every((event) => event.after.version === event.version), 'each event carries its own version');

  // Per flag, the log replays the writer's sequence: each before is the previous after.
  for (const { key, versions } of written) {
    const own = events.filter((event) => event.flagKey === key);
    t.same(own.slice(1).map((event) => event.version), versions, `${key}: its events are its writes`);
    t.same(own.slice(1).map((event) => event.after.rollout), versions.map((_, step) => step % 101));
    t.ok(own.every((event, i) => i === 0 || event.before?.rollout === own[i - 1]!.after.rollout), `${key}: an unbroken chain of before/after`);
  }

  await everyNotification;
  t.same(notified, Array.from({ length: TOTAL }, (_, i) => start.version + 1 + i), 'NOTIFY arrived in version order with no gap');
  const { rows: states } = await env.pool.query<{ key: string; version: number }>(
    `select f.key, s.version::int from flag_state s join flag f on f.id = s.flag_id where s.environment_key = 'load'`,
  );
  for (const { key, versions } of written) {
    t.equal(states.find((state) => state.key === key)!.version, versions.at(-1), `${key}: the state holds its last version`);
  }
});

import pg from 'pg';
import t from 'tap';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';

/*
 * An import's events are written by one statement-level trigger per statement
 * (migration 000011): each change still has exactly one event and one NOTIFY,
 * with gap-free versions in order, and an event's time is its state's.
 */
const env = await createTestEnvironment(t, 'api-import-change-events');
const { request } = await startTestApi(t, env);
const admin = env.adminSecret;

const FLAGS = 30;
const features = Array.from({ length: FLAGS }, (_, index) => ({
  name: `batch_${String(index).padStart(2, '0')}`,
  enabled: index % 2 === 0,
  strategies: [{ name: 'flexibleRollout', parameters: { rollout: String(index + 1), stickiness: 'default', groupId: `batch_${index}` } }],
}));

interface Event { version: number; flag?: string; action: string; createdAt: string; after: { updatedAt: string; enabled: boolean } }

t.test('an import of N new flags: a created event per environment, an updated one in the target, one NOTIFY each, in order', async (t) => {
  const listener = new pg.Client({ connectionString: env.config.databaseUrl });
  await listener.connect();
  t.teardown(() => listener.end());
  const notified: Array<{ environment: string; version: number }> = [];
  listener.on('notification', (message) => notified.push(JSON.parse(message.payload!)));
  await listener.query('listen flagship_changes');

  const environments = (await request('GET', '/v1/environments', { token: admin })).body.environments as Array<{ key: string; version: number }>;
  const before = new Map(environments.map((environment) => [environment.key, environment.version]));
  const imported = await request('POST', '/v1/import/unleash?environment=staging', { token: admin, body: { version: 2, features } });
  t.equal(imported.status, 200, imported.text);
  t.equal(imported.body.flags.created.length, FLAGS);

  for (const { key } of environments) {
    const events: Event[] = (await request('GET', `/v1/events?environment=${key}&limit=500`, { token: admin })).body.events
      .filter((event: Event) => event.version > before.get(key)!);
    const expected = key === 'staging' ? 2 * FLAGS : FLAGS;
    t.equal(events.length, expected, `${key}: one event per change`);
    t.same(events.map((event) => event.version), events.map((_, index) => before.get(key)! + 1 + index), `${key}: gap-free versions in order`);
    t.same(events.map((event) => event.action), [...Array(FLAGS).fill('created'), ...Array(expected - FLAGS).fill('updated')], `${key}: created, then updated`);
    t.ok(events.every((event) => event.createdAt === event.after.updatedAt), `${key}: each event's time is its state's`);
    t.ok(events.every((event, index) => index === 0 || event.createdAt >= events[index - 1]!.createdAt), `${key}: times follow versions`);
    if (key === 'staging') t.same(events.slice(FLAGS).map((event) => event.after.enabled), features.map((feature) => feature.enabled));
  }

  // NOTIFY arrives after the commit; the import answered after it.
  for (const deadline = Date.now() + 20_000; Date.now() < deadline && notified.length < (environments.length + 1) * FLAGS; ) await new Promise((resolve) => setTimeout(resolve, 50));
  t.equal(notified.length, (environments.length + 1) * FLAGS, 'one NOTIFY per change');
  for (const { key } of environments) {
    const versions = notified.filter((note) => note.environment === key).map((note) => note.version);
    t.same(versions, versions.map((_, index) => before.get(key)! + 1 + index), `${key}: notified in version order`);
  }
});

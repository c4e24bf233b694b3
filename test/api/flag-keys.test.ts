import t from 'tap';
import { FlagShipClient } from '../../packages/sdk/index.js';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { startTestNotifier } from '../helpers/notifier.js';
import { createSdkToken, eventually } from '../evaluation/fixtures.js';

/*
 * Flag keys as Unleash accepts them (mixed case, any script, emoji, _ . - ~), percent-encoded
 * in every path (REST, OFREP), raw in bodies and Socket.IO payloads; the database refuses
 * what no writer may store.
 */

const env = await createTestEnvironment(t, 'flag-keys');
const { request } = await startTestApi(t, env);
const admin = env.adminSecret;
const path = (key: string) => encodeURIComponent(key);

const keys = ['NewUI', 'newui', 'Feature.UTF-8.😊_φriend_你好_🌍', 'Ölfaß~Müller', '注文-新しいUI', 'हिन्दी.flag', '👩🏽‍💻🇩🇪', '_hidden', '...'];
for (const key of keys) {
  const created = await request('POST', '/v1/flags', { token: admin, body: { key, environments: { prod: { enabled: true, rollout: 100 } } } });
  if (created.status !== 201) throw new Error(`creating ${key}: ${created.status} ${created.text}`);
}
const token = await createSdkToken(request, admin, 'prod');

t.test('REST: every key reads, changes and lists by its percent-encoded path; case matters', async (t) => {
  for (const key of keys) {
    const read = await request('GET', `/v1/flags/${path(key)}`, { token: admin });
    t.equal(read.status, 200, key);
    t.equal(read.body.key, key, 'the raw key comes back');
    const changed = await request('PATCH', `/v1/flags/${path(key)}/environments/prod`, { token: admin, body: { rollout: 40 } });
    t.equal(changed.status, 200, `PATCH ${key}`);
    t.equal(changed.body.key, key);
    const events = await request('GET', `/v1/events?environment=prod&flag=${path(key)}`, { token: admin });
    t.equal(events.status, 200);
    t.ok(events.body.events.length >= 2 && events.body.events.every((event: { flag: string }) => event.flag === key), `events of ${key} only`);
  }
  t.not((await request('GET', `/v1/flags/NewUI`, { token: admin })).body.id, (await request('GET', `/v1/flags/newui`, { token: admin })).body.id, 'NewUI and newui are two flags');
  const listed = await request('GET', '/v1/flags?limit=200', { token: admin });
  t.same(listed.body.flags.map((flag: { key: string }) => flag.key).sort(), [...keys].sort());
  const page = await request('GET', `/v1/flags?limit=2&after=${path(listed.body.flags[1].key)}`, { token: admin });
  t.equal(page.status, 200, 'a non-ASCII key works as the page cursor');
});

t.test('OFREP and /v1/client/evaluate: encoded in the path, raw in the answers', async (t) => {
  for (const key of keys) {
    const single = await request('POST', `/ofrep/v1/evaluate/flags/${path(key)}`, { token: token.secret, body: { context: { targetingKey: 'u' } } });
    t.equal(single.status, 200, key);
    t.equal(single.body.key, key);
  }
  const bulk = await request('POST', '/ofrep/v1/evaluate/flags', { token: token.secret, body: { context: { targetingKey: 'u' } } });
  t.same(bulk.body.flags.map((flag: { key: string }) => flag.key).sort(), [...keys].sort());
  const evaluated = await request('POST', '/v1/client/evaluate', { token: token.secret, body: { context: { targetingKey: 'u' } } });
  t.same(evaluated.body.flags.map((flag: { key: string }) => flag.key).sort(), [...keys].sort());
});

t.test('the SDK receives raw keys over Socket.IO and evaluates them', async (t) => {
  const notifier = await startTestNotifier(t, env);
  const sdk = new FlagShipClient({ url: notifier.url, token: token.secret, environment: 'prod' });
  t.teardown(() => sdk.close());
  await sdk.ready();
  const emoji = keys[6]!;
  const { version } = (await request('PATCH', `/v1/flags/${path(emoji)}/environments/prod`, { token: admin, body: { enabled: false } })).body;
  await eventually(async () => sdk.version ?? -1, (seen) => seen >= version);
  t.equal(sdk.isEnabled(emoji, { key: 'u' }), false, 'the change to the emoji key arrived under its raw key');
  t.equal(sdk.evaluate(keys[2]!, { key: 'u' }).reason === 'ERROR', false, 'the specification’s UTF-8 name is known');
});

t.test('keys Unleash refuses are a 400 naming the key; the database refuses them too', async (t) => {
  for (const key of ['a/b', 'a b', 'tab\there', 'nul\u0000', 'bidi\u202eevil', '.', '..', 'k'.repeat(101), '😊'.repeat(101), '']) {
    const answer = await request('POST', '/v1/flags', { token: admin, body: { key } });
    t.equal(answer.status, 400, JSON.stringify(key));
    t.match(answer.body.error.message, /body\.key/);
  }
  t.equal((await request('POST', '/v1/flags', { token: admin, body: { key: '😊'.repeat(100) } })).status, 201, '100 emoji are 100 characters');
  for (const key of ['a/b', 'a b', 'tab\there', 'nbsp\u00a0', 'bidi\u202eevil', '..', 'k'.repeat(101)]) {
    await t.rejects(env.pool.query('insert into flag (key) values ($1)', [key]), /flag_key_format/, `the database refuses ${JSON.stringify(key)}`);
  }
  await env.pool.query('insert into flag (key) values ($1)', ['Écrit.en~SQL_😊']);
  t.pass('and takes a key the API takes');
});

import t from 'tap';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';

const env = await createTestEnvironment(t, 'api-events');
const { request } = await startTestApi(t, env);
const admin = env.adminSecret;

interface Event {
  id: number;
  environment: string;
  version: number;
  flag: string;
  action: string;
}

// A small history: 2 flags × 3 environments created, then 4 changes, then an archive.
for (const key of ['alpha', 'beta']) await request('POST', '/v1/flags', { token: admin, body: { key } });
await request('PATCH', '/v1/flags/alpha/environments/prod', { token: admin, body: { enabled: true } });
await request('PATCH', '/v1/flags/alpha/environments/dev', { token: admin, body: { rollout: 50 } });
await request('PATCH', '/v1/flags/beta/environments/prod', { token: admin, body: { rollout: 5 } });
await request('PATCH', '/v1/flags/alpha/environments/prod', { token: admin, body: { rollout: 20 } });
await request('DELETE', '/v1/flags/beta', { token: admin });

const everything: Event[] = (await request('GET', '/v1/events', { token: admin })).body.events;

t.test('the whole log, oldest first, one event per change', async (t) => {
  t.equal(everything.length, 6 + 4 + 3);
  const ids = everything.map((event) => event.id);
  t.same(ids, [...ids].sort((a, b) => a - b), 'newest last');
  t.same(everything.slice(0, 6).map((e) => e.action), Array(6).fill('created'));
  t.same(everything.slice(6, 10).map((e) => `${e.flag}/${e.environment}`), ['alpha/prod', 'alpha/dev', 'beta/prod', 'alpha/prod']);
  t.same(everything.slice(10).map((e) => e.action), ['archived', 'archived', 'archived']);
  for (const event of everything) t.match(event, { createdAt: /^\d{4}-\d\d-\d\dT/, actor: { type: 'token', name: 'FLAGSHIP_ADMIN_TOKEN' } });
});

t.test('filter by environment: that environment only, versions 1..n', async (t) => {
  const prod = (await request('GET', '/v1/events?environment=prod', { token: admin })).body.events as Event[];
  t.ok(prod.every((event) => event.environment === 'prod'));
  t.same(prod.map((event) => event.version), [1, 2, 3, 4, 5, 6]);
  t.same(prod, everything.filter((event) => event.environment === 'prod'));
});

t.test('filter by flag, and by flag and environment together', async (t) => {
  const alpha = (await request('GET', '/v1/events?flag=alpha', { token: admin })).body.events as Event[];
  t.same(alpha, everything.filter((event) => event.flag === 'alpha'));
  const alphaProd = (await request('GET', '/v1/events?flag=alpha&environment=prod', { token: admin })).body.events as Event[];
  t.same(alphaProd.map((e) => e.action), ['created', 'updated', 'updated']);
  const archived = (await request('GET', '/v1/events?flag=beta', { token: admin })).body.events as Event[];
  t.equal(archived.filter((e) => e.action === 'archived').length, 3, 'an archived flag keeps its history');
});

t.test('after and limit page through the log with nextAfter', async (t) => {
  const first = await request('GET', '/v1/events?limit=5', { token: admin });
  t.same(first.body.events, everything.slice(0, 5));
  t.type(first.body.nextAfter, 'string');
  t.equal(first.body.nextAfter, first.body.cursor, 'a full page: the next one starts where it ends');
  const walked: Event[] = [...first.body.events];
  let after = first.body.nextAfter;
  while (after !== null) {
    const page = await request('GET', `/v1/events?limit=5&after=${after}`, { token: admin });
    walked.push(...page.body.events);
    after = page.body.nextAfter;
  }
  t.same(walked, everything, 'the walk sees every event once');

  const eleven = await request('GET', '/v1/events?limit=11', { token: admin });
  const tail = await request('GET', `/v1/events?after=${eleven.body.nextAfter}`, { token: admin });
  t.same(tail.body.events, everything.slice(11));
  t.equal(tail.body.nextAfter, null, 'the end of the log');
  const later = await request('GET', `/v1/events?after=${tail.body.cursor}`, { token: admin });
  t.same(later.body.events, [], 'its cursor resumes after everything read');
  const filteredPage = await request('GET', '/v1/events?environment=dev&limit=2&after=dev:1', { token: admin });
  t.same(filteredPage.body.events, everything.filter((e) => e.environment === 'dev' && e.version > 1).slice(0, 2));
});

t.test('unknown filters are 404s naming them; malformed ones 400s naming the parameter', async (t) => {
  const noEnvironment = await request('GET', '/v1/events?environment=mars', { token: admin });
  t.equal(noEnvironment.status, 404);
  t.match(noEnvironment.body.error.message, /environment 'mars'/);
  const noFlag = await request('GET', '/v1/events?flag=ghost', { token: admin });
  t.equal(noFlag.status, 404);
  t.match(noFlag.body.error.message, /flag 'ghost'/);
  for (const [query, field] of <[string, string][]>[
    ['after=-1', 'after'],
    ['after=abc', 'after'],
    ['after=1.5', 'after'],
    ['after=12', 'after'],
    ['after=PROD:1', 'after'],
    ['limit=0', 'limit'],
    ['limit=1001', 'limit'],
    ['environment=PROD', 'environment'],
    ['flag=Bad Key', 'flag'],
    ['since=3', 'since'],
    ['limit=1&limit=2', 'limit'],
  ]) {
    const refused = await request('GET', `/v1/events?${query}`, { token: admin });
    t.equal(refused.status, 400, query);
    t.match(refused.body.error.message, field, query);
  }
});

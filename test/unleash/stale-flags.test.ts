import t from 'tap';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';

const DAY = 24 * 3_600_000;
const env = await createTestEnvironment(t, 'unleash-stale');
// Flags are created at PostgreSQL's now(); the API's clock is moved forward from there.
let offsetDays = 0;
const api = await startTestApi(t, env, { clock: () => new Date(Date.now() + offsetDays * DAY) });
const { request } = api;
const admin = env.adminSecret;
const sdk = (await request('POST', '/v1/tokens', { token: admin, body: { name: 'app', kind: 'sdk', environment: 'prod' } })).body.secret;

async function createFlag(key: string, type: string, environments: Record<string, unknown>) {
  const response = await request('POST', '/v1/flags', { token: admin, body: { key, type, environments } });
  if (response.status !== 201) throw new Error(`could not create ${key}: ${response.text}`);
  return response.body;
}

const everywhere = (state: Record<string, unknown>) => ({ dev: state, staging: state, prod: state });
await createFlag('ops-toggle', 'operational', { prod: { enabled: true, rollout: 50 } });
await createFlag('unused-switch', 'kill-switch', { prod: { enabled: true, rollout: 50 } });
await createFlag('settled', 'kill-switch', everywhere({ enabled: true, rollout: 100 }));
await createFlag('fresh-permission', 'permission', { prod: { enabled: true, rollout: 50 } });
await createFlag('plain-release', 'release', { prod: { enabled: true, rollout: 30 } });

/** An Unleash SDK report ending at the API's "now" (the server clamps it to its clock). */
async function evaluatedNow(...keys: string[]) {
  const at = new Date(Date.now() + offsetDays * DAY);
  const response = await request('POST', '/api/client/metrics', {
    headers: { authorization: sdk },
    body: {
      appName: 'app',
      bucket: {
        start: new Date(at.getTime() - 60_000).toISOString(),
        stop: at.toISOString(),
        toggles: Object.fromEntries(keys.map((key) => [key, { yes: 1, no: 1 }])),
      },
    },
  });
  if (response.status !== 202) throw new Error(`metrics: ${response.text}`);
}

async function stale(query = ''): Promise<Record<string, string[]>> {
  const response = await request('GET', `/v1/flags?stale=true${query}`, { token: admin });
  if (response.status !== 200) throw new Error(`stale list: ${response.status} ${response.text}`);
  return Object.fromEntries(
    response.body.flags.map((flag: { key: string; staleReasons: { rule: string }[] }) => [flag.key, flag.staleReasons.map((reason) => reason.rule)]),
  );
}

t.test('new flags are not stale', async (t) => {
  t.same(await stale(), {});
});

t.test('an operational flag is stale after its 7-day lifetime; release flags after 40', async (t) => {
  offsetDays = 8;
  const page = await request('GET', '/v1/flags?stale=true', { token: admin });
  t.same(await stale(), { 'ops-toggle': ['past-lifetime'] });
  t.match(page.body.flags[0].staleReasons[0].message, /operational flag is expected to live 7 days; this one is 8 days old/);
  offsetDays = 41;
  t.ok((await stale())['plain-release']?.includes('past-lifetime'), 'release: 40 days');
  t.notOk((await stale())['fresh-permission']?.includes('past-lifetime'), 'permission flags live for ever');
});

t.test('a flag nothing evaluated for N days is stale; staleDays sets N', async (t) => {
  offsetDays = 8;
  t.same(await stale('&staleDays=5'), {
    'ops-toggle': ['past-lifetime', 'not-evaluated'],
    'unused-switch': ['not-evaluated'],
    settled: ['not-evaluated', 'unchanged-everywhere'],
    'fresh-permission': ['not-evaluated'],
    'plain-release': ['not-evaluated'],
  });
  offsetDays = 31;
  await evaluatedNow('settled', 'fresh-permission');
  const list = await stale();
  t.same(list['unused-switch'], ['not-evaluated'], 'never evaluated in the 31 days since it was created');
  t.notOk(list['fresh-permission'], 'evaluated today: not stale');
  offsetDays = 62;
  t.ok((await stale())['fresh-permission']?.includes('not-evaluated'), '31 days after its last evaluation');
});

t.test('a flag giving everyone the same answer everywhere for N days is stale', async (t) => {
  offsetDays = 31;
  await evaluatedNow('settled');
  const list = await stale();
  t.same(list.settled, ['unchanged-everywhere']);
  const response = await request('GET', '/v1/flags?stale=true', { token: admin });
  const settled = response.body.flags.find((flag: { key: string }) => flag.key === 'settled');
  t.match(settled.staleReasons[0].message, /\(100 % in dev, 100 % in prod, 100 % in staging\), unchanged for 31 days/);
  t.notOk(list['unused-switch']?.includes('unchanged-everywhere'), 'a partial rollout somewhere is not the same answer for all');

  // A change restarts the clock: N days from the change.
  offsetDays = 0;
  const changed = await request('PATCH', '/v1/flags/settled/environments/dev', { token: admin, body: { enabled: false } });
  t.equal(changed.status, 200);
  offsetDays = 31;
  await evaluatedNow('settled');
  t.same((await stale())['settled'], ['unchanged-everywhere'], 'off in dev, on elsewhere: still one answer per environment');
  offsetDays = 20;
  await evaluatedNow('settled');
  t.notOk((await stale())['settled'], '20 days after the change: not yet');
});

t.test('the stale list pages like the flag list', async (t) => {
  offsetDays = 100;
  const first = await request('GET', '/v1/flags?stale=true&limit=2', { token: admin });
  t.equal(first.body.flags.length, 2);
  t.equal(first.body.nextAfter, first.body.flags[1].key);
  const rest = await request('GET', `/v1/flags?stale=true&limit=10&after=${first.body.nextAfter}`, { token: admin });
  t.same([...first.body.flags, ...rest.body.flags].map((flag: { key: string }) => flag.key), ['fresh-permission', 'ops-toggle', 'plain-release', 'settled', 'unused-switch']);
  t.equal(rest.body.nextAfter, null);
  const bad = await request('GET', '/v1/flags?stale=maybe', { token: admin });
  t.equal(bad.status, 400);
  t.match(bad.body.error.message, /stale/);
  const both = await request('GET', '/v1/flags?stale=true&archived=only', { token: admin });
  t.equal(both.status, 400);
  t.match(both.body.error.message, /archived/);
  t.equal((await request('GET', '/v1/flags?stale=true&staleDays=0', { token: admin })).status, 400);
});

t.test('a flag type is set at creation and edited later; an unknown one is a 400', async (t) => {
  const created = await createFlag('typed', 'experiment', {});
  t.equal(created.type, 'experiment');
  t.equal((await createFlag('untyped-is-release', 'release', {})).type, 'release');
  const defaulted = await request('POST', '/v1/flags', { token: admin, body: { key: 'no-type-given' } });
  t.equal(defaulted.body.type, 'release');
  const edited = await request('PATCH', '/v1/flags/typed', { token: admin, body: { type: 'permission' } });
  t.equal(edited.status, 200);
  t.equal(edited.body.type, 'permission');
  t.equal(edited.body.description, '', 'the description stays');
  const bad = await request('POST', '/v1/flags', { token: admin, body: { key: 'bad-type', type: 'forever' } });
  t.equal(bad.status, 400);
  t.match(bad.body.error.message, /body\.type/);
  t.equal((await request('GET', '/v1/flags/bad-type', { token: admin })).status, 404, 'nothing written');
  const badEdit = await request('PATCH', '/v1/flags/typed', { token: admin, body: { type: 'temporary' } });
  t.equal(badEdit.status, 400);
  t.equal((await request('GET', '/v1/flags/typed', { token: admin })).body.type, 'permission');
});

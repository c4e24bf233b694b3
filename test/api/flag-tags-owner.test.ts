import t from 'tap';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';

const env = await createTestEnvironment(t, 'api-flag-tags-owner');
const { request } = await startTestApi(t, env);
const admin = env.adminSecret;

t.test('a flag is created with tags and an owner, and read back with them', async (t) => {
  const created = await request('POST', '/v1/flags', {
    token: admin,
    body: { key: 'checkout_v2', tags: ['checkout', 'team:payments'], owner: 'payments' },
  });
  t.equal(created.status, 201);
  t.same(created.body.tags, ['checkout', 'team:payments']);
  t.equal(created.body.owner, 'payments');
  t.same((await request('GET', '/v1/flags/checkout_v2', { token: admin })).body, created.body);

  const plain = await request('POST', '/v1/flags', { token: admin, body: { key: 'no_tags' } });
  t.same(plain.body.tags, [], 'no tags unless given');
  t.equal(plain.body.owner, null, 'nobody owns it unless told');
});

t.test('PATCH replaces the tags and sets or clears the owner, without a change event', async (t) => {
  const eventsBefore = await request('GET', '/v1/events?flag=checkout_v2', { token: admin });
  t.equal(eventsBefore.body.events.length, 3, 'its creation: one event per environment');
  const retagged = await request('PATCH', '/v1/flags/checkout_v2', { token: admin, body: { tags: ['checkout'], owner: 'web-team' } });
  t.equal(retagged.status, 200);
  t.same(retagged.body.tags, ['checkout']);
  t.equal(retagged.body.owner, 'web-team');

  const described = await request('PATCH', '/v1/flags/checkout_v2', { token: admin, body: { description: 'new checkout' } });
  t.same(described.body.tags, ['checkout'], 'a PATCH without tags keeps them');
  t.equal(described.body.owner, 'web-team', 'and keeps the owner');

  const cleared = await request('PATCH', '/v1/flags/checkout_v2', { token: admin, body: { tags: [], owner: null } });
  t.equal(cleared.status, 200);
  t.same(cleared.body.tags, []);
  t.equal(cleared.body.owner, null);
  const eventsAfter = await request('GET', '/v1/events?flag=checkout_v2', { token: admin });
  t.same(eventsAfter.body, eventsBefore.body, 'tags and owners are not part of any state: no event');
});

t.test('bad tags and owners are a 400 naming the field, and nothing is stored', async (t) => {
  const cases: Array<[Record<string, unknown>, (string | number)[]]> = [
    [{ tags: ['Has Space'] }, ['tags', 0]],
    [{ tags: ['ok', 'UPPER'] }, ['tags', 1]],
    [{ tags: ['x'.repeat(51)] }, ['tags', 0]],
    [{ tags: ['dup', 'dup'] }, ['tags']],
    [{ tags: Array.from({ length: 21 }, (_, index) => `t${index}`) }, ['tags']],
    [{ tags: 'checkout' }, ['tags']],
    [{ owner: '' }, ['owner']],
    [{ owner: '   ' }, ['owner']],
    [{ owner: 'x'.repeat(101) }, ['owner']],
    [{ owner: 42 }, ['owner']],
  ];
  for (const [fields, path] of cases) {
    const created = await request('POST', '/v1/flags', { token: admin, body: { key: 'refused', ...fields } });
    t.equal(created.status, 400, `create with ${JSON.stringify(fields).slice(0, 60)}`);
    t.match(created.body.error.details, [{ path }], `names ${path.join('.')}`);
    const edited = await request('PATCH', '/v1/flags/no_tags', { token: admin, body: fields });
    t.equal(edited.status, 400, `edit with ${JSON.stringify(fields).slice(0, 60)}`);
    t.match(edited.body.error.details, [{ path }]);
  }
  t.equal((await request('GET', '/v1/flags/refused', { token: admin })).status, 404, 'no flag was created');
  const kept = await request('GET', '/v1/flags/no_tags', { token: admin });
  t.same(kept.body.tags, []);
  t.equal(kept.body.owner, null);
});

t.test('the list filters by tag and by owner, combined with each other and with stale', async (t) => {
  await request('POST', '/v1/flags', { token: admin, body: { key: 'a_pay', tags: ['checkout'], owner: 'payments' } });
  await request('POST', '/v1/flags', { token: admin, body: { key: 'b_pay', tags: ['search'], owner: 'payments' } });
  await request('POST', '/v1/flags', { token: admin, body: { key: 'c_web', tags: ['checkout', 'search'], owner: 'web' } });
  const keys = async (query: string) => {
    const page = await request('GET', `/v1/flags?${query}`, { token: admin });
    t.equal(page.status, 200, query);
    return page.body.flags.map((flag: { key: string }) => flag.key);
  };
  t.same(await keys('tag=checkout'), ['a_pay', 'c_web']);
  t.same(await keys('owner=payments'), ['a_pay', 'b_pay']);
  t.same(await keys('tag=search&owner=payments'), ['b_pay']);
  t.same(await keys('tag=checkout&limit=1&after=a_pay'), ['c_web'], 'pages through a filtered list');
  t.equal((await request('GET', '/v1/flags?tag=search&stale=true', { token: admin })).status, 200, 'tag combines with stale=true');
  const badTag = await request('GET', '/v1/flags?tag=Not%20A%20Tag', { token: admin });
  t.equal(badTag.status, 400);
  t.match(badTag.body.error.details, [{ path: ['tag'] }]);
});

t.test('/openapi.json describes tags and owner on flags and in the list query', async (t) => {
  const spec = (await request('GET', '/openapi.json')).body;
  const flag = spec.components.schemas.Flag;
  t.ok(flag.properties.tags, 'Flag has tags');
  t.ok(flag.properties.owner, 'Flag has owner');
  t.ok(spec.components.schemas.CreateFlag.properties.tags);
  t.ok(spec.components.schemas.UpdateFlag.properties.owner);
  const listParameters = spec.paths['/v1/flags'].get.parameters.map((parameter: { name: string }) => parameter.name);
  t.ok(listParameters.includes('tag') && listParameters.includes('owner'), 'GET /v1/flags takes tag and owner');
});

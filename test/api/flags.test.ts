import t from 'tap';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';

const env = await createTestEnvironment(t, 'api-flags');
const { request } = await startTestApi(t, env);
const admin = env.adminSecret;

t.test('create a flag with initial states, read it back', async (t) => {
  const created = await request('POST', '/v1/flags', {
    token: admin,
    body: { key: 'new_ui', description: 'the new UI', environments: { prod: { enabled: true, rollout: 25 } } },
  });
  t.equal(created.status, 201);
  t.equal(created.body.key, 'new_ui');
  t.match(created.body.environments.prod, { enabled: true, rollout: 25, version: 1, updatedBy: 'token:FLAGSHIP_ADMIN_TOKEN' });
  t.match(created.body.environments.dev, { enabled: false, rollout: 100 });

  const read = await request('GET', '/v1/flags/new_ui', { token: admin });
  t.equal(read.status, 200);
  t.same(read.body, created.body);
});

t.test('a duplicate key is a 409', async (t) => {
  const again = await request('POST', '/v1/flags', { token: admin, body: { key: 'new_ui' } });
  t.equal(again.status, 409);
  t.equal(again.body.error.code, 'conflict');
});

t.test('creating a flag: defaults, initial states, and what is refused', async (t) => {
  const plain = await request('POST', '/v1/flags', { token: admin, body: { key: 'plain' } });
  t.equal(plain.status, 201);
  t.match(plain.body, { key: 'plain', description: '', archivedAt: null });
  t.same(Object.keys(plain.body.environments).sort(), ['dev', 'prod', 'staging']);
  for (const state of Object.values<{ enabled: boolean; rollout: number }>(plain.body.environments)) {
    t.match(state, { enabled: false, rollout: 100 }, 'disabled at 100% unless told otherwise');
  }

  const unknownEnvironment = await request('POST', '/v1/flags', {
    token: admin,
    body: { key: 'orphan', environments: { nowhere: { enabled: true } } },
  });
  t.equal(unknownEnvironment.status, 400);
  t.match(unknownEnvironment.body.error.message, /nowhere/);
  t.match(unknownEnvironment.body.error.details, [{ path: ['environments', 'nowhere'] }]);
  t.equal((await request('GET', '/v1/flags/orphan', { token: admin })).status, 404, 'nothing half-created');
});

t.test('reading a missing flag is a 404 naming it', async (t) => {
  const missing = await request('GET', '/v1/flags/no_such_flag', { token: admin });
  t.equal(missing.status, 404);
  t.equal(missing.body.error.code, 'not_found');
  t.match(missing.body.error.message, /'no_such_flag'/);
});

t.test('editing the description', async (t) => {
  const edited = await request('PATCH', '/v1/flags/plain', { token: admin, body: { description: 'now described' } });
  t.equal(edited.status, 200);
  t.equal(edited.body.description, 'now described');
  t.ok(edited.body.updatedAt >= edited.body.createdAt);
  t.equal((await request('GET', '/v1/flags/plain', { token: admin })).body.description, 'now described');

  const missing = await request('PATCH', '/v1/flags/nope', { token: admin, body: { description: 'x' } });
  t.equal(missing.status, 404);
  t.match(missing.body.error.message, /'nope'/);
  const tooLong = await request('PATCH', '/v1/flags/plain', { token: admin, body: { description: 'x'.repeat(1001) } });
  t.equal(tooLong.status, 400);
  t.match(tooLong.body.error.details, [{ path: ['description'] }]);
  const renaming = await request('PATCH', '/v1/flags/plain', { token: admin, body: { description: 'x', key: 'renamed' } });
  t.equal(renaming.status, 400, 'the key cannot be edited: unknown field');
  t.match(renaming.body.error.message, /key/);
});

t.test('archiving: an archived event in every environment, out of the default list, key stays taken', async (t) => {
  const created = await request('POST', '/v1/flags', {
    token: admin,
    body: { key: 'old_banner', environments: { prod: { enabled: true, rollout: 30 } } },
  });
  t.equal(created.status, 201);
  const archived = await request('DELETE', '/v1/flags/old_banner', { token: admin });
  t.equal(archived.status, 200);
  t.match(archived.body.archivedAt, /^\d{4}-/);

  const events = await request('GET', '/v1/events?flag=old_banner', { token: admin });
  const archivals = events.body.events.filter((e: { action: string }) => e.action === 'archived');
  t.same(archivals.map((e: { environment: string }) => e.environment).sort(), ['dev', 'prod', 'staging']);
  for (const event of archivals) {
    t.equal(event.after.archived, true);
    t.equal(event.before.archived, false);
    t.match(event.actor, { type: 'token', name: 'FLAGSHIP_ADMIN_TOKEN' });
    t.equal(event.after.version, event.version);
  }
  const prod = archivals.find((e: { environment: string }) => e.environment === 'prod');
  t.match(prod.after, { enabled: true, rollout: 30 }, 'the archived event carries the last state');

  const live = await request('GET', '/v1/flags?limit=200', { token: admin });
  t.notOk(live.body.flags.some((f: { key: string }) => f.key === 'old_banner'), 'not in the default list');
  const only = await request('GET', '/v1/flags?archived=only', { token: admin });
  t.same(only.body.flags.map((f: { key: string }) => f.key), ['old_banner']);
  const all = await request('GET', '/v1/flags?archived=true&limit=200', { token: admin });
  t.ok(all.body.flags.some((f: { key: string }) => f.key === 'old_banner'));
  t.ok(all.body.flags.some((f: { key: string }) => f.key === 'plain'));

  const read = await request('GET', '/v1/flags/old_banner', { token: admin });
  t.equal(read.status, 200, 'an archived flag can still be read');
  t.equal(read.body.archivedAt, archived.body.archivedAt);

  const again = await request('DELETE', '/v1/flags/old_banner', { token: admin });
  t.equal(again.status, 409);
  t.match(again.body.error.message, /already archived/);
  const change = await request('PATCH', '/v1/flags/old_banner/environments/prod', { token: admin, body: { enabled: false } });
  t.equal(change.status, 409);
  t.match(change.body.error.message, /'old_banner' is archived/);
  const reuse = await request('POST', '/v1/flags', { token: admin, body: { key: 'old_banner' } });
  t.equal(reuse.status, 409, 'archived keys stay taken');
  const missing = await request('DELETE', '/v1/flags/never_was', { token: admin });
  t.equal(missing.status, 404);
  t.match(missing.body.error.message, /'never_was'/);
});

t.test('the list pages by key with after/limit, and nextAfter ends the walk', async (t) => {
  const keys = ['page.a', 'page.b', 'page.c', 'page.d', 'page.e', 'page.f', 'page.g'];
  for (const key of [...keys].reverse()) {
    t.equal((await request('POST', '/v1/flags', { token: admin, body: { key } })).status, 201);
  }
  const all = await request('GET', '/v1/flags?limit=200', { token: admin });
  const expected = all.body.flags.map((f: { key: string }) => f.key);
  t.same(expected, [...expected].sort(), 'ordered by key');
  t.equal(all.body.nextAfter, null);

  const walked: string[] = [];
  let after: string | null = null;
  let pages = 0;
  do {
    const page: { body: { flags: { key: string; environments: object }[]; nextAfter: string | null } } = await request(
      'GET',
      `/v1/flags?limit=3${after ? `&after=${after}` : ''}`,
      { token: admin },
    );
    t.ok(page.body.flags.length <= 3);
    for (const flag of page.body.flags) t.same(Object.keys(flag.environments).sort(), ['dev', 'prod', 'staging']);
    walked.push(...page.body.flags.map((f) => f.key));
    after = page.body.nextAfter;
    pages += 1;
  } while (after !== null && pages < 20);
  t.same(walked, expected, 'every live flag exactly once, in order');
  t.equal(pages, Math.ceil(expected.length / 3) + (expected.length % 3 === 0 ? 1 : 0));

  const fromMiddle = await request('GET', '/v1/flags?after=page.c&limit=2', { token: admin });
  t.same(fromMiddle.body.flags.map((f: { key: string }) => f.key), ['page.d', 'page.e']);
  t.equal(fromMiddle.body.nextAfter, 'page.e');
  const pastTheEnd = await request('GET', '/v1/flags?after=zzz', { token: admin });
  t.same(pastTheEnd.body, { flags: [], nextAfter: null });

  for (const query of ['limit=0', 'limit=201', 'limit=ten', 'limit=-1', 'limit=1.5', 'after=B%2FAD', 'archived=maybe', 'page=2']) {
    const refused = await request('GET', `/v1/flags?${query}`, { token: admin });
    t.equal(refused.status, 400, query);
    t.match(refused.body.error.message, new RegExp(`query\\.?${query.split('=')[0] === 'page' ? '' : query.split('=')[0]}`));
  }
});

t.test('archiving while other flags are created never deadlocks', async (t) => {
  // Regression: the archive trigger touched states in physical row order; once an
  // environment sorting before the others existed, that order differed from flag
  // creation's (by key) and the two deadlocked (a 500).
  const keys = Array.from({ length: 8 }, (_, i) => `deadlock_${i}`);
  for (const key of keys) await request('POST', '/v1/flags', { token: admin, body: { key } });
  t.equal((await request('POST', '/v1/environments', { token: admin, body: { key: 'aaa-first' } })).status, 201);
  for (const key of keys) {
    await request('PATCH', `/v1/flags/${key}/environments/dev`, { token: admin, body: { enabled: true } });
  }
  const replies = await Promise.all([
    ...keys.map((key) => request('DELETE', `/v1/flags/${key}`, { token: admin })),
    ...keys.map((key) => request('POST', '/v1/flags', { token: admin, body: { key: `${key}_new` } })),
    ...keys.map((key) => request('PATCH', `/v1/flags/${key}/environments/prod`, { token: admin, body: { rollout: 5 } })),
  ]);
  const statuses = replies.map((reply) => reply.status);
  t.same(statuses.slice(0, 16), [...Array(8).fill(200), ...Array(8).fill(201)]);
  t.ok(statuses.slice(16).every((status) => status === 200 || status === 409), 'a state change lands before the archive or is refused after it');
  const { rows } = await env.pool.query(
    `select environment_key, count(*)::int as events, max(version)::int as top from change_event group by environment_key`,
  );
  for (const row of rows) t.equal(row.events, row.top, `${row.environment_key}: versions stay gap-free`);
});

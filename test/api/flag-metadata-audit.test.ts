import pg from 'pg';
import t from 'tap';
import { startTestApi } from '../helpers/api.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { personWithToken, type Grant } from '../helpers/people.js';

/*
 * GET /v1/flags/{key}/metadata-changes: who changed a flag's description,
 * type, tags or owner, and when (the flag_metadata_change table, migration
 * 000031), oldest first, paged by the id of the last change read; the same
 * access as reading the flag.
 */

const env = await createTestEnvironment(t, 'api-flag-metadata-audit');
const { request } = await startTestApi(t, env);
const admin = env.adminSecret;


const person = (email: string, roles: Grant[]) => personWithToken(request, env.pool, admin, email, roles);

for (const key of ['web', 'mobile']) await request('POST', '/v1/projects', { token: admin, body: { key } });
for (const [key, project] of [['checkout', 'web'], ['mobile_nav', 'mobile']] as const) {
  const created = await request('POST', '/v1/flags', { token: admin, body: { key, project, description: 'first', owner: 'web-team' } });
  if (created.status !== 201) throw new Error(created.text);
}
const ada = await person('ada@example.com', [{ role: 'editor', project: 'web' }]);
const webViewer = await person('vi@example.com', [{ role: 'viewer', project: 'web' }]);

const metadata = (description: string, owner: string | null, tags: string[] = []) => ({ description, type: 'release', tags, owner });

t.test('each change, with who made it and the fields before and after, oldest first', async (t) => {
  t.equal((await request('PATCH', '/v1/flags/checkout', { token: ada.token, body: { owner: 'payments' } })).status, 200);
  t.equal((await request('PATCH', '/v1/flags/checkout', { token: admin, body: { description: 'second', tags: ['pay'] } })).status, 200);
  t.equal((await request('PATCH', '/v1/flags/mobile_nav', { token: admin, body: { description: 'elsewhere' } })).status, 200);

  const page = await request('GET', '/v1/flags/checkout/metadata-changes', { token: webViewer.token });
  t.equal(page.status, 200, page.text);
  const changes = page.body.changes as Array<Record<string, any>>;
  t.equal(changes.length, 2, "only this flag's changes");
  t.match(changes[0], {
    flag: 'checkout',
    project: 'web',
    actor: { type: 'user', id: ada.id, name: 'ada', email: 'ada@example.com' },
    before: metadata('first', 'web-team'),
    after: metadata('first', 'payments'),
  });
  t.same(changes[0]!.before, metadata('first', 'web-team'), 'before: all four fields');
  t.match(changes[1], { actor: { type: 'token' }, before: metadata('first', 'payments'), after: metadata('second', 'payments', ['pay']) });
  t.ok(changes[0]!.id < changes[1]!.id, 'oldest first');
  for (const change of changes) t.equal(new Date(change.createdAt).toISOString(), change.createdAt, 'an ISO time');
  t.equal(page.body.nextAfter, null, 'the last page');
  t.equal(page.body.cursor, changes[1]!.id, 'ends at its last change');

  const none = await request('GET', '/v1/flags/checkout/metadata-changes?after=' + page.body.cursor, { token: admin });
  t.same(none.body, { changes: [], nextAfter: null, cursor: page.body.cursor }, 'nothing since');
});

t.test('pages by the id of the last change read, none skipped or repeated', async (t) => {
  for (let i = 0; i < 5; i++) {
    t.equal((await request('PATCH', '/v1/flags/checkout', { token: admin, body: { description: `paged ${i}` } })).status, 200);
  }
  const all = (await request('GET', '/v1/flags/checkout/metadata-changes?limit=1000', { token: admin })).body.changes as Array<{ id: number }>;
  t.equal(all.length, 7);

  const read: number[] = [];
  let after: number | null = 0;
  for (let pages = 0; after !== null && pages < 10; pages++) {
    const page: { status: number; text: string; body: any } = await request('GET', `/v1/flags/checkout/metadata-changes?after=${after}&limit=3`, { token: admin });
    t.equal(page.status, 200, page.text);
    t.ok(page.body.changes.length <= 3);
    read.push(...page.body.changes.map((change: { id: number }) => change.id));
    after = page.body.nextAfter;
  }
  t.same(read, all.map((change) => change.id), 'every change once, in order');

  const written = await request('PATCH', '/v1/flags/checkout', { token: admin, body: { owner: null } });
  t.equal(written.status, 200);
  const since = await request('GET', `/v1/flags/checkout/metadata-changes?after=${read.at(-1)}`, { token: admin });
  t.match(since.body.changes, [{ before: { owner: 'payments' }, after: { owner: null } }], 'a later change, after the cursor');
  t.equal(since.body.changes.length, 1);
});

t.test('a change still being written is not skipped: changes of one flag take ids in commit order', async (t) => {
  const connect = async () => {
    const client = new pg.Client({ connectionString: env.config.databaseUrl });
    await client.connect();
    t.teardown(() => client.end());
    return client;
  };
  const first = await connect();
  const second = await connect();
  const read = async (after: number) => (await request('GET', `/v1/flags/checkout/metadata-changes?after=${after}`, { token: admin })).body;
  const start = (await read(0)).cursor as number;

  await first.query('begin');
  await first.query(`update flag set owner = 'first' where key = 'checkout'`);
  // The same flag from another transaction: it waits for the first one's row lock.
  await second.query('begin');
  const secondWrite = second.query(`update flag set owner = 'second' where key = 'checkout'`);
  const open = await read(start);
  t.same(open.changes, [], 'nothing while the first is open');
  t.equal(open.cursor, start, 'and the cursor stays');

  await first.query('commit');
  await secondWrite;
  const afterFirst = await read(start);
  t.match(afterFirst.changes, [{ after: { owner: 'first' } }], "the first, once committed; the second's is not yet visible");
  t.equal(afterFirst.changes.length, 1);
  await second.query('commit');
  const afterSecond = await read(afterFirst.cursor);
  t.match(afterSecond.changes, [{ before: { owner: 'first' }, after: { owner: 'second' } }], 'then the second, after the cursor: none skipped');
  t.equal(afterSecond.changes.length, 1);
});

t.test('the access of reading the flag: unknown flag 404, another project 403, wrong token kind 403', async (t) => {
  const unknown = await request('GET', '/v1/flags/nowhere/metadata-changes', { token: admin });
  t.equal(unknown.status, 404);
  t.match(unknown.body.error.message, /nowhere/);

  // Exactly as GET /v1/flags/{key} answers a person without a role on the flag's project.
  t.equal((await request('GET', '/v1/flags/mobile_nav', { token: webViewer.token })).status, 403);
  const theirs = await request('GET', '/v1/flags/mobile_nav/metadata-changes', { token: webViewer.token });
  t.equal(theirs.status, 403);
  t.match(theirs.body.error.message, /viewer role on project 'mobile'/);
  t.notMatch(theirs.text, /elsewhere/, 'nothing of the change shown');

  const sdk = await request('POST', '/v1/tokens', { token: admin, body: { name: 'app', kind: 'sdk', environment: 'prod' } });
  t.equal(sdk.status, 201, 'an sdk token made');
  t.equal((await request('GET', '/v1/flags/checkout/metadata-changes', { token: sdk.body.secret })).status, 403, 'an sdk token');
  t.equal((await request('GET', '/v1/flags/checkout/metadata-changes')).status, 401, 'no token');
});

t.test('a bad after or limit is a 400 naming it', async (t) => {
  for (const [query, field] of <Array<[string, string]>>[
    ['after=abc', 'after'],
    ['after=-1', 'after'],
    ['after=1.5', 'after'],
    ['limit=0', 'limit'],
    ['limit=1001', 'limit'],
    ['limit=ten', 'limit'],
    ['since=1', 'since'],
  ]) {
    const answer = await request('GET', `/v1/flags/checkout/metadata-changes?${query}`, { token: admin });
    t.equal(answer.status, 400, query);
    t.ok(
      (answer.body.error.details as Array<{ path: unknown[] }>).some((detail) => detail.path.includes(field) || JSON.stringify(detail).includes(field)),
      `${query}: names ${field} (${JSON.stringify(answer.body.error.details)})`,
    );
  }
});

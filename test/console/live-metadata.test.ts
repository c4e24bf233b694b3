import t from 'tap';
import { DESKTOP, launchBrowser, openPage } from './support/browser.js';
import { signIn, startConsoleWorld } from './support/console-world.js';

// A change of a flag's own fields (description, owner, tags, type) reaches every open console
// over the admin stream's `event: flag`, though it moves no environment version (SDKs never see it).

const { env, api } = await startConsoleWorld(t, 'console-live-metadata');
const browser = await launchBrowser(t);
const admin = env.adminSecret;
// Bounded, not a speed test: without the live event the other page never shows the change.
const LIVE = { timeout: 5000 };

const versions = async () =>
  Object.fromEntries(
    ((await api.request('GET', '/v1/environments', { token: admin })).body.environments as Array<{ key: string; version: number }>).map((e) => [e.key, e.version]),
  );

t.test('one console edits description, owner, tags and type; another shows each without a reload', async (t) => {
  t.equal((await api.request('POST', '/v1/flags', { token: admin, body: { key: 'checkout-v2', description: 'the new checkout' } })).status, 201);
  const before = await versions();

  const editor = await openPage(browser, DESKTOP, t);
  const watcher = await openPage(browser, DESKTOP, t);
  await signIn(editor.page, api.url, admin);
  await signIn(watcher.page, api.url, admin);
  const row = watcher.page.locator('[data-flag="checkout-v2"]');
  await row.getByText('no owner').waitFor();

  await editor.page.goto(`${api.url}/flag/checkout-v2/settings`);
  await editor.page.getByRole('heading', { name: 'checkout-v2' }).waitFor();
  await editor.page.getByLabel('Description', { exact: true }).fill('the one-page checkout');
  await editor.page.getByRole('button', { name: 'Save description' }).click();
  await row.locator('.description').filter({ hasText: /^the one-page checkout$/ }).waitFor(LIVE);

  await editor.page.getByLabel('Owner', { exact: true }).fill('payments');
  await editor.page.getByLabel('Tags', { exact: true }).fill('checkout, team:payments');
  await editor.page.getByRole('button', { name: 'Save owner and tags' }).click();
  await row.getByText('owner payments').waitFor(LIVE);
  await row.locator('.tag').filter({ hasText: 'team:payments' }).waitFor(LIVE);
  t.same(await row.locator('.tag').allTextContents(), ['checkout', 'team:payments'], 'the tags, in order');

  // From REST too (another program, another process alike: the change is read from PostgreSQL).
  t.equal((await api.request('PATCH', '/v1/flags/checkout-v2', { token: admin, body: { type: 'experiment', owner: null } })).status, 200);
  await row.locator('.badge').filter({ hasText: /^experiment$/ }).waitFor(LIVE);
  await row.getByText('no owner').waitFor(LIVE);

  t.same(await versions(), before, 'no environment version moved: SDKs get nothing from a metadata change');
  t.same([...editor.problems, ...watcher.problems], []);
});

t.test('each metadata change is recorded with who made it and the fields before and after', async (t) => {
  const { rows } = await env.pool.query<{ actor: { type: string }; before: Record<string, unknown>; after: Record<string, unknown> }>(
    `select actor, before, after from flag_metadata_change where flag_key = 'checkout-v2' order by id`,
  );
  t.equal(rows.length, 3, 'description; owner and tags; type and owner');
  t.same(rows.map((row) => row.actor.type), ['token', 'token', 'token']);
  t.same(rows[0]!.before, { description: 'the new checkout', type: 'release', tags: [], owner: null });
  t.same(rows[0]!.after, { description: 'the one-page checkout', type: 'release', tags: [], owner: null });
  t.same(rows[2]!.after, { description: 'the one-page checkout', type: 'experiment', tags: ['checkout', 'team:payments'], owner: null });
  // A PATCH that changes nothing records nothing.
  t.equal((await api.request('PATCH', '/v1/flags/checkout-v2', { token: admin, body: { type: 'experiment' } })).status, 200);
  const { rows: after } = await env.pool.query(`select 1 from flag_metadata_change where flag_key = 'checkout-v2'`);
  t.equal(after.length, 3);
});

t.test("the flag's History tab lists each metadata change: who, when, and each field before and after", async (t) => {
  const { page, problems } = await openPage(browser, DESKTOP, t);
  await signIn(page, api.url, admin);
  await page.goto(`${api.url}/flag/checkout-v2/history`);
  const section = page.getByRole('region', { name: 'Description, type, tags and owner' });
  // Newest first: the REST change of type and owner.
  const newest = section.getByRole('listitem').first();
  await newest.getByText('changed type, owner').waitFor(LIVE);
  t.equal(await newest.getByLabel('owner before').textContent(), 'payments');
  t.equal(await newest.getByLabel('owner after').textContent(), '(nobody)');
  t.equal(await newest.getByLabel('type after').textContent(), 'experiment');
  t.equal(await newest.locator('[data-actor-type="token"]').count(), 1, 'who made it');
  t.equal(await newest.locator('time').getAttribute('datetime') !== null, true, 'when');
  t.equal(await section.getByRole('listitem').count(), 3, 'every change of the flag');
  t.same(problems, []);
});

import t from 'tap';
import { DESKTOP, launchBrowser, openPage, screenshotPath } from './support/browser.js';
import { signIn, startConsoleWorld } from './support/console-world.js';

const { env, api } = await startConsoleWorld(t, 'console-flag-list');
const browser = await launchBrowser(t);
const admin = env.adminSecret;

t.test('with no flag yet, the list says what a flag is for and how to make one', async (t) => {
  const { page, problems } = await openPage(browser, DESKTOP, t);
  await signIn(page, api.url, admin);
  await page.getByText('No flags yet.').waitFor();
  await page.getByRole('button', { name: 'Create your first flag' }).click();
  await page.getByRole('form', { name: 'New flag' }).waitFor();
  t.same(problems, []);
});

t.test('the list shows owner, tags, type, last seen and stale; its filters combine and live in the URL', async (t) => {
  const flags = [
    { key: 'pay-button', tags: ['checkout', 'team:payments'], owner: 'payments', environments: { prod: { enabled: true } } },
    { key: 'pay-retry', tags: ['checkout'], owner: 'payments', type: 'operational' },
    { key: 'search-v2', tags: ['search'], owner: 'web', environments: { prod: { enabled: true } } },
    { key: 'old-banner', description: 'the summer banner', owner: 'web' },
    { key: 'unowned', tags: ['checkout'] },
  ];
  for (const body of flags) t.equal((await api.request('POST', '/v1/flags', { token: admin, body })).status, 201, body.key);
  // Evaluated an hour ago in prod; created 60 days ago, past a release flag's expected lifetime of 40 days.
  await env.pool.query(
    `insert into flag_last_seen (flag_id, environment_key, last_seen_at) select id, 'prod', now() - interval '1 hour' from flag where key = 'pay-button'`,
  );
  await env.pool.query(`update flag set created_at = now() - interval '60 days' where key = 'old-banner'`);

  const { page, problems } = await openPage(browser, DESKTOP, t);
  await signIn(page, api.url, admin);
  const count = page.getByTestId('flag-count');
  await count.filter({ hasText: '5 of 5 flags' }).waitFor();

  const row = (key: string) => page.locator(`[data-flag="${key}"]`);
  await row('pay-button').getByText('owner payments').waitFor();
  t.same(await row('pay-button').locator('.tag').allTextContents(), ['checkout', 'team:payments'], 'the tags');
  t.equal(await row('pay-button').locator('.tags .visually-hidden').textContent(), 'tags: ', 'named for screen readers');
  t.match(await row('pay-button').locator('.last-seen').textContent(), /^seen 1 hour ago$/, 'last seen, in words');
  t.ok(await row('pay-button').locator('.last-seen time').getAttribute('title'), 'the full local time on hover');
  t.equal(await row('pay-retry').locator('.last-seen').textContent(), 'never seen');
  t.equal(await row('pay-retry').locator('.badge').first().textContent(), 'operational', 'the type, when not release');
  t.equal(await row('unowned').locator('.owner').textContent(), 'no owner');
  await row('old-banner').locator('.badge.stale').waitFor();
  t.match(await row('old-banner').locator('.badge.stale').textContent(), /expected to live 40 days/, 'stale without asking: the badge says why');
  t.equal(await row('pay-button').locator('.badge.stale').count(), 0);

  const url = () => new URL(page.url());
  // The URL follows the filters once typing pauses (a quarter of a second).
  const searchOnceSettled = async (expected: string) => {
    await page.waitForURL((current) => current.search === expected, { timeout: 5000 }).catch(() => undefined);
    return url().search;
  };
  await page.getByLabel('Tag', { exact: true }).selectOption('checkout');
  await count.filter({ hasText: '3 of 5 flags' }).waitFor();
  await page.getByLabel('Owner', { exact: true }).selectOption('payments');
  await count.filter({ hasText: '2 of 5 flags' }).waitFor();
  await page.getByLabel('Status', { exact: true }).selectOption('on:prod');
  await count.filter({ hasText: '1 of 5 flags' }).waitFor();
  t.equal(await searchOnceSettled('?tag=checkout&owner=payments&status=on%3Aprod'), '?tag=checkout&owner=payments&status=on%3Aprod', 'the filters are in the URL');
  t.equal(await page.locator('[data-flag]').count(), 1);
  t.equal(await row('pay-button').count(), 1, 'tag, owner and status combined');

  await page.getByLabel('Status', { exact: true }).selectOption('');
  await page.getByRole('searchbox', { name: 'Search flags' }).fill('retry');
  await count.filter({ hasText: '1 of 5 flags' }).waitFor();
  t.equal(await searchOnceSettled('?q=retry&tag=checkout&owner=payments'), '?q=retry&tag=checkout&owner=payments');
  t.equal(await row('pay-retry').count(), 1);

  // A shared link opens the list filtered the same way; search finds owners and tags too.
  const shared = await openPage(browser, DESKTOP, t);
  await signIn(shared.page, api.url, admin);
  await shared.page.goto(`${api.url}/?owner=web&stale=1`);
  await shared.page.getByTestId('flag-count').filter({ hasText: '1 of 5 flags' }).waitFor();
  t.equal(await shared.page.locator('[data-flag="old-banner"]').count(), 1, 'owner web and stale: the old banner');
  t.equal(await shared.page.getByLabel('Owner', { exact: true }).inputValue(), 'web', 'the controls show the filters of the URL');
  t.ok(await shared.page.getByLabel('stale only').isChecked());
  await shared.page.goto(`${api.url}/?q=team:pay`);
  await shared.page.getByTestId('flag-count').filter({ hasText: '1 of 5 flags' }).waitFor();
  await shared.page.goto(`${api.url}/?owner=-`);
  await shared.page.getByTestId('flag-count').filter({ hasText: '1 of 5 flags' }).waitFor();
  t.equal(await shared.page.locator('[data-flag="unowned"]').count(), 1, 'owner "nobody yet"');

  // Nothing matching: the empty state says how to get the flags back.
  await shared.page.goto(`${api.url}/?q=nothing-like-this`);
  await shared.page.getByText('No flag matches these filters.').waitFor();
  await shared.page.getByRole('button', { name: 'Clear filters' }).first().click();
  await shared.page.getByTestId('flag-count').filter({ hasText: '5 of 5 flags' }).waitFor();
  await shared.page.waitForURL((current) => current.search === '', { timeout: 5000 }).catch(() => undefined);
  t.equal(new URL(shared.page.url()).search, '', 'clearing empties the URL');

  // Opening a flag and coming Back keeps the filters, even those typed just before the click.
  await page.getByRole('searchbox', { name: 'Search flags' }).fill('pay-ret');
  await page.getByRole('link', { name: 'pay-retry' }).click();
  await page.getByRole('heading', { name: 'pay-retry' }).waitFor();
  await page.goBack();
  await count.filter({ hasText: '1 of 5 flags' }).waitFor();
  t.equal(await page.getByRole('searchbox', { name: 'Search flags' }).inputValue(), 'pay-ret');
  await page.getByRole('searchbox', { name: 'Search flags' }).fill('');
  await count.filter({ hasText: '2 of 5 flags' }).waitFor();
  t.equal(await searchOnceSettled('?tag=checkout&owner=payments'), '?tag=checkout&owner=payments', 'the other filters stay');
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await count.filter({ hasText: '5 of 5 flags' }).waitFor();
  await page.screenshot({ path: screenshotPath('console-flag-list') });
  t.same([...problems, ...shared.problems], []);
});

t.test('owner and tags are edited on the flag page; a bad tag is shown at its field and nothing is saved', async (t) => {
  const { page, problems } = await openPage(browser, DESKTOP, t);
  await signIn(page, api.url, admin);
  await page.goto(`${api.url}/flag/unowned/settings`);
  await page.getByRole('heading', { name: 'unowned' }).waitFor();
  await page.getByLabel('Owner', { exact: true }).fill('growth');
  await page.getByLabel('Tags', { exact: true }).fill('checkout, Not OK');
  await page.getByRole('button', { name: 'Save owner and tags' }).click();
  const error = page.locator('[data-field="tags"]');
  await error.waitFor();
  t.match(await error.textContent(), /lowercase letters/);
  t.equal((await api.request('GET', '/v1/flags/unowned', { token: admin })).body.owner, null, 'nothing saved');

  await page.getByLabel('Tags', { exact: true }).fill('checkout, growth');
  await page.getByRole('button', { name: 'Save owner and tags' }).click();
  await page.getByText('Saved').waitFor();
  const saved = (await api.request('GET', '/v1/flags/unowned', { token: admin })).body;
  t.same([saved.owner, saved.tags], ['growth', ['checkout', 'growth']]);

  // The snippets, per environment: the Unleash SDKs too (Python, and the browser's with a frontend token).
  await page.getByRole('tab', { name: 'Targeting' }).click();
  const prod = page.locator('[data-environment="prod"]');
  await prod.locator('summary').filter({ hasText: 'from code in prod' }).click();
  const snippet = prod.getByLabel('Snippet for prod');
  await prod.getByLabel('SDK').selectOption('unleash-browser');
  t.match(await snippet.textContent(), `url: '${api.url}/api/frontend'`);
  t.match(await snippet.textContent(), /a frontend token of prod/);
  await prod.getByLabel('SDK').selectOption('unleash-python');
  t.match(await snippet.textContent(), `url='${api.url}/api'`);
  t.match(await snippet.textContent(), /client\.is_enabled\('unowned'/);

  // A new flag takes an owner and tags too.
  await page.goto(`${api.url}/`);
  await page.getByRole('button', { name: 'New flag' }).click();
  const form = page.getByRole('form', { name: 'New flag' });
  await form.getByLabel('Key', { exact: true }).fill('fresh-flag');
  await form.getByLabel('Owner', { exact: true }).fill('payments');
  await form.getByLabel('Tags', { exact: true }).fill('checkout');
  await form.getByRole('button', { name: 'Create flag' }).click();
  await page.getByRole('heading', { name: 'fresh-flag' }).waitFor();
  const created = (await api.request('GET', '/v1/flags/fresh-flag', { token: admin })).body;
  t.same([created.owner, created.tags], ['payments', ['checkout']]);
  t.same(problems, []);
});

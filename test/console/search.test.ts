import t from 'tap';
import type { Page } from 'playwright-core';
import { DESKTOP, launchBrowser, openPage } from './support/browser.js';
import { seriousAxeViolations } from './support/axe.js';
import { signIn, startConsoleWorld } from './support/console-world.js';

/*
 * The search palette: Ctrl/Cmd+K or the header's Search button; flags match by
 * key, description, tags and owner, segments by name, people (for admins only)
 * by name and email; the keyboard alone chooses one and lands on its page.
 */

const { env, api } = await startConsoleWorld(t, 'console-search');
const browser = await launchBrowser(t);
const admin = env.adminSecret;
const PASSWORD = 'correct horse battery staple';

async function must(response: Promise<{ status: number; text: string; body: any }>, status: number): Promise<any> {
  const answer = await response;
  if (answer.status !== status) throw new Error(`expected ${status}, got ${answer.status}: ${answer.text}`);
  return answer.body;
}

await must(api.request('POST', '/v1/flags', { token: admin, body: { key: 'pay-button', description: 'The new pay button', tags: ['checkout'], owner: 'payments' } }), 201);
await must(api.request('POST', '/v1/flags', { token: admin, body: { key: 'search-v2', description: 'Faster search', owner: 'web' } }), 201);
await must(api.request('POST', '/v1/segments', { token: admin, body: { name: 'beta users', constraints: [{ contextName: 'userId', operator: 'IN', values: ['a'] }] } }), 201);
const ana = await must(
  api.request('POST', '/v1/users', { token: admin, body: { email: 'ana@example.com', name: 'Ana Lima', password: PASSWORD, roles: [{ role: 'viewer', project: '*' }] } }),
  201,
);

const describe = (violations: Awaited<ReturnType<typeof seriousAxeViolations>>) =>
  violations.map((violation) => `${violation.impact} ${violation.id}: ${violation.help}\n  ${violation.nodes.join('\n  ')}`).join('\n');

const palette = (page: Page) => page.getByRole('dialog', { name: 'Search' });
const results = (page: Page) => palette(page).getByRole('option');

/** Opens the palette with the keyboard and types `query`; resolves once the results show `expected`. */
async function search(page: Page, query: string, expected?: RegExp): Promise<void> {
  // Closed first (an Escape just pressed may still be closing it): Control+K toggles, so it would close instead of open.
  await palette(page).waitFor({ state: 'hidden' });
  await page.keyboard.press('Control+k');
  await palette(page).waitFor();
  await page.keyboard.type(query);
  if (expected) await results(page).filter({ hasText: expected }).first().waitFor();
}

const focused = (page: Page) =>
  page.evaluate<{ tag: string; text: string; segment: string | null; person: string | null }>(`({
    tag: document.activeElement.tagName.toLowerCase(),
    text: document.activeElement.textContent.trim(),
    segment: document.activeElement.getAttribute('data-segment'),
    person: document.activeElement.getAttribute('data-person'),
  })`);

t.test('an admin finds flags, segments and people, and opens each with the keyboard', async (t) => {
  const { page, problems } = await openPage(browser, DESKTOP, t);
  await signIn(page, api.url, admin);

  // By a tag: only the flag that carries it.
  await search(page, 'checkout', /pay-button/);
  // (Before a keystroke every flag is listed: wait for the ones not matching to go.)
  await results(page).filter({ hasText: 'search-v2' }).waitFor({ state: 'detached' });
  t.same(await results(page).allTextContents(), [await results(page).filter({ hasText: 'pay-button' }).textContent()], 'only the flag tagged checkout');
  const violations = await seriousAxeViolations(page);
  t.same(violations, [], `the open palette is axe-clean\n${describe(violations)}`);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'pay-button', level: 1 }).waitFor();
  t.equal(new URL(page.url()).pathname, '/flag/pay-button', 'Enter opened the flag page');
  await palette(page).waitFor({ state: 'hidden' });
  await page.locator('h1:focus').waitFor();
  t.match(await focused(page), { tag: 'h1', text: /pay-button/ }, 'the focus is on the page opened');

  // By owner, then by description, with the arrow keys choosing among several.
  await search(page, 'web', /search-v2/);
  await results(page).filter({ hasText: 'pay-button' }).waitFor({ state: 'detached' });
  t.equal(await results(page).count(), 1, 'only search-v2 is owned by web');
  await page.keyboard.press('Escape');
  await palette(page).waitFor({ state: 'hidden' });
  // 'e': in search-v2's key, only in pay-button's description: the key match comes first, and is chosen.
  await search(page, 'e', /search-v2/);
  const chosen = palette(page).locator('[cmdk-item][data-selected="true"]');
  await chosen.filter({ hasText: 'search-v2' }).waitFor();
  t.match(await results(page).first().textContent(), /search-v2/, 'a match in the key first');
  await page.keyboard.press('ArrowDown');
  await chosen.filter({ hasText: 'pay-button' }).waitFor();
  t.pass('ArrowDown chooses the next match');
  await page.keyboard.press('Escape');

  // A segment: its card on the segments page.
  await search(page, 'beta', /beta users/);
  await page.keyboard.press('Enter');
  await page.locator('[data-segment="beta users"]:focus').waitFor();
  t.equal(new URL(page.url()).pathname, '/segments');

  // A person, by email: their row on the People page.
  await search(page, 'ana@', /Ana Lima/);
  t.equal(await palette(page).getByRole('group', { name: 'People' }).count(), 1, 'a People group');
  await page.keyboard.press('Enter');
  await page.locator('[data-person="ana@example.com"]:focus').waitFor();
  t.equal(new URL(page.url()).pathname, '/people');

  // Nothing matches: said so.
  await search(page, 'zzz-nothing');
  await palette(page).getByText('Nothing matches').waitFor();
  await page.keyboard.press('Escape');
  await palette(page).waitFor({ state: 'hidden' });

  // The header's button opens it too.
  await page.getByRole('button', { name: 'Search' }).click();
  await palette(page).getByRole('combobox', { name: 'Search flags, segments and people' }).waitFor();
  t.same(problems, []);
});

t.test('who may not list people sees no People group, and the palette does not ask for them', async (t) => {
  const { page, problems } = await openPage(browser, DESKTOP, t);
  const usersAsked: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname.startsWith('/v1/users')) usersAsked.push(request.url());
  });
  await page.goto(`${api.url}/`);
  await page.getByLabel('Email', { exact: true }).fill(ana.email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in with email' }).click();
  await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
  t.equal(await page.getByRole('link', { name: 'People' }).count(), 0, 'no People page in the header');

  await search(page, 'a', /pay-button/);
  await palette(page).getByRole('group', { name: 'Segments' }).waitFor();
  t.equal(await palette(page).getByRole('group', { name: 'People' }).count(), 0, 'no People group');
  t.equal(await results(page).filter({ hasText: 'Ana Lima' }).count(), 0);
  t.same(usersAsked, [], 'GET /v1/users was never sent');
  const violations = await seriousAxeViolations(page);
  t.same(violations, [], describe(violations));
  t.same(problems, []);
});

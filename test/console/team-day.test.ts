import t, { type Test } from 'tap';
import type { Browser, Page } from 'playwright-core';
import { seriousAxeViolations } from './support/axe.js';
import { DESKTOP, launchBrowser, openPage } from './support/browser.js';
import { startConsoleWorld } from './support/console-world.js';
import { createSdkToken } from '../helpers/tokens.js';
import { waitFor } from '../helpers/worker.js';

/*
 * A team's day in the console, with real services and two people: Ada (an
 * editor) creates a flag and targets it in dev, proposes switching it on in
 * prod (protected: one approval), Bob approves and applies it, asks the
 * playground why a user gets it, and Ada restores dev's earlier state from
 * the History tab, the diff shown first. Each page is checked with axe-core,
 * each effect through the API. FLAGSHIP_SCREENSHOTS=docs writes the
 * screenshots of docs/console.md ("A team's day"); otherwise none are taken.
 */
// Five steps with two people signed in: past tap's 180 s on the shared machine under load (about 100 s at load 10).
t.setTimeout(420_000);
const { env, api } = await startConsoleWorld(t, 'console-team-day');
const browser = await launchBrowser(t);
const admin = env.adminSecret;
const PASSWORD = 'correct horse battery staple';
const FLAG = 'new-checkout';

async function must(method: string, path: string, body?: unknown) {
  const response = await api.request(method, path, { token: admin, body });
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${response.text}`);
  return response.body;
}
const stateIn = (environment: string) => must('GET', `/v1/flags/${FLAG}/environments/${environment}`);

await must('PATCH', '/v1/environments/prod', { protected: true, requiredApprovals: 1 });
for (const [email, name] of [
  ['ada@example.com', 'Ada'],
  ['bob@example.com', 'Bob'],
]) {
  await must('POST', '/v1/users', { email, name, roles: [{ role: 'editor', project: '*' }], password: PASSWORD });
}

async function signInAs(browser: Browser, email: string): Promise<{ page: Page; problems: string[] }> {
  const opened = await openPage(browser, DESKTOP, t);
  await opened.page.goto(`${api.url}/`);
  await opened.page.getByLabel('Email', { exact: true }).fill(email);
  await opened.page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await opened.page.getByRole('button', { name: 'Log in with email' }).click();
  await opened.page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
  return opened;
}

/** No serious or critical axe-core violation on the page as it is now. */
async function accessible(t: Test, page: Page, what: string): Promise<void> {
  const violations = await seriousAxeViolations(page);
  t.same(violations, [], `axe-core: ${what}\n${violations.map((violation) => `${violation.impact} ${violation.id}: ${violation.nodes.join('; ')}`).join('\n')}`);
}

/** The docs' screenshots, 1280 px wide, only when asked for (a test run leaves docs/images alone). */
async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.FLAGSHIP_SCREENSHOTS === 'docs') await page.screenshot({ path: `docs/images/console-team-day-${name}.png` });
}

const ada = await signInAs(browser, 'ada@example.com');
const bob = await signInAs(browser, 'bob@example.com');
let created: { version: number; strategies: unknown[] } | undefined;
let targeted: { version: number } | undefined;

t.test('morning: Ada creates a flag and targets it in dev', async (t) => {
  const { page } = ada;
  await page.getByRole('button', { name: 'New flag' }).click();
  const form = page.getByRole('form', { name: 'New flag' });
  await form.getByLabel('Key').fill(FLAG);
  await form.getByLabel('Description').fill('The one-page checkout');
  await form.getByLabel('Owner').fill('payments');
  await form.getByLabel('dev', { exact: true }).check();
  await accessible(t, page, 'the flag list with the new-flag form');
  await form.getByRole('button', { name: 'Create flag' }).click();
  await page.getByRole('heading', { name: FLAG }).waitFor();
  t.equal(new URL(page.url()).pathname, `/flag/${FLAG}`, 'the new flag’s page');
  t.equal(await page.getByRole('tab', { selected: true }).textContent(), 'Targeting', 'opens on its targeting');
  created = await stateIn('dev');
  t.equal(created!.version > 0 && (await stateIn('dev')).enabled, true, 'on in dev, as chosen');

  const dev = page.locator('article[data-environment="dev"]');
  await dev.getByRole('button', { name: 'Edit targeting in dev…' }).click();
  const editor = page.getByRole('form', { name: `Targeting of ${FLAG} in dev` });
  const strategy = editor.getByRole('region', { name: 'Strategy 1' });
  await strategy.getByRole('button', { name: 'Add a constraint' }).click();
  const constraint = strategy.getByRole('group', { name: 'Constraint 1 of strategy 1' });
  await constraint.getByLabel('Context field').fill('country');
  await constraint.getByLabel('Operator').selectOption('IN');
  await constraint.getByLabel('Values (comma-separated)').fill('NL,BE');
  await accessible(t, page, 'the flag page with the targeting editor open');
  await editor.getByRole('button', { name: 'Save targeting' }).click();
  const summary = page.getByRole('list', { name: 'Targeting in dev' });
  await summary.filter({ hasText: 'country' }).waitFor();
  t.equal(await page.getByRole('alertdialog').count(), 0, 'dev is not production: saved without a confirmation');
  targeted = await stateIn('dev');
  t.match(targeted, { enabled: true, strategies: [{ constraints: [{ contextName: 'country', operator: 'IN', values: ['NL', 'BE'] }] }] }, 'the API has the constraint');
  t.ok(targeted!.version > created!.version, 'a new dev version');
  await screenshot(page, 'targeting');
  t.same(ada.problems, []);
});

let requestId = '';
t.test('noon: Ada proposes switching it on in prod; prod is protected, so it is a change request', async (t) => {
  const { page } = ada;
  const prod = page.locator('article[data-environment="prod"]');
  t.equal(await prod.getByRole('switch').count(), 0, 'no direct switch in protected prod');
  await prod.getByLabel('On in prod').check();
  await prod.getByLabel('Title of the change request').fill('Launch the one-page checkout');
  await prod.getByRole('button', { name: 'Propose change' }).click();
  await page.getByRole('heading', { name: 'Launch the one-page checkout' }).waitFor();
  requestId = page.url().split('/').at(-1)!;
  t.equal(await page.getByTestId('change-request-state').getAttribute('data-state'), 'open');
  await accessible(t, page, 'the change request page');
  await screenshot(page, 'proposal');
  t.equal((await stateIn('prod')).enabled, false, 'prod is unchanged until approved');
  t.match(await must('GET', `/v1/change-requests/${requestId}`), { state: 'open' });
  t.same(ada.problems, []);
});

t.test('afternoon: Bob approves it and it applies', async (t) => {
  const { page } = bob;
  await page.getByRole('link', { name: 'Change requests' }).click();
  const inbox = page.getByRole('region', { name: /Waiting for my review/ });
  await inbox.getByRole('link', { name: 'Launch the one-page checkout' }).waitFor();
  await accessible(t, page, 'the change-request inbox');
  await screenshot(page, 'review');
  await inbox.getByRole('button', { name: 'Approve “Launch the one-page checkout”' }).click();
  const ready = page.getByRole('region', { name: /Ready to apply/ });
  await ready.getByRole('button', { name: 'Apply “Launch the one-page checkout”' }).click();
  await page.locator('li[data-state="applied"]').first().waitFor();
  const prod = await stateIn('prod');
  t.equal(prod.enabled, true, 'on in prod');
  const events = await must('GET', `/v1/events?environment=prod&flag=${FLAG}`);
  t.match(events.events.at(-1), { version: prod.version, changeRequestId: requestId, actor: { type: 'change-request', appliedBy: { type: 'user', name: 'Bob' } } });
  t.same(bob.problems, []);
});

t.test('later: Bob asks the playground why a user in NL gets it', async (t) => {
  const { page } = bob;
  await page.goto(`${api.url}/playground`);
  await page.getByLabel('Environment').selectOption('dev');
  await page.getByLabel('Context (JSON)').fill('{ "userId": "u-42", "country": "NL" }');
  await page.getByLabel(/^Flags/).fill(FLAG);
  await page.getByRole('button', { name: 'Evaluate' }).click();
  const row = page.locator('tr', { hasText: FLAG });
  await row.waitFor();
  const why = await row.locator('.trace').innerText();
  t.match(why, /country IN \["NL","BE"\] — saw "NL"/, 'the trace shows the constraint and what it saw');
  const answer = await must('POST', '/v1/playground', { environment: 'dev', context: { userId: 'u-42', country: 'NL' }, flags: [FLAG] });
  t.equal(answer.flags[0].enabled, true, 'the API answers on');
  t.equal(await row.locator('td').nth(1).textContent(), 'on', 'and so does the page');
  await accessible(t, page, 'the playground with an explained answer');
  await screenshot(page, 'playground');
  t.same(bob.problems, []);
});

t.test('evening: usage per hour, then Ada restores dev as it was this morning from the History tab', async (t) => {
  const sdk = await createSdkToken(api.request, admin, 'dev', 'checkout-web');
  const now = Date.now();
  for (const [ago, yes, no] of [[2, 40, 10], [0, 25, 5]] as const) {
    const start = now - ago * 3600_000 - 60_000;
    const reported = await api.request('POST', '/api/client/metrics', {
      headers: { authorization: sdk.secret },
      body: { appName: 'checkout-web', bucket: { start: new Date(start).toISOString(), stop: new Date(start + 60_000).toISOString(), toggles: { [FLAG]: { yes, no } } } },
    });
    t.equal(reported.status, 202, reported.text);
  }
  const { page } = ada;
  await page.getByRole('link', { name: 'Flags', exact: true }).first().click();
  await page.getByRole('link', { name: FLAG }).first().click();
  await page.getByRole('tab', { name: 'Usage' }).click();
  t.equal(new URL(page.url()).pathname, `/flag/${FLAG}/usage`, 'the tab is in the address');
  await page.getByRole('img', { name: /Evaluations per hour in dev, last 48 hours: 65 on, 15 off; the busiest hour had 50/ }).waitFor();
  t.equal(await page.locator('[data-environment="dev"] .usage-table tbody tr').count(), 2, 'the table has the two hours');
  await accessible(t, page, 'the usage tab');
  await screenshot(page, 'usage');

  await page.getByRole('tab', { name: 'History' }).click();
  t.equal(new URL(page.url()).pathname, `/flag/${FLAG}/history`);
  const history = page.getByRole('region', { name: 'History' });
  await history.getByRole('combobox', { name: /^Environment/ }).selectOption('dev');
  const morning = history.locator('li', { hasText: `version ${created!.version} ·` });
  await morning.getByRole('button', { name: 'Restore this version…' }).click();
  const pending = page.getByRole('region', { name: 'What this would change' });
  t.match(await pending.innerText(), /constraints/, 'the diff is shown before anything is written');
  t.equal((await stateIn('dev')).version, targeted!.version, 'nothing written yet');
  await accessible(t, page, 'the history tab with a restore’s diff');
  await screenshot(page, 'restore');
  await pending.getByRole('button', { name: 'Restore', exact: true }).click();
  const restored = await waitFor('the restore', async () => {
    const state = await stateIn('dev');
    return state.version > targeted!.version ? state : undefined;
  });
  t.same(restored.strategies, created!.strategies, 'dev targets as it did this morning, strategy ids included');
  t.equal(restored.enabled, true);
  t.equal((await stateIn('prod')).enabled, true, 'prod untouched');

  await page.goBack();
  await page.getByRole('tab', { name: 'Usage', selected: true }).waitFor();
  t.equal(new URL(page.url()).pathname, `/flag/${FLAG}/usage`, 'Back returns to the previous tab');
  t.same(ada.problems, []);
});

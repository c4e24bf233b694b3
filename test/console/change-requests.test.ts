import t from 'tap';
import type { Browser, Page } from 'playwright-core';
import { DESKTOP, launchBrowser, openPage } from './support/browser.js';
import { startConsoleWorld } from './support/console-world.js';

/*
 * Four eyes in the console, in a real browser with two people signed in:
 * in a protected environment the flag page's edit becomes "Propose change"
 * (a change request), the author cannot approve it, a second person finds it
 * in "Waiting for my review", approves and applies it, and both see it
 * applied; the flag page lists what is scheduled for the flag.
 */
const { env, api } = await startConsoleWorld(t, 'console-change-requests');
const browser = await launchBrowser(t);
const admin = env.adminSecret;
const PASSWORD = 'correct horse battery staple';

async function must(method: string, path: string, body?: unknown) {
  const response = await api.request(method, path, { token: admin, body });
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${response.text}`);
  return response.body;
}
await must('POST', '/v1/flags', { key: 'checkout', environments: { prod: { enabled: false, rollout: 100 }, dev: { enabled: false, rollout: 100 } } });
await must('PATCH', '/v1/environments/prod', { protected: true, requiredApprovals: 1 });
for (const [email, name] of [
  ['ada@example.com', 'Ada'],
  ['bob@example.com', 'Bob'],
]) {
  await must('POST', '/v1/users', { email, name, roles: [{ role: 'editor', project: '*' }], password: PASSWORD });
}

async function signInAs(browser: Browser, email: string, t: Parameters<typeof openPage>[2]): Promise<{ page: Page; problems: string[] }> {
  const opened = await openPage(browser, DESKTOP, t);
  await opened.page.goto(`${api.url}/`);
  await opened.page.getByLabel('Email', { exact: true }).fill(email);
  await opened.page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await opened.page.getByRole('button', { name: 'Log in with email' }).click();
  await opened.page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
  return opened;
}

t.test('propose in a protected environment, approved and applied by a second person', async (t) => {
  const ada = await signInAs(browser, 'ada@example.com', t);
  await ada.page.goto(`${api.url}/flag/checkout`);
  const prod = ada.page.locator('article[data-environment="prod"]');
  const dev = ada.page.locator('article[data-environment="dev"]');
  await prod.getByRole('button', { name: 'Propose change' }).waitFor();
  t.equal(await prod.getByRole('switch').count(), 0, 'no direct switch in the protected environment');
  t.equal(await prod.getByRole('button', { name: 'Save rollout' }).count(), 0, 'nor a direct rollout save');
  t.equal(await dev.getByRole('switch').count(), 1, 'an unprotected environment keeps its switch');

  await prod.getByLabel('On in prod').check();
  await prod.getByLabel('Title of the change request').fill('Launch checkout');
  await prod.getByRole('button', { name: 'Propose change' }).click();
  await ada.page.getByRole('heading', { name: 'Launch checkout' }).waitFor();
  t.match(ada.page.url(), /\/change-requests\/[0-9a-f-]{36}$/, 'the proposal opened a change request and shows its page');
  t.equal(await ada.page.getByTestId('change-request-state').getAttribute('data-state'), 'open');
  const diffRow = ada.page.locator('table[aria-label="Changes"] tr[data-subject="flag:checkout"]');
  t.match(await diffRow.first().innerText(), /enabled\s+false\s+true/, 'the diff against the current state');
  t.equal(await ada.page.getByRole('button', { name: /^Approve/ }).count(), 0, 'the author is offered no approval');
  const id = ada.page.url().split('/').at(-1)!;
  const state = await must('GET', '/v1/flags/checkout/environments/prod');
  t.equal(state.enabled, false, 'nothing changed yet');

  const bob = await signInAs(browser, 'bob@example.com', t);
  await bob.page.getByRole('link', { name: 'Change requests' }).click();
  const inbox = bob.page.getByRole('region', { name: /Waiting for my review/ });
  await inbox.getByRole('link', { name: 'Launch checkout' }).waitFor();
  await inbox.getByRole('button', { name: 'Approve “Launch checkout”' }).click();
  const ready = bob.page.getByRole('region', { name: /Ready to apply/ });
  await ready.getByRole('button', { name: 'Apply “Launch checkout”' }).click();
  await bob.page.getByRole('region', { name: /My requests|Other requests/ }).locator('li[data-state="applied"]').first().waitFor();
  t.pass('Bob approved and applied it from the inbox');

  // Ada's open page follows (it reads the request again while open).
  await ada.page.locator('[data-testid="change-request-state"][data-state="applied"]').waitFor();
  t.match(await ada.page.getByTestId('change-request-applied').innerText(), /Applied as version \d+ by bob@example.com/);
  const after = await must('GET', '/v1/flags/checkout/environments/prod');
  t.equal(after.enabled, true, 'the flag is on in prod');
  const events = await must('GET', '/v1/events?environment=prod&flag=checkout');
  t.match(events.events.at(-1), { changeRequestId: id, actor: { type: 'change-request', name: 'Launch checkout', appliedBy: { type: 'user', name: 'Bob' } } });
  t.same([...ada.problems, ...bob.problems], []);
});

t.test('the flag page shows what is scheduled for the flag', async (t) => {
  const at = new Date(Date.now() + 3_600_000).toISOString();
  await must('POST', '/v1/schedules', { environment: 'dev', title: 'Evening switch-on', changes: [{ flag: 'checkout', set: { enabled: true } }], at });
  const ada = await signInAs(browser, 'ada@example.com', t);
  await ada.page.goto(`${api.url}/flag/checkout`);
  const scheduled = ada.page.getByRole('region', { name: 'Scheduled and proposed changes' });
  await scheduled.getByRole('link', { name: 'Evening switch-on' }).waitFor();
  const text = await scheduled.innerText();
  t.match(text, /Evening switch-on\s+dev\s+scheduled · at /, 'the schedule, its environment and time');
  t.match(text, /checkout: enabled: true/, 'and what it will set');
  t.same(ada.problems, []);
});

t.test('a refused direct change (an archive touches every environment) is proposed in one click', async (t) => {
  const ada = await signInAs(browser, 'ada@example.com', t);
  await ada.page.goto(`${api.url}/flag/checkout/settings`);
  await ada.page.getByRole('button', { name: 'Archive…' }).click();
  const confirm = ada.page.getByRole('alertdialog', { name: 'Archive checkout?' });
  await confirm.getByLabel('Type checkout to confirm').fill('checkout');
  await confirm.getByRole('button', { name: 'Archive checkout' }).click();
  const instead = ada.page.getByRole('group', { name: 'Propose instead' });
  await instead.getByText('prod is protected').waitFor();
  await instead.getByRole('button', { name: 'Propose this change' }).click();
  await ada.page.getByRole('heading', { name: 'Archive checkout' }).waitFor();
  t.match(await ada.page.locator('table[aria-label="Changes"]').innerText(), /checkout\s+archived\s+false\s+true/, 'the request archives it');
  const id = ada.page.url().split('/').at(-1)!;
  const flag = await must('GET', '/v1/flags/checkout');
  t.equal(flag.archivedAt, null, 'nothing archived until it is approved and applied');
  await must('POST', `/v1/change-requests/${id}/cancel`);
  t.same(ada.problems, []);
});

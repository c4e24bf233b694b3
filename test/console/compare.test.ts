import t from 'tap';
import { seriousAxeViolations } from './support/axe.js';
import { DESKTOP, PHONE, launchBrowser, openPage, screenshotPath } from './support/browser.js';
import { confirmProductionChange, signIn, startConsoleWorld } from './support/console-world.js';
import { waitFor } from '../helpers/worker.js';

/*
 * Compare environments (/compare): every flag whose state differs between two
 * environments, part by part in people's words, the identical ones counted and
 * folded away; picked flags promoted as ONE environment version, or, by a
 * person into a protected environment, as ONE change request.
 */
const { env, api } = await startConsoleWorld(t, 'console-compare');
const browser = await launchBrowser(t);
const admin = env.adminSecret;
const PASSWORD = 'correct horse battery staple';

async function call(method: string, path: string, body?: unknown) {
  const response = await api.request(method, path, { token: admin, body });
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${response.text}`);
  return response.body;
}
const state = (key: string, environment: string) => call('GET', `/v1/flags/${key}/environments/${environment}`);
const versionOf = async (environment: string) =>
  ((await call('GET', '/v1/environments')).environments as Array<{ key: string; version: number }>).find((entry) => entry.key === environment)!.version;
const configOf = (s: { enabled: boolean; strategies: unknown; variants: unknown; dependencies: unknown }) => ({
  enabled: s.enabled,
  strategies: s.strategies,
  variants: s.variants,
  dependencies: s.dependencies,
});

for (const key of ['cmp_a', 'cmp_b', 'cmp_c', 'cmp_same']) await call('POST', '/v1/flags', { key });
await call('PUT', '/v1/flags/cmp_a/environments/staging', {
  enabled: true,
  strategies: [{ name: 'flexibleRollout', parameters: { rollout: '30', stickiness: 'default', groupId: 'cmp_a' }, constraints: [{ contextName: 'plan', operator: 'IN', values: ['pro'] }] }],
  variants: [],
  dependencies: [],
});
await call('PUT', '/v1/flags/cmp_b/environments/staging', {
  enabled: false,
  strategies: [{ name: 'default' }],
  variants: [{ name: 'blue', weight: 500, stickiness: 'default' }, { name: 'green', weight: 500, stickiness: 'default' }],
  dependencies: [],
});
await call('PATCH', '/v1/flags/cmp_c/environments/staging', { enabled: true });

t.test('the flags that differ, in words; two picked and promoted as one environment version', async (t) => {
  const { page, problems } = await openPage(browser, DESKTOP, t);
  await signIn(page, api.url, admin);
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Compare' }).click();
  await page.getByRole('heading', { name: 'Compare environments' }).waitFor();
  await page.getByLabel('From', { exact: true }).selectOption('staging');
  await page.getByLabel('To', { exact: true }).selectOption('prod');
  t.match(page.url(), /\/compare\?from=staging&to=prod$/, 'the comparison lives in the URL');
  const table = page.getByRole('table', { name: 'Flags that differ between staging and prod' });
  await table.waitFor();
  t.match(await page.locator('.compare-summary').innerText(), /^3 flags differ between staging and prod; 1 is the same\.$/);
  const rowsOf = (key: string) => table.locator(`tr[data-flag="${key}"]`);
  t.match(await rowsOf('cmp_a').allInnerTexts(), [/On or off\s+on\s+off/, /Who gets it\s+A percentage of users: 30% when plan is one of pro\s+A percentage of users: 100%$/], 'on or off, and who gets it, in words');
  t.match(await rowsOf('cmp_b').allInnerTexts(), [/Who gets it\s+On for everyone/, /Variants\s+blue 50%, green 50%\s+no variants/], 'strategies and variants in words');
  t.equal(await rowsOf('cmp_same').count(), 0, 'an identical flag is not listed');
  await page.getByText('1 flag is the same in both').click();
  await page.getByRole('link', { name: 'cmp_same' }).waitFor();
  t.same(await seriousAxeViolations(page), [], 'axe: no serious or critical violation');

  const before = await versionOf('prod');
  const c = await state('cmp_c', 'prod');
  await page.getByLabel('Pick cmp_a').check();
  await page.getByLabel('Pick cmp_b').check();
  await page.getByRole('button', { name: 'Promote selected (2) to prod' }).click();
  await confirmProductionChange(page, 'prod');
  await page.getByRole('status').filter({ hasText: 'Promoted 2 flags from staging to prod as one change' }).waitFor();
  t.equal(await versionOf('prod'), before + 1, 'one environment version for both flags');
  for (const key of ['cmp_a', 'cmp_b']) t.same(configOf(await state(key, 'prod')), configOf(await state(key, 'staging')), `${key} in prod is as in staging`);
  t.same(await state('cmp_c', 'prod'), c, 'the flag not picked is untouched');
  await waitFor('the page to show the promoted flags as the same', async () =>
    /^1 flag differs between staging and prod; 3 are the same\.$/.test(await page.locator('.compare-summary').innerText()) ? true : undefined,
  );
  await page.screenshot({ path: screenshotPath('console-compare'), fullPage: true });
  t.same(problems, []);
});

t.test('a source state changed after the page showed it: 412 shown, nothing promoted, the choice kept; promoting again copies the current one', async (t) => {
  const { page, problems } = await openPage(browser, DESKTOP, t);
  await signIn(page, api.url, admin);
  await page.goto(`${api.url}/compare?from=staging&to=prod`);
  await page.getByRole('table', { name: 'Flags that differ between staging and prod' }).waitFor();
  const before = await versionOf('prod');
  const c = await state('cmp_c', 'prod');
  const pick = page.getByLabel('Pick cmp_c');
  await pick.check();
  // Someone changes cmp_c in staging after the page showed it, just as the promote leaves the browser.
  let changed: { version: number } | undefined;
  await page.route('**/v1/environments/prod/promote', async (route) => {
    changed ??= await call('PUT', '/v1/flags/cmp_c/environments/staging', { enabled: true, strategies: [{ name: 'default' }, { name: 'userWithId', parameters: { userIds: 'ada' } }], variants: [], dependencies: [] });
    await route.continue();
  });
  await page.getByRole('button', { name: 'Promote selected (1) to prod' }).click();
  await confirmProductionChange(page, 'prod');
  const alert = page.getByRole('alert').filter({ hasText: 'cmp_c' });
  await alert.waitFor();
  t.match(await alert.innerText(), new RegExp(`flag 'cmp_c' in 'staging' \\(the source\\) is at version ${changed!.version}, not \\d+; nothing was written \\(412\\)`), 'the API\'s 412, naming the flag and its version now');
  await page.getByText('Nothing was promoted: the comparison now shows the current states').waitFor();
  t.equal(await versionOf('prod'), before, 'nothing written');
  t.same(await state('cmp_c', 'prod'), c, 'cmp_c in prod untouched');
  t.ok(await pick.isChecked(), 'the choice is kept');

  await page.unroute('**/v1/environments/prod/promote');
  await page.getByRole('button', { name: 'Promote selected (1) to prod' }).click();
  await confirmProductionChange(page, 'prod');
  await page.getByRole('status').filter({ hasText: 'Promoted 1 flag from staging to prod as one change' }).waitFor();
  t.same(configOf(await state('cmp_c', 'prod')), configOf(await state('cmp_c', 'staging')), 'the state now in staging was promoted');
  t.same(problems, []);
});

t.test('by a person into a protected environment: one change request with every picked flag', async (t) => {
  await call('POST', '/v1/users', { email: 'ada@example.com', name: 'Ada', roles: [{ role: 'editor', project: '*' }], password: PASSWORD });
  await call('PUT', '/v1/flags/cmp_a/environments/dev', { enabled: false, strategies: [], variants: [], dependencies: [] });
  await call('PATCH', '/v1/environments/dev', { protected: true, requiredApprovals: 1 });
  const before = await versionOf('dev');
  const { page, problems } = await openPage(browser, PHONE, t);
  await page.goto(`${api.url}/`);
  await page.getByLabel('Email', { exact: true }).fill('ada@example.com');
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in with email' }).click();
  await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
  await page.goto(`${api.url}/compare?from=prod&to=dev`);
  await page.getByRole('table', { name: 'Flags that differ between prod and dev' }).waitFor();
  await page.getByText('dev is protected: promoting opens one change request').waitFor();
  await page.getByRole('checkbox', { name: /^Pick every flag that differs/ }).check();
  const button = page.getByRole('button', { name: /^Propose promoting selected \(\d+\) to dev$/ });
  const count = Number((await button.innerText()).match(/\((\d+)\)/)![1]);
  t.ok(count >= 2, `every differing flag picked (${count})`);
  t.same(await seriousAxeViolations(page), [], 'axe at phone width: no serious or critical violation');
  await button.click();
  const opened = page.getByRole('status').filter({ hasText: 'dev is protected: change request' });
  await opened.waitFor();
  t.match(await opened.innerText(), new RegExp(`opened with ${count} flags`));
  const requests = (await call('GET', '/v1/change-requests?environment=dev')).changeRequests;
  t.equal(requests.length, 1, 'exactly one change request');
  t.equal(requests[0].changes.length, count, 'holding every picked flag');
  t.match(requests[0], { title: `Promote ${count} flags from prod to dev`, author: { name: 'Ada' }, state: 'open' });
  t.equal(await versionOf('dev'), before, 'nothing written before review');
  await opened.getByRole('link').click();
  await page.getByRole('heading', { name: `Promote ${count} flags from prod to dev` }).waitFor();
  t.same(problems, []);
});

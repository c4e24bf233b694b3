import t from 'tap';
import { DESKTOP, launchBrowser, openPage } from './support/browser.js';
import { confirmProductionChange, signIn, startConsoleWorld } from './support/console-world.js';
import { waitFor } from '../helpers/worker.js';

const { env, api } = await startConsoleWorld(t, 'console-history');
const browser = await launchBrowser(t);
const admin = env.adminSecret;

async function call(method: string, path: string, body?: unknown) {
  const response = await api.request(method, path, { token: admin, body });
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${response.text}`);
  return response.body;
}
const state = (environment: string) => call('GET', `/v1/flags/promo/environments/${environment}`);

await call('POST', '/v1/flags', { key: 'promo', environments: { staging: { enabled: true, rollout: 20 } } });
const first = await state('staging');
await call('PUT', '/v1/flags/promo/environments/staging', {
  enabled: true,
  strategies: [{ id: 'beta-users', name: 'userWithId', parameters: { userIds: 'u1,u2' } }],
  variants: [],
  dependencies: [],
});

t.test('history: each change with its diff; restore shows what it would change first', async (t) => {
  const { page, problems } = await openPage(browser, DESKTOP, t);
  await signIn(page, api.url, admin);
  await page.goto(`${api.url}/flag/promo/history`);
  const history = page.getByRole('region', { name: 'History' });
  await history.getByLabel('Environment').selectOption('staging');
  const change = history.locator('li', { hasText: `version ${first.version} ·` });
  await change.waitFor();
  await change.getByRole('button', { name: 'Restore this version…' }).click();
  const pending = page.getByRole('region', { name: 'What this would change' });
  t.match(await pending.textContent(), /strategies\.0\.name/, 'the diff is shown before anything is written');
  t.equal((await state('staging')).strategies[0].id, 'beta-users', 'nothing written yet');
  await pending.getByRole('button', { name: 'Restore', exact: true }).click();
  await waitFor('the restore', async () => ((await state('staging')).strategies[0].id === first.strategies[0].id ? true : undefined));
  t.same((await state('staging')).strategies, first.strategies, 'the state as it was, strategy id included');
  t.same(problems, []);
});

t.test('promote: the diff, the production confirmation, then the copy', async (t) => {
  const { page, problems } = await openPage(browser, DESKTOP, t);
  await signIn(page, api.url, admin);
  await page.goto(`${api.url}/flag/promo/history`);
  const history = page.getByRole('region', { name: 'History' });
  await history.getByLabel('Environment').selectOption('prod');
  await history.getByLabel('Promote from').selectOption('staging');
  const pending = page.getByRole('region', { name: 'What this would change' });
  t.match(await pending.textContent(), /enabled/, 'what the promotion changes');
  await pending.getByRole('button', { name: 'Promote', exact: true }).click();
  await confirmProductionChange(page, 'prod');
  await waitFor('the promotion', async () => ((await state('prod')).enabled ? true : undefined));
  t.same((await state('prod')).strategies, (await state('staging')).strategies);
  t.same(problems, []);
});

t.test('playground: answers and the explain trace', async (t) => {
  const { page, problems } = await openPage(browser, DESKTOP, t);
  await signIn(page, api.url, admin);
  await page.goto(`${api.url}/playground`);
  await page.getByLabel('Environment').selectOption('staging');
  await page.getByLabel('Context (JSON)').fill('{ "targetingKey": "u7" }');
  await page.getByRole('button', { name: 'Evaluate' }).click();
  const row = page.locator('tr', { hasText: 'promo' });
  await row.waitFor();
  t.match(await row.textContent(), /rollout/i, 'the trace names the rollout');
  t.match(await row.textContent(), /bucket \d+ of "u7"/, 'with the bucket of the context value it hashed');
  const evaluated = await call('POST', '/v1/playground', { environment: 'staging', context: { targetingKey: 'u7' }, flags: ['promo'] });
  t.match(await row.locator('td').nth(1).textContent(), evaluated.flags[0].enabled ? 'on' : 'off', 'the answer the API gives');
  t.same(problems, []);
});

import t from 'tap';
import { DESKTOP, launchBrowser, openPage, screenshotPath } from './support/browser.js';
import { confirmProductionChange, signIn, startConsoleWorld } from './support/console-world.js';

const { env, api } = await startConsoleWorld(t, 'console-guarded-ramps', { worker: true });
const browser = await launchBrowser(t);
const admin = env.adminSecret;

t.test('a guarded ramp: guards in the form, live figures, and why it rolled back', async (t) => {
  const flag = await api.request('POST', '/v1/flags', { token: admin, body: { key: 'guard-me', environments: { prod: { enabled: true, rollout: 0 } } } });
  t.equal(flag.status, 201);
  const sdk = await api.request('POST', '/v1/tokens', { token: admin, body: { name: 'guard-sdk', kind: 'sdk', environment: 'prod' } });
  const { page, problems } = await openPage(browser, DESKTOP, t);
  await signIn(page, api.url, admin);
  await page.goto(`${api.url}/flag/guard-me`);
  await page.getByRole('button', { name: 'Schedule a ramp in prod…' }).click();
  const form = page.getByRole('form', { name: 'Schedule a ramp in prod' });
  await form.getByLabel('From %').fill('20');
  await form.getByLabel('To %').fill('40');
  await form.getByLabel('Step %').fill('20');
  await form.getByRole('button', { name: 'Add a guard' }).click();
  await form.getByLabel('Min exposures per arm').fill('100');
  const posted = page.waitForRequest((request) => request.method() === 'POST' && request.url().endsWith('/v1/flags/guard-me/environments/prod/rollouts'));
  await form.getByRole('button', { name: 'Schedule ramp' }).click();
  await confirmProductionChange(page, 'prod');
  t.match((await posted).postDataJSON(), { guards: [{ event: 'errors', maxRatio: 1.5, minExposures: 100, action: 'rollback' }] }, 'the guard is sent');

  const ramp = page.locator('[data-environment="prod"] [data-ramp]');
  await ramp.waitFor();
  await ramp.locator('table[aria-label="Guards"]').waitFor();
  // Apps report: users with the flag on fail ten times as often.
  const at = new Date().toISOString();
  const bucket = (variant: string, event: string, count: number) => ({ flag: 'guard-me', variant, event, count, start: at, end: at });
  const reported = await api.request('POST', '/v1/client/events', {
    token: sdk.body.secret,
    body: { appName: 'shop', buckets: [bucket('on', 'exposure', 400), bucket('on', 'errors', 80), bucket('off', 'exposure', 1600), bucket('off', 'errors', 32)] },
  });
  t.equal(reported.status, 202);
  await page.locator('[data-environment="prod"] [data-ramp][data-status="rolled_back"]').waitFor({ timeout: 20_000 });
  t.match(await ramp.getByTestId('ramp-stop-reason').textContent(), /Rolled back: guard on 'errors' breached: treatment 80\/400 = 20\.0%, control 32\/1600 = 2\.00%/, 'why it stopped, with the figures');
  t.match(await ramp.locator('tr[data-decision="breach"]').textContent(), /80\/400 = 20\.00%.*32\/1600 = 2\.00%.*10\.00×/, 'the live figures');
  await page.screenshot({ path: screenshotPath('console-ramp-guard') });
  await page.locator('[data-environment="prod"] .rollout-now', { hasText: '0%' }).waitFor();
  t.same(problems, []);
});

import t from 'tap';
import { DESKTOP, launchBrowser, openPage, screenshotPath } from './support/browser.js';
import { confirmProductionChange, signIn, startConsoleWorld } from './support/console-world.js';
import { waitFor } from '../helpers/worker.js';

const { env, api } = await startConsoleWorld(t, 'console-ramps', { worker: true });
const browser = await launchBrowser(t);
const admin = env.adminSecret;

const created = await api.request('POST', '/v1/flags', {
  token: admin,
  body: { key: 'ramp-me', description: 'Ramped from the console', environments: { prod: { enabled: true, rollout: 0 }, staging: { enabled: true, rollout: 10 } } },
});
if (created.status !== 201) throw new Error(created.text);

async function rolloutIn(environment: string): Promise<number | null> {
  const { body } = await api.request('GET', `/v1/flags/ramp-me/environments/${environment}`, { token: admin });
  return body.rollout;
}

t.test('a bad ramp: the API’s 400 details are shown at their fields, and nothing is scheduled', async (t) => {
  const { page, problems } = await openPage(browser, DESKTOP, t);
  await signIn(page, api.url, admin);
  await page.goto(`${api.url}/flag/ramp-me`);
  await page.getByRole('button', { name: 'Schedule a ramp in prod…' }).click();
  const form = page.getByRole('form', { name: 'Schedule a ramp in prod' });
  await form.getByLabel('From %').fill('50');
  await form.getByLabel('To %').fill('20');
  await form.getByLabel('Every (number)').fill('0');
  await form.getByRole('button', { name: 'Schedule ramp' }).click();
  await confirmProductionChange(page, 'prod');
  const toError = form.locator('[data-field="to"]');
  await toError.waitFor();
  t.match(await toError.textContent(), /must rise/, 'to: the rule it breaks');
  t.match(await form.locator('[data-field="every"]').textContent(), /ISO 8601 duration/, 'every: what it must be');

  await form.getByLabel('explicit steps').check();
  await form.getByLabel('Step 1 rollout %').fill('150');
  await form.getByLabel('Step 1 at').fill('2030-01-01T12:00:00');
  await form.getByRole('button', { name: 'Schedule ramp' }).click();
  await confirmProductionChange(page, 'prod');
  const stepError = form.locator('[data-field="steps.0.rollout"]');
  await stepError.waitFor();
  t.match(await stepError.textContent(), /0 to 100/, 'an explicit step’s rollout is named by its position');
  await page.screenshot({ path: screenshotPath('console-ramp-errors') });
  t.equal(await rolloutIn('prod'), 0, 'nothing changed');
  t.same(problems, []);
});

t.test('schedule a ramp and watch its steps arrive without a reload', async (t) => {
  const { page, problems } = await openPage(browser, DESKTOP, t);
  await signIn(page, api.url, admin);
  await page.goto(`${api.url}/flag/ramp-me`);
  await page.getByRole('button', { name: 'Schedule a ramp in prod…' }).click();
  const form = page.getByRole('form', { name: 'Schedule a ramp in prod' });
  await form.getByLabel('From %').fill('10');
  await form.getByLabel('To %').fill('30');
  await form.getByLabel('Step %').fill('10');
  t.equal(await form.getByLabel('Every (unit)').inputValue(), 'hours', 'every: a number and a unit, not ISO 8601 to type');
  await form.getByLabel('Every (number)').fill('2');
  await form.getByLabel('Every (unit)').selectOption('seconds');
  const posted = page.waitForRequest((request) => request.method() === 'POST' && request.url().endsWith('/v1/flags/ramp-me/environments/prod/rollouts'));
  await form.getByRole('button', { name: 'Schedule ramp' }).click();
  await confirmProductionChange(page, 'prod');
  t.match((await posted).postDataJSON(), { from: 10, to: 30, step: 10, every: 'PT2S' }, 'the duration picker sends an ISO 8601 duration');

  const card = page.locator('[data-environment="prod"]');
  const ramp = card.locator('[data-ramp]');
  await ramp.waitFor();
  t.match(await ramp.getByTestId('ramp-progress').textContent(), /of 3 steps applied/, 'the timeline shows the three planned steps');
  await ramp.getByTestId('ramp-progress').filter({ hasText: '2 of 3 steps applied' }).waitFor({ timeout: 20_000 });
  t.pass('a step applied by the worker appears in the timeline');
  await card.locator('.rollout-now', { hasText: '20%' }).waitFor();
  await page.screenshot({ path: screenshotPath('console-ramp') });
  await ramp.getByTestId('ramp-progress').filter({ hasText: '3 of 3 steps applied' }).waitFor({ timeout: 20_000 });
  await page.locator('[data-ramp][data-status="completed"]').waitFor();
  await card.locator('.rollout-now', { hasText: '30%' }).waitFor();
  t.equal(await rolloutIn('prod'), 30, 'PostgreSQL agrees');
  t.same(problems, []);
});

t.test('a ramp scheduled and paused elsewhere shows on an open page without a reload', async (t) => {
  const { page, problems } = await openPage(browser, DESKTOP, t);
  await signIn(page, api.url, admin);
  await page.goto(`${api.url}/flag/ramp-me`);
  const card = page.locator('[data-environment="staging"]');
  await card.waitFor();
  t.equal(await card.locator('[data-ramp]').count(), 0, 'staging has no ramp yet');

  // Its first step is an hour away: no step, so no change event, announces it.
  const at = new Date(Date.now() + 3_600_000).toISOString();
  const scheduled = await api.request('POST', '/v1/flags/ramp-me/environments/staging/rollouts', {
    token: admin,
    body: { steps: [{ rollout: 40, at }] },
  });
  t.equal(scheduled.status, 201, 'scheduled over REST');
  const ramp = card.locator(`[data-ramp="${scheduled.body.id}"]`);
  await ramp.waitFor({ timeout: 20_000 });
  t.match(await ramp.getByTestId('ramp-progress').textContent(), /0 of 1 step/, 'the ramp scheduled over REST is shown');

  const paused = await api.request('POST', `/v1/rollouts/${scheduled.body.id}/pause`, { token: admin, body: {} });
  t.equal(paused.status, 200, 'paused over REST');
  await card.locator(`[data-ramp="${scheduled.body.id}"][data-status="paused"]`).waitFor({ timeout: 20_000 });
  t.pass('its pause over REST is shown');
  const cancelled = await api.request('POST', `/v1/rollouts/${scheduled.body.id}/cancel`, { token: admin, body: {} });
  t.equal(cancelled.status, 200, 'cancelled over REST');
  t.same(problems, []);
});

t.test('a stale save is a 412: it says someone else changed it and shows their version; nothing is overwritten', async (t) => {
  const { page, problems } = await openPage(browser, DESKTOP, t);
  await signIn(page, api.url, admin);
  await page.goto(`${api.url}/flag/ramp-me`);
  await page.locator('[data-environment="prod"] [data-ramp][data-status="completed"]').waitFor();
  t.pass('after a reload the ramp is still listed, completed (GET /v1/rollouts)');
  const card = page.locator('[data-environment="staging"]');
  await card.getByLabel('Rollout percent in staging').fill('40');

  const other = await api.request('POST', '/v1/tokens', { token: admin, body: { name: 'other-admin', kind: 'admin' } });
  const theirs = await api.request('PATCH', '/v1/flags/ramp-me/environments/staging', { token: other.body.secret, body: { rollout: 70 } });
  t.equal(theirs.status, 200);
  await card.locator('.rollout-now', { hasText: '70%' }).waitFor();
  t.equal(await card.getByLabel('Rollout percent in staging').inputValue(), '40', 'my draft is kept while theirs arrives');

  await card.getByRole('button', { name: 'Save rollout' }).click();
  const conflict = card.locator('.conflict');
  await conflict.waitFor();
  const text = await conflict.textContent();
  t.match(text, /Someone else changed this/);
  t.match(text, new RegExp(`environment version ${theirs.body.version}, by token:other-admin.*rollout 70%`), 'their version, who and what');
  t.equal(await rolloutIn('staging'), 70, 'theirs stands');
  await page.screenshot({ path: screenshotPath('console-conflict') });

  await conflict.getByRole('button', { name: 'Discard mine and edit theirs' }).click();
  await waitFor('the draft to start again from theirs', async () => (await card.getByLabel('Rollout percent in staging').inputValue()) === '70');
  t.equal(await card.locator('.conflict').count(), 0, 'the note is gone');
  await card.getByLabel('Rollout percent in staging').fill('75');
  await card.getByRole('button', { name: 'Save rollout' }).click();
  await waitFor('the new save', async () => (await rolloutIn('staging')) === 75);
  t.same(problems, []);
});

t.test('the ramp form opens with values the API accepts for a flag at 100%, and sends allow decrease', async (t) => {
  const full = await api.request('POST', '/v1/flags', { token: admin, body: { key: 'ramp-full', environments: { staging: { enabled: true, rollout: 100 } } } });
  t.equal(full.status, 201);
  const { page, problems } = await openPage(browser, DESKTOP, t);
  await signIn(page, api.url, admin);
  await page.goto(`${api.url}/flag/ramp-full`);
  const card = page.locator('[data-environment="staging"]');
  await card.getByRole('button', { name: 'Schedule a ramp in staging…' }).click();
  const form = page.getByRole('form', { name: 'Schedule a ramp in staging' });
  t.ok(await form.getByLabel('Allow decrease').isChecked(), 'at 100% a ramp can only start lower: allow decrease is ticked');
  t.match(await form.getByTestId('ramp-restart-note').textContent(), /rolls it back to 10% at once/, 'and the form says what that does');
  const posted = page.waitForRequest((request) => request.method() === 'POST' && request.url().endsWith('/v1/flags/ramp-full/environments/staging/rollouts'));
  await form.getByRole('button', { name: 'Schedule ramp' }).click();
  t.match((await posted).postDataJSON(), { from: 10, to: 100, step: 10, every: 'PT1H', allowDecrease: true }, 'the defaults, sent as they stand');
  const ramp = card.locator('[data-ramp]');
  await ramp.waitFor();
  t.equal(await form.count(), 0, 'the API accepted them: the form closed and the ramp is listed');
  await ramp.getByRole('button', { name: 'Cancel ramp' }).click();
  await card.locator('[data-ramp][data-status="cancelled"]').waitFor();

  const half = await api.request('PATCH', '/v1/flags/ramp-full/environments/staging', { token: admin, body: { rollout: 50 } });
  t.equal(half.status, 200);
  await card.locator('.rollout-now', { hasText: '50%' }).waitFor();
  await card.getByRole('button', { name: 'Schedule a ramp in staging…' }).click();
  t.equal(await form.getByLabel('From %').inputValue(), '50', 'an enabled flag ramps from where it is');
  t.notOk(await form.getByLabel('Allow decrease').isChecked(), 'so no decrease is needed');
  await form.getByLabel('From %').fill('20');
  await form.getByRole('button', { name: 'Schedule ramp' }).click();
  await form.locator('[data-field="from"]').filter({ hasText: 'below the current rollout of 50%' }).waitFor();
  await form.getByLabel('Allow decrease').check();
  const allowed = page.waitForRequest((request) => request.method() === 'POST' && request.url().endsWith('/v1/flags/ramp-full/environments/staging/rollouts'));
  await form.getByRole('button', { name: 'Schedule ramp' }).click();
  t.match((await allowed).postDataJSON(), { from: 20, allowDecrease: true }, 'allow decrease is sent');
  await card.locator('[data-ramp][data-status="running"], [data-ramp][data-status="scheduled"]').first().waitFor();
  t.equal(await form.count(), 0, 'and the API accepted the ramp');
  t.same(problems, []);
});

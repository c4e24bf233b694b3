import t from 'tap';
import { DESKTOP, launchBrowser, openPage, screenshotPath } from './support/browser.js';
import { confirmProductionChange, signIn, startConsoleWorld } from './support/console-world.js';
import { createSdkToken } from '../helpers/tokens.js';
import { waitFor } from '../helpers/worker.js';

const { env, api } = await startConsoleWorld(t, 'console-targeting');
const browser = await launchBrowser(t);
const admin = env.adminSecret;

const flag = await api.request('POST', '/v1/flags', { token: admin, body: { key: 'targeted', environments: { prod: { enabled: true, rollout: 100 } } } });
if (flag.status !== 201) throw new Error(flag.text);
const segment = await api.request('POST', '/v1/segments', {
  token: admin,
  body: { name: 'pro-plan', constraints: [{ contextName: 'plan', operator: 'IN', values: ['pro'] }] },
});
if (segment.status !== 201) throw new Error(segment.text);
const sdk = await createSdkToken(api.request, admin, 'prod');

async function evaluate(context: Record<string, string>) {
  const { body } = await api.request('POST', '/v1/client/evaluate', { token: sdk.secret, body: { context } });
  return body.flags.find((answer: { key: string }) => answer.key === 'targeted');
}

async function prodState() {
  return (await api.request('GET', '/v1/flags/targeted/environments/prod', { token: admin })).body;
}

const { page, problems } = await openPage(browser, DESKTOP);
await signIn(page, api.url, admin);

t.test('build a constraint, a segment and a variant in the editor; /v1/client/evaluate agrees', async (t) => {
  await page.goto(`${api.url}/flag/targeted`);
  await page.getByRole('button', { name: 'Edit targeting in prod…' }).click();
  const form = page.getByRole('form', { name: 'Targeting of targeted in prod' });
  const strategy = form.getByRole('region', { name: 'Strategy 1' });
  const kind = strategy.getByLabel('Strategy 1', { exact: true });
  t.equal(await kind.inputValue(), 'flexibleRollout');
  t.equal(await kind.locator('option:checked').textContent(), 'A percentage of users', 'the strategy in people’s words');
  t.same(
    await kind.locator('option').allTextContents(),
    [
      'On for everyone',
      'A percentage of users',
      'Only these users',
      'A percentage, chosen by user id (legacy)',
      'A percentage, chosen by session (legacy)',
      'A random percentage of requests (legacy)',
      'Only these IP addresses',
      'Only on these hosts',
    ],
    'every strategy has a plain name',
  );
  t.ok(await strategy.getByLabel('Rollout %').isVisible(), 'its parameters too');
  await strategy.getByRole('button', { name: 'Add a constraint' }).click();
  const constraint = strategy.getByRole('group', { name: 'Constraint 1 of strategy 1' });
  await constraint.getByLabel('Context field').fill('email');
  await constraint.getByLabel('Operator').selectOption('STR_ENDS_WITH');
  await constraint.getByLabel('Values (comma-separated)').fill('@acme.com');
  await constraint.getByLabel('ignore case').check();
  await strategy.getByRole('checkbox', { name: 'pro-plan' }).check();

  await form.getByRole('button', { name: 'Add a variant' }).click();
  await form.getByLabel('Variant 1 name').fill('blue');
  t.equal(await form.getByLabel('Weight (of 1000)').inputValue(), '1000', 'a first variant takes the whole weight');
  await form.getByLabel('Payload type').selectOption('string');
  await form.getByLabel('Payload', { exact: true }).fill('blue-theme');
  await page.screenshot({ path: screenshotPath('console-targeting'), fullPage: true });
  await form.getByRole('button', { name: 'Save targeting' }).click();
  await confirmProductionChange(page, 'prod');
  const summary = page.getByRole('list', { name: 'Targeting in prod' });
  await summary.waitFor();
  t.match(await summary.textContent(), /^A percentage of users 100%/, 'the summary uses the same words');

  const state = await prodState();
  t.match(state.strategies[0], {
    name: 'flexibleRollout',
    constraints: [{ contextName: 'email', operator: 'STR_ENDS_WITH', values: ['@acme.com'], caseInsensitive: true }],
    segments: [segment.body.id],
  });
  t.match(state.variants, [{ name: 'blue', weight: 1000, payload: { type: 'string', value: 'blue-theme' } }]);

  const match = await waitFor('the evaluation to use the new targeting', async () => {
    const answer = await evaluate({ targetingKey: 'ada', email: 'Ada@ACME.com', plan: 'pro' });
    return answer?.variant?.name === 'blue' ? answer : undefined;
  });
  t.match(match, { enabled: true, value: 'blue-theme', variant: { name: 'blue', payload: { type: 'string', value: 'blue-theme' } } });
  t.match(await evaluate({ targetingKey: 'bob', email: 'bob@example.com', plan: 'pro' }), { enabled: false }, 'another domain: off');
  t.match(await evaluate({ targetingKey: 'ada', email: 'ada@acme.com', plan: 'free' }), { enabled: false }, 'outside the segment: off');
});

t.test('a value the API refuses: its 400 detail is shown at that constraint, and nothing is saved', async (t) => {
  const before = await prodState();
  await page.getByRole('button', { name: 'Edit targeting in prod…' }).click();
  const form = page.getByRole('form', { name: 'Targeting of targeted in prod' });
  const strategy = form.getByRole('region', { name: 'Strategy 1' });
  await strategy.getByRole('button', { name: 'Add a constraint' }).click();
  const constraint = strategy.getByRole('group', { name: 'Constraint 2 of strategy 1' });
  await constraint.getByLabel('Context field').fill('appVersion');
  await constraint.getByLabel('Operator').selectOption('SEMVER_GT');
  t.equal(await constraint.getByLabel('Value', { exact: true }).getAttribute('placeholder'), '2.3.0', 'the input says what a semver looks like');
  await constraint.getByLabel('Value', { exact: true }).fill('not-a-version');
  await form.getByRole('button', { name: 'Save targeting' }).click();
  await confirmProductionChange(page, 'prod');
  const error = constraint.locator('.field-error');
  await error.waitFor();
  t.match(await error.textContent(), /semver|version/i, 'the API’s words, at the constraint');
  t.equal(await constraint.getByLabel('Value', { exact: true }).getAttribute('aria-invalid'), 'true');
  t.equal(await form.locator('.field-error').count(), 1, 'only that field is marked');
  t.equal((await prodState()).version, before.version, 'nothing was saved');
  await page.screenshot({ path: screenshotPath('console-targeting-error'), fullPage: true });
});

t.test('a stale save (412) shows the version someone else saved, and loads it on request', async (t) => {
  const form = page.getByRole('form', { name: 'Targeting of targeted in prod' });
  await form.getByRole('group', { name: 'Constraint 2 of strategy 1' }).getByLabel('Value', { exact: true }).fill('2.0.0');
  const other = await api.request('POST', '/v1/tokens', { token: admin, body: { name: 'other-admin', kind: 'admin' } });
  const theirs = await api.request('PATCH', '/v1/flags/targeted/environments/prod', { token: other.body.secret, body: { enabled: false } });
  t.equal(theirs.status, 200);
  await page.getByRole('switch', { name: 'targeted in prod' }).and(page.locator('[aria-checked="false"]')).waitFor();

  await form.getByRole('button', { name: 'Save targeting' }).click();
  await confirmProductionChange(page, 'prod');
  const conflict = form.locator('.conflict');
  await conflict.waitFor();
  t.match(await conflict.textContent(), new RegExp(`Someone else changed this.*environment version ${theirs.body.version} by token:other-admin, off`, 's'));
  t.match(await prodState(), { enabled: false, version: theirs.body.version }, 'theirs stands');
  t.equal((await prodState()).strategies[0].constraints.length, 1, 'my constraint was not written');

  await conflict.getByRole('button', { name: 'Discard mine and load theirs' }).click();
  t.equal(await form.getByRole('group', { name: 'Constraint 2 of strategy 1' }).count(), 0, 'the draft is theirs again');
  t.same(problems, []);
});

t.test('segments: create one in the console; one in use cannot be deleted, and the page says which flag uses it', async (t) => {
  await page.getByRole('link', { name: 'Segments' }).click();
  await page.getByRole('button', { name: 'New segment' }).click();
  const form = page.getByRole('form', { name: 'New segment' });
  await form.getByLabel('Name').fill('beta-testers');
  await form.getByRole('button', { name: 'Add a constraint' }).click();
  await form.getByLabel('Context field').fill('userId');
  await form.getByLabel('Values (comma-separated)').fill('ada, grace');
  await form.getByRole('button', { name: 'Create segment' }).click();
  await page.locator('[data-segment="beta-testers"]').waitFor();
  const listed = (await api.request('GET', '/v1/segments', { token: admin })).body.segments;
  t.match(listed.find((candidate: { name: string }) => candidate.name === 'beta-testers'), {
    constraints: [{ contextName: 'userId', operator: 'IN', values: ['ada', 'grace'] }],
  });

  await page.getByRole('button', { name: 'Edit pro-plan' }).click();
  await page.getByRole('button', { name: 'Delete pro-plan' }).click();
  const refused = page.getByRole('form', { name: 'Segment pro-plan' }).locator('.error-note');
  await refused.waitFor();
  t.match(await refused.textContent(), /targeted.*\(409\)/s, 'the 409 names the flag using it');
  t.same(problems, []);
});

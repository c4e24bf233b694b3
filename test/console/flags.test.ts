import t from 'tap';
import { DESKTOP, PHONE, launchBrowser, openPage, screenshotPath } from './support/browser.js';
import { confirmProductionChange, seedFlags, signIn, startConsoleWorld } from './support/console-world.js';
import { createSdkToken } from '../helpers/tokens.js';
import { waitFor } from '../helpers/worker.js';

const world = await startConsoleWorld(t, 'console-flags');
const { env, api } = world;
await seedFlags(env.pool, 'checkout', 1000);
const browser = await launchBrowser(t);

t.test('the API serves the console: the page on client routes, hashed assets cached, same-origin CSP', async (t) => {
  const page = await fetch(`${api.url}/flag/checkout-0001`);
  t.equal(page.status, 200, 'a client route gets the page (a reload works)');
  t.equal(page.headers.get('cache-control'), 'no-cache', 'the page is revalidated, so a new build shows at once');
  const html = await page.text();
  const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
  t.ok(script, 'the page loads its script from /assets');
  const asset = await fetch(`${api.url}${script}`);
  t.equal(asset.status, 200);
  t.match(asset.headers.get('cache-control'), /max-age=31536000.*immutable/, 'hashed assets are cached for a year');
  const csp = page.headers.get('content-security-policy') ?? '';
  t.match(csp, /default-src 'self'/);
  t.match(csp, /script-src 'self'(;|$)/, 'scripts from this origin only');
  t.notMatch(csp, /upgrade-insecure-requests/, 'plain http on localhost keeps working');
  const unknown = await fetch(`${api.url}/no-such-page`);
  t.equal(unknown.status, 404, 'paths that are not console routes stay 404s');
  t.equal((await fetch(`${api.url}/assets/missing.js`)).status, 404, 'a missing asset is a 404, not the page');
});

t.test('sign in, find a flag among 1,000, flip it: PostgreSQL changes and the audit log names the token', async (t) => {
  const { page, problems } = await openPage(browser, DESKTOP, t);
  await page.goto(`${api.url}/`);
  await page.getByLabel('Admin token').fill('not-a-token');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').filter({ hasText: 'unknown or revoked token' }).waitFor();
  t.pass('a wrong token is refused with the API’s words');

  const created = await api.request('POST', '/v1/tokens', { token: env.adminSecret, body: { name: 'console-e2e', kind: 'admin' } });
  const secret: string = created.body.secret;
  await signIn(page, api.url, secret);
  await page.getByTestId('flag-count').filter({ hasText: '1000 of 1000 flags' }).waitFor();
  t.equal(await page.evaluate(() => localStorage.length), 0, 'nothing in localStorage');
  t.equal(await page.evaluate(() => document.cookie), '', 'no script-readable cookie');
  t.equal(await page.evaluate(() => sessionStorage.getItem('flagship.adminToken')), secret, 'the token is in this tab’s sessionStorage');
  await page.screenshot({ path: screenshotPath('console-flags') });

  const search = page.getByRole('searchbox', { name: 'Search flags' });
  t.equal(await search.getAttribute('type'), 'search');
  await search.fill('checkout-0777');
  await page.getByTestId('flag-count').filter({ hasText: '1 of 1000 flags' }).waitFor();
  const toggle = page.getByRole('switch', { name: 'checkout-0777 in prod' });
  t.equal(await toggle.getAttribute('aria-checked'), 'false');
  const prodRollout = page.locator('[data-flag="checkout-0777"] [role="cell"]').filter({ has: toggle }).locator('.rollout');
  t.equal(await prodRollout.textContent(), 'Off', 'a disabled flag shows Off, not the 100% it would have when on');

  // prod is a production environment: the console asks first, and Cancel sends nothing.
  const stateInProd = async () =>
    (await env.pool.query<{ enabled: boolean; version: string }>(
      `select s.enabled, s.version::text from flag_state s join flag f on f.id = s.flag_id where f.key = 'checkout-0777' and s.environment_key = 'prod'`,
    )).rows[0];
  const before = await stateInProd();
  // Keyboard: focus the switch and press Space.
  await toggle.focus();
  await page.keyboard.press('Space');
  const dialog = page.getByRole('alertdialog', { name: 'Change prod?' });
  await dialog.waitFor();
  t.match(await dialog.textContent(), /prod is a production environment: switching checkout-0777 on/, 'the dialog says what would change where');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'hidden' });
  t.equal(await toggle.getAttribute('aria-checked'), 'false', 'cancelled: the switch stays off');
  t.same(await stateInProd(), before, 'and PostgreSQL is unchanged (same version)');

  await toggle.focus();
  await page.keyboard.press('Space');
  await confirmProductionChange(page, 'prod');
  await page.waitForFunction(() => document.querySelector('[aria-label="checkout-0777 in prod"]')?.getAttribute('aria-checked') === 'true');

  const stored = await waitFor('PostgreSQL to have the flip', async () => {
    const { rows } = await env.pool.query<{ enabled: boolean; updatedBy: string }>(
      `select s.enabled, flagship_actor_label(s.updated_by) as "updatedBy" from flag_state s join flag f on f.id = s.flag_id
        where f.key = 'checkout-0777' and s.environment_key = 'prod'`,
    );
    return rows[0]?.enabled ? rows[0] : undefined;
  });
  t.equal(stored.updatedBy, 'token:console-e2e', 'PostgreSQL says who flipped it');
  t.equal(await prodRollout.textContent(), '100%', 'switched on, the rollout shows');

  await page.getByRole('link', { name: 'Audit log' }).click();
  await page.getByLabel('Flag').fill('checkout-0777');
  await page.getByRole('button', { name: 'Filter' }).click();
  const latest = page.locator('[data-testid="audit-events"] li').first();
  await latest.filter({ hasText: 'console-e2e' }).waitFor();
  t.match(await latest.textContent(), /checkout-0777.*prod.*updated by console-e2e \(token\)/s, 'the audit log names the token');
  t.equal(await latest.getByLabel('enabled before').textContent(), 'false', 'the diff shows the value before');
  t.equal(await latest.getByLabel('enabled after').textContent(), 'true', 'and after');
  await page.screenshot({ path: screenshotPath('console-audit') });

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('Admin token').waitFor();
  t.equal(await page.evaluate(() => sessionStorage.length), 0, 'signing out forgets the token');
  t.same(problems, [], 'no page errors, no CSP violations');
});

t.test('a change made over REST appears without a reload', async (t) => {
  const { page, problems } = await openPage(browser, DESKTOP, t);
  await signIn(page, api.url, env.adminSecret);
  await page.getByRole('searchbox', { name: 'Search flags' }).fill('checkout-0042');
  const toggle = page.getByRole('switch', { name: 'checkout-0042 in staging' });
  t.equal(await toggle.getAttribute('aria-checked'), 'false');
  await toggle.click();
  await page.waitForFunction(() => document.querySelector('[aria-label="checkout-0042 in staging"]')?.getAttribute('aria-checked') === 'true');
  t.equal(await page.getByRole('alertdialog').or(page.getByRole('dialog')).count(), 0, 'staging is not production: no confirmation');
  const off = await api.request('PATCH', '/v1/flags/checkout-0042/environments/staging', { token: env.adminSecret, body: { enabled: false } });
  t.equal(off.status, 200);
  await page.waitForFunction(() => document.querySelector('[aria-label="checkout-0042 in staging"]')?.getAttribute('aria-checked') === 'false');
  const row = page.locator('[data-flag="checkout-0042"]');
  const before = await page.evaluate(() => performance.now());
  const changed = await api.request('PATCH', '/v1/flags/checkout-0042/environments/staging', {
    token: env.adminSecret,
    body: { enabled: true, rollout: 35 },
  });
  t.equal(changed.status, 200);
  await page.waitForFunction(() => document.querySelector('[aria-label="checkout-0042 in staging"]')?.getAttribute('aria-checked') === 'true');
  const after = await page.evaluate(() => performance.now());
  t.match(await row.textContent(), /35%/, 'the rollout moved too');
  t.comment(`REST change visible in the page ${Math.round(after - before)} ms after the request was sent (includes the request)`);

  const created = await api.request('POST', '/v1/flags', { token: env.adminSecret, body: { key: 'checkout-new', description: 'made over REST' } });
  t.equal(created.status, 201);
  await page.getByRole('searchbox', { name: 'Search flags' }).fill('checkout-new');
  await page.getByRole('switch', { name: 'checkout-new in prod' }).waitFor();
  t.pass('a flag created elsewhere appears in the list');
  t.same(problems, []);
});

t.test('create, describe and archive a flag; readable at phone width', async (t) => {
  const { page, problems } = await openPage(browser, PHONE, t);
  await signIn(page, api.url, env.adminSecret);
  await page.getByRole('button', { name: 'New flag' }).click();
  await page.getByLabel('Key').fill('Bad Key!');
  await page.getByRole('button', { name: 'Create flag' }).click();
  const keyError = page.locator('#new-flag-key-error');
  await keyError.waitFor();
  t.match(await keyError.textContent(), /must be/, 'the API’s 400 is shown at the key field');
  t.equal(await page.getByLabel('Key').getAttribute('aria-invalid'), 'true');

  await page.getByLabel('Key').fill('phone-made');
  await page.getByLabel('Description').fill('Made at phone width');
  // The create form's type (the list's filters have a Type too).
  await page.getByRole('form', { name: 'New flag' }).getByLabel('Type', { exact: true }).selectOption('experiment');
  await page.getByRole('button', { name: 'Create flag' }).click();
  await page.getByRole('heading', { name: 'phone-made' }).waitFor();
  const made = (await api.request('GET', '/v1/flags/phone-made', { token: env.adminSecret })).body;
  t.equal(made.description, 'Made at phone width');
  t.equal(made.type, 'experiment', 'the type chosen in the create form is stored');

  await page.getByRole('tab', { name: 'Settings' }).click();
  t.equal(new URL(page.url()).pathname, '/flag/phone-made/settings', 'the tab is in the address');
  await page.getByLabel('Type', { exact: true }).selectOption('kill-switch');
  await page.getByRole('button', { name: 'Save type' }).click();
  await waitFor('the type to be saved', async () =>
    (await api.request('GET', '/v1/flags/phone-made', { token: env.adminSecret })).body.type === 'kill-switch');
  await page.locator('.type-editor .saved').waitFor();

  await page.getByLabel('Description').fill('Edited on the phone');
  await page.getByRole('button', { name: 'Save description' }).click();
  await waitFor('the description to be saved', async () =>
    (await api.request('GET', '/v1/flags/phone-made', { token: env.adminSecret })).body.description === 'Edited on the phone');
  await page.screenshot({ path: screenshotPath('console-flag-phone'), fullPage: true });

  await page.getByRole('button', { name: 'Archive…' }).click();
  const archiving = page.getByRole('alertdialog', { name: 'Archive phone-made?' });
  const archive = archiving.getByRole('button', { name: 'Archive phone-made' });
  t.ok(await archive.isDisabled(), 'archiving waits for the flag key to be typed');
  await archiving.getByLabel('Type phone-made to confirm').fill('phone-made');
  await archive.click();
  await page.locator('h1 .badge', { hasText: 'archived' }).waitFor();
  t.ok((await api.request('GET', '/v1/flags/phone-made', { token: env.adminSecret })).body.archivedAt, 'archived in the API');

  await page.getByRole('link', { name: 'Flags', exact: true }).first().click();
  await page.getByRole('searchbox', { name: 'Search flags' }).fill('checkout-00');
  await page.getByTestId('flag-count').filter({ hasText: /^99 of/ }).waitFor();
  await page.screenshot({ path: screenshotPath('console-flags-phone') });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  t.ok(width <= PHONE.width, `nothing wider than the phone (${width}px)`);
  t.same(problems, []);
});

t.test('tokens: the secret is shown once with a copy button, and can be revoked', async (t) => {
  const { page, problems } = await openPage(browser, DESKTOP, t);
  await signIn(page, api.url, env.adminSecret);
  await page.getByRole('link', { name: 'Tokens' }).click();
  await page.getByLabel('Name').fill('web-shop');
  await page.getByLabel('Environment').selectOption('prod');
  await page.getByRole('button', { name: 'Create token' }).click();
  const secret = (await page.getByTestId('token-secret').textContent())!;
  t.match(secret, /^fs_sdk_/, 'the secret is shown');
  await page.getByRole('button', { name: 'Copy secret' }).click();
  await page.getByRole('status').filter({ hasText: 'Copied' }).waitFor();
  t.equal(await page.evaluate(() => navigator.clipboard.readText()), secret, 'the copy button copies it');
  const evaluated = await api.request('POST', '/v1/client/evaluate', { token: secret, body: { context: {} } });
  t.equal(evaluated.status, 200, 'the new sdk token works');
  await page.screenshot({ path: screenshotPath('console-tokens') });
  await page.getByRole('button', { name: 'Done' }).click();
  t.equal(await page.getByTestId('token-secret').count(), 0, 'and is gone once dismissed');

  await page.getByRole('button', { name: 'Revoke web-shop…' }).click();
  await page.getByRole('button', { name: 'Revoke web-shop', exact: true }).click();
  await page.locator('tr[data-token="web-shop"]').filter({ hasText: 'revoked' }).waitFor();
  const refused = await api.request('POST', '/v1/client/evaluate', { token: secret, body: { context: {} } });
  t.equal(refused.status, 401, 'a revoked token is refused');

  await page.getByRole('link', { name: 'Environments' }).click();
  await page.getByLabel('Key').fill('qa');
  await page.getByRole('button', { name: 'Add environment' }).click();
  await page.getByRole('cell', { name: 'qa', exact: true }).waitFor();
  await page.getByRole('link', { name: 'Flags', exact: true }).first().click();
  await page.getByRole('columnheader', { name: 'qa' }).waitFor();
  t.pass('a new environment becomes a column');
  t.same(problems, []);
});

t.test('a flag page: its usage and last-seen after a real report, and a snippet to copy per environment', async (t) => {
  const sdk = await createSdkToken(api.request, env.adminSecret, 'staging', 'usage-reporter');
  const now = Date.now();
  const reported = await api.request('POST', '/api/client/metrics', {
    headers: { authorization: sdk.secret },
    body: {
      appName: 'checkout-service',
      bucket: { start: new Date(now - 60_000).toISOString(), stop: new Date(now).toISOString(), toggles: { 'checkout-0100': { yes: 7, no: 3 } } },
    },
  });
  t.equal(reported.status, 202, reported.text);

  const { page, problems } = await openPage(browser, DESKTOP, t);

  // Closed when the test ends: an open page keeps its live stream and applies every later change.

  t.teardown(() => page.context().close());
  await signIn(page, api.url, env.adminSecret);
  await page.goto(`${api.url}/flag/checkout-0100`);
  const staging = page.locator('[data-environment="staging"]');
  const usage = staging.getByTestId('usage');
  await usage.filter({ hasText: 'Last seen' }).waitFor();
  t.match(await usage.textContent(), /last 48 h: 7 on, 3 off/, 'the counts of the report');
  t.equal(await page.locator('[data-environment="prod"]').getByTestId('usage').textContent(), 'Never evaluated here · last 48 h: 0 on, 0 off');
  t.equal(await staging.locator('.rollout-now').textContent(), 'Off', 'disabled: Off');
  const version = (await api.request('GET', '/v1/flags/checkout-0100/environments/staging', { token: env.adminSecret })).body.version;
  t.match(await staging.getByTestId('state-version').textContent(), new RegExp(`^environment version ${version} · `), 'the version says whose it is');

  const prod = page.locator('[data-environment="prod"]');
  await prod.getByText('Use checkout-0100 from code in prod').click();
  const copied = async (kind: string) => {
    await prod.getByLabel('SDK').selectOption(kind);
    await prod.getByRole('button', { name: 'Copy snippet' }).click();
    await prod.getByRole('status').filter({ hasText: 'Copied' }).waitFor();
    return page.evaluate(() => navigator.clipboard.readText());
  };
  const openFeature = await copied('openfeature');
  t.match(openFeature, `baseUrl: '${api.url}'`, 'OpenFeature: the API this console runs on');
  t.match(openFeature, /an sdk token of prod/, 'and the token it needs');
  t.match(openFeature, "getBooleanValue('checkout-0100'", 'and the flag');
  t.match(await copied('unleash'), `url: '${api.url}/api'`, 'Unleash: the API + /api');
  t.match(await copied('browser'), /a frontend token of prod/, 'browsers: a frontend token');
  const node = await copied('node');
  t.match(node, /url: 'http:\/\/127\.0\.0\.1:8081', \/\/ the notifier/, 'our SDK: the notifier');
  t.match(node, /an sdk token of prod/);
  await page.screenshot({ path: screenshotPath('console-flag-page'), fullPage: true });
  t.same(problems, []);
});

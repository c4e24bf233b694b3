import t from 'tap';
import { DESKTOP, launchBrowser, openPage } from './support/browser.js';
import { signIn, startConsoleWorld } from './support/console-world.js';

const { env, api } = await startConsoleWorld(t, 'console-keyboard');
const browser = await launchBrowser(t);
const admin = env.adminSecret;

await api.request('POST', '/v1/flags', { token: admin, body: { key: 'pay-button', tags: ['checkout'], owner: 'payments' } });
await api.request('POST', '/v1/flags', { token: admin, body: { key: 'search-v2', owner: 'web' } });

t.test('keyboard only: sign in, filter, open a flag, set its owner, flip a switch, create a flag', async (t) => {
  const { page, problems } = await openPage(browser, DESKTOP, t);
  await page.goto(`${api.url}/`);
  // What the focused element is called: its aria-label, else its id, else its text.
  const focusedName = () =>
    page.evaluate(`(() => { const element = document.activeElement; return element?.getAttribute('aria-label') || element?.id || element?.textContent?.trim() || ''; })()`);
  /** Presses Tab until the focused element matches, at most `limit` times. */
  const tabTo = async (matches: string, limit = 40) => {
    for (let presses = 0; presses < limit; presses += 1) {
      const label = String(await focusedName());
      if (label === matches) return true;
      await page.keyboard.press('Tab');
    }
    return String(await focusedName()) === matches;
  };

  /** Presses `key` until a tab of a tab list is focused (at most 40 times); its name. */
  const tabToTab = async (key = 'Tab') => {
    const focusedRole = () => page.evaluate(`document.activeElement?.getAttribute('role') ?? ''`);
    for (let presses = 0; presses < 40 && (await focusedRole()) !== 'tab'; presses += 1) await page.keyboard.press(key);
    return page.evaluate(`document.activeElement?.getAttribute('role') === 'tab' ? document.activeElement.textContent : ''`);
  };

  t.ok(await tabTo('admin-token'), 'Tab reaches the token field');
  await page.keyboard.type(admin);
  await page.keyboard.press('Enter');
  await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
  await page.getByTestId('flag-count').filter({ hasText: '2 of 2 flags' }).waitFor();

  t.ok(await tabTo('flag-search'), 'Tab reaches the search box');
  await page.keyboard.type('pay');
  await page.getByTestId('flag-count').filter({ hasText: '1 of 2 flags' }).waitFor();
  t.ok(await tabTo('filter-owner'), 'Tab reaches the owner filter');
  await page.keyboard.press('p'); // a select's type-ahead: "payments"
  t.equal(await page.locator('#filter-owner').inputValue(), 'payments', 'the owner chosen by typing');
  t.ok(await tabTo('pay-button'), 'Tab reaches the flag’s link');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'pay-button' }).waitFor();

  // The flag's tabs: Tab reaches the chosen one, the arrow keys (and Home, End) choose another.
  t.equal(await tabToTab(), 'Targeting', 'Tab reaches the flag’s tabs, on the chosen one');
  await page.keyboard.press('End');
  await page.getByRole('tab', { name: 'Settings', selected: true }).waitFor();
  t.equal(new URL(page.url()).pathname, '/flag/pay-button/settings', 'the chosen tab is in the address');
  t.ok(await tabTo('flag-owner'), 'Tab reaches the owner field');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('checkout-team');
  await page.keyboard.press('Enter');
  await page.getByText('Saved').waitFor();
  t.equal((await api.request('GET', '/v1/flags/pay-button', { token: admin })).body.owner, 'checkout-team', 'saved with Enter');

  t.equal(await tabToTab('Shift+Tab'), 'Settings', 'Shift+Tab returns to the tabs');
  await page.keyboard.press('Home');
  await page.getByRole('tab', { name: 'Targeting', selected: true }).waitFor();
  t.ok(await tabTo('pay-button in staging', 80), 'Tab reaches the switch in staging');
  await page.keyboard.press('Space');
  await page.getByRole('switch', { name: 'pay-button in staging' }).and(page.locator('[aria-checked="true"]')).waitFor();
  t.equal((await api.request('GET', '/v1/flags/pay-button', { token: admin })).body.environments.staging.enabled, true, 'switched on with Space');

  await page.goto(`${api.url}/`);
  await page.getByTestId('flag-count').filter({ hasText: /of 2 flags/ }).waitFor();
  t.ok(await tabTo('New flag'), 'Tab reaches New flag');
  await page.keyboard.press('Enter');
  t.ok(await tabTo('new-flag-key'), 'Tab reaches the key field');
  await page.keyboard.type('made-by-keyboard');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'made-by-keyboard' }).waitFor();
  t.equal((await api.request('GET', '/v1/flags/made-by-keyboard', { token: admin })).status, 200, 'created with the keyboard alone');
  t.same(problems, []);
});

import t from 'tap';
import { launchBrowser, openPage } from '../console/support/browser.js';
import { CONSOLE_DIST, ensureConsoleBuilt } from '../console/support/console-build.js';
import { createTestEnvironment } from '../helpers/environment.js';
import { startOidcWorld } from './support/oidc-world.js';
import { meWithSession, SESSION_COOKIE } from './support/people.js';

// A person signs in with single sign-on in the real browser, against a real
// OpenID provider: the console's "Sign in with SSO", the provider's form, back
// in the console signed in (it shows who), then signing out ends the session.

const [env] = await Promise.all([createTestEnvironment(t, 'oidc-browser'), ensureConsoleBuilt()]);
const { api } = await startOidcWorld(t, env, { api: { consoleDir: CONSOLE_DIST } });
const browser = await launchBrowser(t);

t.test('sign in with SSO, land in the console signed in, sign out: the session is refused afterwards', async (t) => {
  const { page, problems } = await openPage(browser, undefined, t);
  await page.goto(`${api.url}/`);
  await page.getByRole('link', { name: 'Sign in with SSO' }).click();

  // At the identity provider.
  await page.waitForURL((url) => !url.href.startsWith(api.url));
  await page.getByLabel('Account').fill('alice');
  await page.getByRole('button', { name: 'Sign in' }).click();

  // Back in the console, signed in as Alice (the header names her by email).
  await page.waitForURL((url) => url.href.startsWith(api.url));
  await page.getByTestId('signed-in-as').getByText('alice@example.com').waitFor();
  t.pass('the console shows who signed in');
  const cookies = await page.context().cookies(api.url);
  const session = cookies.find((cookie) => cookie.name === SESSION_COOKIE);
  t.ok(session, 'a session cookie');
  t.equal(session?.httpOnly, true, 'HttpOnly');
  t.equal(session?.sameSite, 'Lax', 'SameSite=Lax');
  t.notOk(cookies.some((cookie) => cookie.name === 'flagship_oidc_attempt'), 'the login attempt is over');
  t.notOk((await page.evaluate(() => document.cookie)).includes(SESSION_COOKIE), 'page scripts cannot read it');
  t.equal((await meWithSession(api.url, session!.value)).status, 200, 'the session works');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('link', { name: 'Sign in with SSO' }).waitFor();
  t.pass('signed out: the sign-in page again');
  t.equal((await meWithSession(api.url, session!.value)).status, 401, 'the session is refused afterwards');
  t.same(problems, [], 'no page errors or CSP violations');
});

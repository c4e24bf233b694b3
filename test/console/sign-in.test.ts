import t from 'tap';
import { DESKTOP, launchBrowser, openPage } from './support/browser.js';
import { startConsoleWorld } from './support/console-world.js';

/*
 * A person signs in to the console with a local account in a real browser:
 * the HttpOnly session cookie (never readable by the page), the console
 * working with it (reads, the live stream, a change with the CSRF header),
 * what the role cannot do hidden, the audit log naming the person, sign-out.
 */

const { env, api } = await startConsoleWorld(t, 'console-sign-in');
const browser = await launchBrowser(t);
const PASSWORD = 'correct horse battery staple';

t.test('sign in with email and password, work as an editor, sign out', async (t) => {
  await api.request('POST', '/v1/flags', { token: env.adminSecret, body: { key: 'signed_in_flag' } });
  const created = await api.request('POST', '/v1/users', {
    token: env.adminSecret,
    body: { email: 'erin@example.com', name: 'Erin', roles: [{ role: 'editor', project: '*' }], password: PASSWORD },
  });
  t.equal(created.status, 201);
  const { page } = await openPage(browser, DESKTOP, t);
  await page.goto(`${api.url}/`);
  await page.getByLabel('Email', { exact: true }).fill('erin@example.com');
  await page.getByLabel('Password', { exact: true }).fill('not the password');
  await page.getByRole('button', { name: 'Log in with email' }).click();
  await page.getByRole('alert').filter({ hasText: 'wrong email or password' }).waitFor();
  t.pass('a wrong password is refused with the API’s words');

  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in with email' }).click();
  await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
  t.equal(await page.getByTestId('signed-in-as').textContent(), 'erin@example.com', 'the console names who is signed in');
  t.equal(await page.evaluate(() => document.cookie), '', 'the session cookie is HttpOnly: no script reads it');
  t.equal(await page.evaluate(() => sessionStorage.length + localStorage.length), 0, 'and nothing is stored by the page');
  t.equal(await page.getByRole('link', { name: 'Tokens' }).count(), 0, 'an editor does not see the tokens page');
  t.equal(await page.getByRole('link', { name: 'Audit log', exact: true }).count(), 1, 'the pages an editor uses are there');

  // A change as the console makes it: the cookie and the CSRF header it got from /v1/me.
  const changed = await page.evaluate(async () => {
    const me = await (await fetch('/v1/me')).json();
    const response = await fetch('/v1/flags/signed_in_flag/environments/dev', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', 'x-flagship-csrf': me.csrfToken },
      body: JSON.stringify({ enabled: true }),
    });
    const forged = await fetch('/v1/flags/signed_in_flag/environments/dev', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ enabled: false }),
    });
    return { status: response.status, forged: forged.status };
  });
  t.same(changed, { status: 200, forged: 403 }, 'with the CSRF header a change goes through; without it, 403');

  await page.getByRole('link', { name: 'Audit log' }).click();
  await page.locator('.actor[data-actor-type="user"]').filter({ hasText: 'Erin' }).first().waitFor();
  t.pass('the audit log names the person');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Log in with email' }).waitFor();
  const after = await page.evaluate(async () => (await fetch('/v1/me')).status);
  t.equal(after, 401, 'signed out: the session is over');
  await page.reload();
  await page.getByRole('button', { name: 'Log in with email' }).waitFor();
  t.pass('a reload stays signed out');
});

t.test('a viewer sees no way to change what they cannot', async (t) => {
  await api.request('POST', '/v1/users', {
    token: env.adminSecret,
    body: { email: 'vic@example.com', name: 'Vic', roles: [{ role: 'viewer', project: '*' }], password: PASSWORD },
  });
  const { page } = await openPage(browser, DESKTOP, t);
  await page.goto(`${api.url}/`);
  await page.getByLabel('Email', { exact: true }).fill('vic@example.com');
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in with email' }).click();
  await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
  t.equal(await page.getByRole('link', { name: 'Tokens' }).count(), 0, 'no tokens page');
  t.equal(await page.getByRole('button', { name: 'New flag' }).count(), 0, 'no flag creation');
});

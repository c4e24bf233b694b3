import t from 'tap';
import { DESKTOP, launchBrowser, openPage } from './support/browser.js';
import { seriousAxeViolations } from './support/axe.js';
import { signIn, startConsoleWorld } from './support/console-world.js';

/*
 * The People page (admins): people with their roles per project; invite one
 * (the invitation link shown once), change their roles, remove one; each
 * checked through the API, the page checked by axe.
 */

const { env, api } = await startConsoleWorld(t, 'console-people');
const browser = await launchBrowser(t);
const admin = env.adminSecret;

async function must(response: Promise<{ status: number; text: string; body: any }>, status: number): Promise<any> {
  const answer = await response;
  if (answer.status !== status) throw new Error(`expected ${status}, got ${answer.status}: ${answer.text}`);
  return answer.body;
}

await must(api.request('POST', '/v1/projects', { token: admin, body: { key: 'web', name: 'Web' } }), 201);
await must(
  api.request('POST', '/v1/users', { token: admin, body: { email: 'cy@example.com', name: 'Cy', roles: [{ role: 'editor', project: 'web' }] } }),
  201,
);

const describe = (violations: Awaited<ReturnType<typeof seriousAxeViolations>>) =>
  violations.map((violation) => `${violation.impact} ${violation.id}: ${violation.help}\n  ${violation.nodes.join('\n  ')}`).join('\n');

const userByEmail = async (email: string) =>
  ((await must(api.request('GET', '/v1/users', { token: admin }), 200)).users as Array<{ id: string; email: string; roles: unknown[]; signIn: string }>).find(
    (user) => user.email === email,
  );

t.test('an admin invites a person, changes their roles and removes them', async (t) => {
  const { page, problems } = await openPage(browser, DESKTOP, t);
  await signIn(page, api.url, admin);
  await page.getByRole('link', { name: 'People' }).click();
  await page.getByRole('heading', { name: 'People', level: 1 }).waitFor();
  const cy = page.locator('[data-person="cy@example.com"]');
  await cy.getByText('editor on web').waitFor();
  let violations = await seriousAxeViolations(page);
  t.same(violations, [], `the People page\n${describe(violations)}`);

  // A bad email is refused, the field named.
  const form = page.getByRole('form', { name: 'Invite a person' });
  await form.getByLabel('Email', { exact: true }).fill('not-an-email');
  await form.getByLabel('Name', { exact: true }).fill('Bo');
  await form.getByRole('button', { name: 'Invite' }).click();
  await form.locator('[data-field="email"]').waitFor();
  t.equal(await form.getByLabel('Email', { exact: true }).getAttribute('aria-invalid'), 'true');
  t.equal(await userByEmail('not-an-email'), undefined, 'nobody was added');

  // Invited: the link is shown once; the person is there, invited, with the role chosen.
  await form.getByLabel('Email', { exact: true }).fill('bo@example.com');
  await form.getByLabel('Role', { exact: true }).selectOption('editor');
  await form.getByLabel('On', { exact: true }).selectOption('*');
  await form.getByRole('button', { name: 'Invite' }).click();
  const link = await page.getByTestId('invite-link').textContent();
  t.match(link, /\/set-password/, 'the invitation link');
  violations = await seriousAxeViolations(page);
  t.same(violations, [], `with the invitation shown\n${describe(violations)}`);
  await page.getByRole('button', { name: 'Done' }).click();
  const bo = page.locator('[data-person="bo@example.com"]');
  await bo.getByText('editor on every project').waitFor();
  const invited = await userByEmail('bo@example.com');
  t.match(invited, { signIn: 'invited', roles: [{ role: 'editor', project: '*' }] });

  // Roles changed: viewer on every project, and admin added on web.
  await page.getByRole('button', { name: 'Change roles of Bo…' }).click();
  await page.getByLabel('Role 1 of Bo', { exact: true }).selectOption('viewer');
  await page.getByRole('button', { name: 'Add a role' }).click();
  await page.getByLabel('Role 2 of Bo', { exact: true }).selectOption('admin');
  await page.getByLabel('Project of role 2 of Bo', { exact: true }).selectOption('web');
  violations = await seriousAxeViolations(page);
  t.same(violations, [], `while changing roles\n${describe(violations)}`);
  await page.getByRole('button', { name: 'Save roles' }).click();
  await page.getByRole('button', { name: 'Save roles' }).waitFor({ state: 'detached' });
  t.same(await bo.getByRole('listitem').allTextContents(), ['viewer on every project', 'admin on web'], 'the row shows the new roles');
  t.same((await userByEmail('bo@example.com'))?.roles, [
    { role: 'viewer', project: '*' },
    { role: 'admin', project: 'web' },
  ]);

  // Removed after confirming; "Keep" first changes nothing.
  await page.getByRole('button', { name: 'Remove Bo…' }).click();
  await page.getByRole('button', { name: 'Keep' }).click();
  t.ok(await userByEmail('bo@example.com'), 'kept');
  await page.getByRole('button', { name: 'Remove Bo…' }).click();
  await page.getByRole('button', { name: 'Remove Bo', exact: true }).click();
  await bo.waitFor({ state: 'detached' });
  t.equal(await userByEmail('bo@example.com'), undefined, 'removed');
  await must(api.request('GET', `/v1/users/${invited!.id}`, { token: admin }), 404);
  t.ok(await userByEmail('cy@example.com'), 'the others stay');
  t.same(problems, []);
});

import t from 'tap';
import { DESKTOP, launchBrowser, openPage } from './support/browser.js';
import { signIn, startConsoleWorld } from './support/console-world.js';
import { startSession } from '../../shared/domain/people/session-service.js';

/*
 * The console's project switcher (components/ProjectSwitcher.tsx): the flag
 * list, flag pages and new flags follow the chosen project, which is in the
 * URL (a reload or a shared link opens the same project).
 */

const world = await startConsoleWorld(t, 'console-projects');
const { env, api } = world;
const admin = env.adminSecret;
for (const key of ['web', 'mobile']) await api.request('POST', '/v1/projects', { token: admin, body: { key, name: key === 'web' ? 'Web team' : 'Mobile team' } });
for (const [key, project] of [['web_a', 'web'], ['web_b', 'web'], ['mobile_a', 'mobile'], ['legacy', 'default']] as const) {
  const created = await api.request('POST', '/v1/flags', { token: admin, body: { key, project } });
  if (created.status !== 201) throw new Error(created.text);
}
const browser = await launchBrowser(t);

t.test('choose a project: the list, a flag page and a new flag follow it, and the URL keeps it', async (t) => {
  const { page, problems } = await openPage(browser, DESKTOP, t);
  await signIn(page, api.url, admin);
  await page.getByTestId('flag-count').filter({ hasText: '4 of 4 flags' }).waitFor();
  const switcher = page.getByRole('combobox', { name: 'Project' });
  t.same(await switcher.locator('option').allTextContents(), ['All projects', 'Default', 'Mobile team', 'Web team']);

  await switcher.selectOption('web');
  await page.getByTestId('flag-count').filter({ hasText: '2 of 2 flags' }).waitFor();
  t.equal(new URL(page.url()).searchParams.get('project'), 'web', 'the choice is in the URL');
  t.equal(await page.locator('[data-flag="mobile_a"]').count(), 0, 'no mobile flag in the list');

  await page.getByRole('link', { name: 'web_a' }).first().click();
  await page.getByTestId('flag-project').filter({ hasText: 'Project web' }).waitFor();
  t.equal(new URL(page.url()).pathname, '/flag/web_a');
  t.equal(new URL(page.url()).searchParams.get('project'), 'web', 'a flag page keeps the project');
  await page.locator('.crumbs').getByRole('link', { name: 'Flags' }).click();
  await page.getByTestId('flag-count').filter({ hasText: '2 of 2 flags' }).waitFor();
  t.pass('back to the list of the chosen project');

  await page.getByRole('button', { name: 'New flag' }).click();
  const form = page.getByRole('form', { name: 'New flag' });
  t.equal((await form.getByTestId('new-flag-project').textContent())?.trim(), 'web', 'the form says where the flag goes');
  await form.getByLabel('Key').fill('web_new');
  await form.getByRole('button', { name: /create/i }).click();
  await page.getByTestId('flag-project').filter({ hasText: 'Project web' }).waitFor();
  const stored = await env.pool.query<{ project: string }>(`select project_key as project from flag where key = 'web_new'`);
  t.equal(stored.rows[0]?.project, 'web', 'created in the chosen project');

  // A flag page's switch goes to the list of the project chosen.
  await page.getByRole('combobox', { name: 'Project' }).selectOption('mobile');
  await page.getByTestId('flag-count').filter({ hasText: '1 of 1 flags' }).waitFor();
  t.equal(new URL(page.url()).pathname, '/');
  // A flag moved by someone else arrives in the chosen project's list, live.
  t.equal((await api.request('PATCH', '/v1/flags/web_b', { token: admin, body: { project: 'mobile' } })).status, 200);
  await page.getByTestId('flag-count').filter({ hasText: '2 of 2 flags' }).waitFor();
  t.equal(await page.locator('[data-flag="web_b"]').count(), 1, 'the moved flag is listed in its new project');

  // A reload (or a shared link) opens the same project.
  await page.goto(`${api.url}/?project=web`);
  await page.getByTestId('flag-count').filter({ hasText: '2 of 2 flags' }).waitFor();
  t.equal(await page.getByRole('combobox', { name: 'Project' }).inputValue(), 'web');
  // The list's own filters live in the URL beside the project, never in its place.
  await page.getByLabel('Search flags').fill('web_a');
  await page.waitForURL((url) => url.searchParams.get('q') === 'web_a', { timeout: 10_000 });
  t.equal(new URL(page.url()).searchParams.get('project'), 'web', 'a search keeps the project in the URL');
  await page.getByLabel('Search flags').fill('');
  await page.waitForURL((url) => !url.searchParams.has('q'), { timeout: 10_000 });
  await page.getByRole('combobox', { name: 'Project' }).selectOption('');
  await page.getByTestId('flag-count').filter({ hasText: '5 of 5 flags' }).waitFor();
  t.equal(new URL(page.url()).search, '', 'every project: no parameter');
  t.same(problems, [], 'no console errors');
});

t.test('a person with a role on web only: the switcher and the list show web only', async (t) => {
  const created = await api.request('POST', '/v1/users', { token: admin, body: { email: 'web-editor@example.com', name: 'Web Editor', roles: [{ role: 'editor', project: 'web' }] } });
  t.equal(created.status, 201, 'person created');
  const session = await startSession(env.pool, created.body.id, { method: 'password' });
  const cookie = `flagship_session=${session.cookieValue}`;
  const csrf = (await api.request('GET', '/v1/me', { headers: { cookie } })).body.csrfToken as string;
  const personal = await api.request('POST', '/v1/me/tokens', { headers: { cookie, 'x-flagship-csrf': csrf }, body: { name: 'console' } });
  t.equal(personal.status, 201, 'personal token');

  const { page, problems } = await openPage(browser, DESKTOP, t);
  await signIn(page, api.url, personal.body.secret);
  await page.getByTestId('flag-count').filter({ hasText: '2 of 2 flags' }).waitFor();
  t.same(await page.getByRole('combobox', { name: 'Project' }).locator('option').allTextContents(), ['All projects', 'Web team']);
  t.equal(await page.locator('[data-flag="mobile_a"]').count(), 0, 'no mobile flag');
  t.equal(await page.locator('[data-flag="legacy"]').count(), 0, 'no flag of default');
  t.equal(await page.getByRole('button', { name: 'New flag' }).count(), 0, 'all projects: a new flag would go in default, where they have no role');
  await page.getByRole('combobox', { name: 'Project' }).selectOption('web');
  await page.getByRole('button', { name: 'New flag' }).click();
  const form = page.getByRole('form', { name: 'New flag' });
  await form.getByLabel('Key').fill('web_by_editor');
  await form.getByRole('button', { name: /create/i }).click();
  await page.getByTestId('flag-project').filter({ hasText: 'Project web' }).waitFor();
  t.pass('an editor of web creates a web flag from the console');
  t.same(problems, [], 'no console errors');
});

import t from 'tap';
import { DESKTOP, launchBrowser, openPage } from './support/browser.js';
import { signIn, startConsoleWorld } from './support/console-world.js';
import { personWithToken, type Grant } from '../helpers/people.js';

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

/** A person holding `roles`, and a personal token of theirs to sign in with. */
const personalToken = async (email: string, roles: Grant[]): Promise<string> => (await personWithToken(api.request, env.pool, admin, email, roles)).token;

t.test('a person with a role on web only: the switcher and the list show web only', async (t) => {
  const secret = await personalToken('web-editor@example.com', [{ role: 'editor', project: 'web' }]);
  const { page, problems } = await openPage(browser, DESKTOP, t);
  await signIn(page, api.url, secret);
  await page.getByTestId('flag-count').filter({ hasText: '2 of 2 flags' }).waitFor();
  t.same(await page.getByRole('combobox', { name: 'Project' }).locator('option').allTextContents(), ['All projects', 'Web team']);
  t.equal(await page.locator('[data-flag="mobile_a"]').count(), 0, 'no mobile flag');
  t.equal(await page.locator('[data-flag="legacy"]').count(), 0, 'no flag of default');
  t.equal(await page.getByRole('button', { name: 'New flag' }).count(), 0, 'all projects: a new flag would go in default, where they have no role');
  // Their role is asked for on the flag's project, as the API asks: the controls of web's flags are theirs.
  const listSwitch = page.getByRole('switch', { name: 'web_a in dev' });
  t.ok(await listSwitch.isEnabled(), "the list's switch of a web flag is enabled for an editor of web");
  await listSwitch.click();
  await page.getByRole('switch', { name: 'web_a in dev', checked: true }).waitFor({ timeout: 5_000 });
  t.pass('and switching it works');
  await page.goto(`${api.url}/flag/web_a/settings`);
  await page.getByTestId('settings-project').waitFor();
  await page.getByRole('button', { name: 'Archive…' }).waitFor({ timeout: 5_000 });
  t.pass("the flag page's settings are editable by an editor of web");
  await page.goto(`${api.url}/`);
  await page.getByTestId('flag-count').filter({ hasText: '2 of 2 flags' }).waitFor();
  await page.getByRole('combobox', { name: 'Project' }).selectOption('web');
  await page.getByRole('button', { name: 'New flag' }).click();
  const form = page.getByRole('form', { name: 'New flag' });
  await form.getByLabel('Key').fill('web_by_editor');
  await form.getByRole('button', { name: /create/i }).click();
  await page.getByTestId('flag-project').filter({ hasText: 'Project web' }).waitFor();
  t.pass('an editor of web creates a web flag from the console');
  t.same(problems, [], 'no console errors');
});

t.test("move a flag from its Settings tab: confirmed, it leaves the old project's list; a refusal is shown", async (t) => {
  for (const key of ['move_me', 'tied']) {
    const created = await api.request('POST', '/v1/flags', { token: admin, body: { key, project: 'web' } });
    t.equal(created.status, 201, `${key} created in web`);
  }
  // tied uses a segment of web: a move would hide it from tokens of web, so the API refuses it (409).
  const segment = await api.request('POST', '/v1/segments', { token: admin, body: { name: 'web staff', project: 'web', constraints: [{ contextName: 'email', operator: 'STR_ENDS_WITH', values: ['@example.com'] }] } });
  t.equal(segment.status, 201, 'segment of web');
  const used = await api.request('PUT', '/v1/flags/tied/environments/dev', { token: admin, body: { enabled: true, strategies: [{ name: 'default', segments: [segment.body.id] }] } });
  t.equal(used.status, 200, 'tied uses it');

  const { page, problems } = await openPage(browser, DESKTOP, t);
  await signIn(page, api.url, admin);
  await page.goto(`${api.url}/flag/move_me/settings?project=web`);
  const move = page.getByRole('form', { name: 'Move to another project' });
  const target = move.getByRole('combobox', { name: 'Move to' });
  await target.locator('option[value="mobile"]').waitFor({ state: 'attached' });
  t.same(await target.locator('option').allTextContents(), ['Choose a project', 'Default', 'Mobile team'], 'every other project the admin may write to');
  await target.selectOption('mobile');
  await move.getByRole('button', { name: 'Move…' }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Move move_me to Mobile team?' });
  t.match(await dialog.textContent(), /SDK tokens scoped to web stop seeing move_me/, 'the dialog says what tokens of the old project lose');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'hidden' });
  const unmoved = await env.pool.query<{ project: string }>(`select project_key as project from flag where key = 'move_me'`);
  t.equal(unmoved.rows[0]?.project, 'web', 'cancelled: nothing sent');

  await move.getByRole('button', { name: 'Move…' }).click();
  await dialog.getByRole('button', { name: 'Move to Mobile team' }).click();
  await page.getByTestId('flag-project').filter({ hasText: 'Project mobile' }).waitFor();
  await page.getByTestId('settings-project').filter({ hasText: 'mobile' }).waitFor();
  const moved = await env.pool.query<{ project: string }>(`select project_key as project from flag where key = 'move_me'`);
  t.equal(moved.rows[0]?.project, 'mobile', 'stored in its new project');
  t.same(await target.locator('option').allTextContents(), ['Choose a project', 'Default', 'Web team'], 'it now offers the way back');

  await page.goto(`${api.url}/?project=web`);
  await page.locator('[data-flag="web_a"]').waitFor();
  t.equal(await page.locator('[data-flag="move_me"]').count(), 0, "the old project's list no longer shows it");
  await page.goto(`${api.url}/?project=mobile`);
  await page.locator('[data-flag="move_me"]').waitFor();
  t.pass("the new project's list shows it");

  await page.goto(`${api.url}/flag/tied/settings`);
  await target.selectOption('mobile');
  await move.getByRole('button', { name: 'Move…' }).click();
  await page.getByRole('alertdialog', { name: 'Move tied to Mobile team?' }).getByRole('button', { name: 'Move to Mobile team' }).click();
  const refusal = move.getByRole('alert');
  await refusal.filter({ hasText: 'cannot move' }).waitFor();
  t.match(await refusal.textContent(), new RegExp(`cannot move to project 'mobile': it uses segment ${segment.body.id} \\('web staff'\\) of project 'web' \\(409\\)`), 'the 409 is shown in the tab, naming the segment');
  t.equal(await page.getByTestId('flag-project').textContent(), 'Project web', 'still in web');
  t.same(problems, [], 'no console errors');
});

t.test('the move is offered only towards projects the person may edit, and only to editors of the flag', async (t) => {
  const people: Array<[string, Grant[], string[] | undefined]> = [
    ['viewer@example.com', [{ role: 'viewer', project: '*' }], undefined],
    ['web-only@example.com', [{ role: 'editor', project: 'web' }, { role: 'viewer', project: 'mobile' }], undefined],
    ['two-teams@example.com', [{ role: 'editor', project: 'web' }, { role: 'editor', project: 'mobile' }], ['Choose a project', 'Mobile team']],
  ];
  for (const [email, roles, offered] of people) {
    const secret = await personalToken(email, roles);
    const { page, problems } = await openPage(browser, DESKTOP, t);
    await signIn(page, api.url, secret);
    await page.goto(`${api.url}/flag/web_a/settings`);
    await page.getByTestId('settings-project').filter({ hasText: 'web' }).waitFor();
    // The projects are in (the switcher reads the same list): an absent control is absent, not late.
    await page.getByRole('combobox', { name: 'Project', exact: true }).locator('option[value="mobile"]').waitFor({ state: 'attached' });
    const move = page.getByRole('form', { name: 'Move to another project' });
    if (offered === undefined) {
      t.equal(await move.count(), 0, `${email}: no move control`);
      t.equal(await page.getByRole('button', { name: 'Move…' }).count(), 0, `${email}: no move button`);
    } else {
      t.same(await move.getByRole('combobox', { name: 'Move to' }).locator('option').allTextContents(), offered, `${email}: only the projects they edit`);
    }
    t.same(problems, [], 'no console errors');
  }
});

t.test('segments follow the project too: an editor of web edits and creates web segments only', async (t) => {
  const constraints = [{ contextName: 'userId', operator: 'IN', values: ['a'] }];
  for (const [name, project] of [['default list', 'default'], ['web list', 'web']] as const) {
    const created = await api.request('POST', '/v1/segments', { token: admin, body: { name, project, constraints } });
    if (created.status !== 201) throw new Error(created.text);
  }
  const secret = await personalToken('web-segments@example.com', [{ role: 'editor', project: 'web' }, { role: 'viewer', project: 'default' }]);
  const { page, problems } = await openPage(browser, DESKTOP, t);
  await signIn(page, api.url, secret);

  await page.goto(`${api.url}/segments`);
  await page.locator('[data-segment="default list"]').waitFor({ timeout: 10_000 });
  t.equal(await page.getByRole('button', { name: 'Edit web list' }).count(), 1, "a web segment's Edit is offered");
  t.equal(await page.getByRole('button', { name: 'Edit default list' }).count(), 0, "a default segment's is not (viewer there)");
  t.equal(await page.getByRole('button', { name: 'New segment' }).count(), 0, 'every project chosen: a new segment would go in default');

  await page.goto(`${api.url}/segments?project=web`);
  await page.locator('[data-segment="web list"]').waitFor({ timeout: 10_000 });
  t.equal(await page.locator('[data-segment="default list"]').count(), 0, "web chosen: default's segments are not listed");
  await page.getByRole('button', { name: 'New segment' }).click();
  const form = page.getByRole('form', { name: 'New segment' });
  await form.getByLabel('Name').fill('web testers');
  await form.getByRole('button', { name: /save|create/i }).click();
  await page.locator('[data-segment="web testers"]').waitFor({ timeout: 10_000 });
  const listed = (await api.request('GET', '/v1/segments', { token: admin })).body.segments as Array<{ name: string; project: string }>;
  t.equal(listed.find((segment) => segment.name === 'web testers')?.project, 'web', 'the new segment is in web');
  t.same(problems, [], 'no console errors');
});

import t from 'tap';
import type { Page } from 'playwright-core';
import { DESKTOP, launchBrowser, openPage } from './support/browser.js';
import { startConsoleWorld } from './support/console-world.js';

/*
 * The console offers each role only what the API lets it do (the API refuses
 * the rest regardless: test/people/roles-and-actors.test.ts). A viewer reads
 * everything and changes nothing; an editor changes flags, states, targeting,
 * ramps, history and segments, but administers no tokens or environments;
 * an admin does everything. Each signs in through the form in Chromium and
 * every page's controls are counted.
 */

const { env, api } = await startConsoleWorld(t, 'console-roles');
const browser = await launchBrowser(t);
const admin = env.adminSecret;
const PASSWORD = 'correct horse battery staple';

async function must(response: Promise<{ status: number; text: string; body: any }>, status: number): Promise<any> {
  const answer = await response;
  if (answer.status !== status) throw new Error(`expected ${status}, got ${answer.status}: ${answer.text}`);
  return answer.body;
}

await must(api.request('POST', '/v1/flags', { token: admin, body: { key: 'role_flag', environments: { dev: { enabled: true, rollout: 30 } } } }), 201);
// A second version in every environment, so the history (whichever it shows first) has one to restore.
for (const environment of (await must(api.request('GET', '/v1/environments', { token: admin }), 200)).environments as Array<{ key: string }>) {
  await must(api.request('PATCH', `/v1/flags/role_flag/environments/${environment.key}`, { token: admin, body: { rollout: 40 } }), 200);
}
// A ramp an hour away: scheduled (pause and cancel apply) and no step meanwhile.
const ramp = await must(api.request('POST', '/v1/flags/role_flag/environments/dev/rollouts', { token: admin, body: { steps: [{ rollout: 60, at: new Date(Date.now() + 3_600_000).toISOString() }] } }), 201);
await must(api.request('POST', '/v1/segments', { token: admin, body: { name: 'staff', constraints: [{ contextName: 'email', operator: 'STR_ENDS_WITH', values: ['@example.com'] }] } }), 201);

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto(`${api.url}/`);
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in with email' }).click();
  await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
}

/** What a role is offered, page by page: true where a control is there and enabled. */
async function offered(page: Page): Promise<Record<string, boolean>> {
  const present = async (locator: ReturnType<Page['getByRole']>) => (await locator.count()) > 0 && (await locator.first().isEnabled());
  // Save buttons wait, disabled, for an edit: there at all is what counts.
  const shown = async (locator: ReturnType<Page['getByRole']>) => (await locator.count()) > 0;
  const seen: Record<string, boolean> = {};

  await page.getByRole('switch', { name: 'role_flag in dev' }).waitFor();
  seen['flags: New flag'] = await present(page.getByRole('button', { name: 'New flag' }));
  seen['flags: switch'] = await page.getByRole('switch', { name: 'role_flag in dev' }).isEnabled();
  seen['nav: Tokens'] = (await page.getByRole('link', { name: 'Tokens' }).count()) > 0;

  await page.getByRole('link', { name: 'role_flag' }).first().click();
  const card = page.locator('[data-environment="dev"]');
  await card.locator(`[data-ramp="${ramp.id}"]`).waitFor();
  seen['flag: switch'] = await card.getByRole('switch').isEnabled();
  seen['flag: rollout'] = await shown(card.getByRole('button', { name: 'Save rollout' }));
  seen['flag: Edit targeting'] = await present(card.getByRole('button', { name: 'Edit targeting in dev…' }));
  seen['flag: Schedule a ramp'] = await present(card.getByRole('button', { name: 'Schedule a ramp in dev…' }));
  seen['flag: Pause ramp'] = await present(card.getByRole('button', { name: 'Pause' }));
  seen['flag: Cancel ramp'] = await present(card.getByRole('button', { name: 'Cancel ramp' }));
  await page.getByRole('tab', { name: 'History' }).click();
  await page.getByRole('heading', { name: 'History' }).waitFor();
  await page.locator('.history-list li').nth(1).waitFor();
  seen['flag: Restore a version'] = await present(page.getByRole('button', { name: 'Restore this version…' }));
  seen['flag: Promote'] = await present(page.getByRole('combobox', { name: 'Promote from' }));
  await page.getByRole('tab', { name: 'Settings' }).click();
  await page.getByLabel('Description').waitFor();
  seen['flag: Archive'] = await present(page.getByRole('button', { name: 'Archive…' }));
  seen['flag: description'] = await page.getByLabel('Description').isEnabled();
  seen['flag: Save description'] = await shown(page.getByRole('button', { name: 'Save description' }));
  seen['flag: type'] = await page.getByLabel('Type', { exact: true }).isEnabled();
  seen['flag: Save type'] = await shown(page.getByRole('button', { name: 'Save type' }));

  await page.getByRole('link', { name: 'Segments' }).click();
  await page.locator('[data-segment="staff"]').waitFor();
  seen['segments: New segment'] = await present(page.getByRole('button', { name: 'New segment' }));
  seen['segments: Edit'] = await present(page.getByRole('button', { name: 'Edit staff' }));

  await page.getByRole('link', { name: 'Environments' }).click();
  await page.getByRole('cell', { name: 'dev', exact: true }).waitFor();
  seen['environments: Add environment'] = await present(page.getByRole('button', { name: 'Add environment' }));
  return seen;
}

const EDITOR_ACTIONS = [
  'flags: New flag', 'flags: switch', 'flag: Archive', 'flag: description', 'flag: Save description', 'flag: type', 'flag: Save type',
  'flag: switch', 'flag: rollout', 'flag: Edit targeting', 'flag: Schedule a ramp', 'flag: Pause ramp', 'flag: Cancel ramp',
  'flag: Restore a version', 'flag: Promote', 'segments: New segment', 'segments: Edit',
];
const ADMIN_ACTIONS = ['nav: Tokens', 'environments: Add environment'];

for (const role of ['viewer', 'editor', 'admin'] as const) {
  t.test(`signed in as ${role}: the console offers what the role may do, and nothing else`, async (t) => {
    const email = `${role}@example.com`;
    await must(api.request('POST', '/v1/users', { token: admin, body: { email, name: role, roles: [{ role, project: '*' }], password: PASSWORD } }), 201);
    const { page, problems } = await openPage(browser, DESKTOP, t);
    await signIn(page, email);
    const seen = await offered(page);
    const expected = Object.fromEntries(Object.keys(seen).map((action) => [
      action,
      role === 'admin' || (role === 'editor' && EDITOR_ACTIONS.includes(action)),
    ]));
    t.same(seen, expected, `${role}: ${JSON.stringify(seen)}`);
    t.same(Object.keys(seen).sort(), [...EDITOR_ACTIONS, ...ADMIN_ACTIONS].sort(), 'every action is counted');
    if (role === 'editor') {
      await page.goto(`${api.url}/tokens`);
      await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
      t.equal(await page.getByRole('button', { name: 'Create token' }).count(), 0, 'the tokens page by its address shows an editor nothing to do');
    }
    t.same(problems, []);
  });
}

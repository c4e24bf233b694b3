import t from 'tap';
import type { Page } from 'playwright-core';
import { DESKTOP, PHONE, launchBrowser, openPage } from './support/browser.js';
import { seriousAxeViolations } from './support/axe.js';
import { signIn, startConsoleWorld } from './support/console-world.js';

const { env, api } = await startConsoleWorld(t, 'console-accessibility');
const browser = await launchBrowser(t);
const admin = env.adminSecret;

await api.request('POST', '/v1/flags', {
  token: admin,
  body: { key: 'pay-button', description: 'The new pay button', tags: ['checkout'], owner: 'payments', environments: { dev: { enabled: true, rollout: 30 } } },
});
await api.request('POST', '/v1/flags', { token: admin, body: { key: 'search-v2', owner: 'web' } });
await api.request('POST', '/v1/segments', { token: admin, body: { name: 'beta users', constraints: [{ contextName: 'userId', operator: 'IN', values: ['a', 'b'] }] } });

/** Every page of the console, each with what to wait for once it has loaded. */
const PAGES: Array<{ name: string; path: string; ready: (page: Page) => Promise<void> }> = [
  { name: 'flags', path: '/', ready: (page) => page.getByTestId('flag-count').filter({ hasText: '2 of 2 flags' }).waitFor() },
  { name: 'a flag', path: '/flag/pay-button', ready: (page) => page.getByRole('heading', { name: 'pay-button' }).waitFor() },
  { name: 'a flag: history', path: '/flag/pay-button/history', ready: (page) => page.locator('.history-list li').first().waitFor() },
  { name: 'a flag: usage', path: '/flag/pay-button/usage', ready: (page) => page.getByRole('img', { name: /Evaluations per hour in dev/ }).waitFor() },
  { name: 'a flag: settings', path: '/flag/pay-button/settings', ready: (page) => page.getByRole('button', { name: 'Archive…' }).waitFor() },
  { name: 'segments', path: '/segments', ready: (page) => page.getByText('beta users').first().waitFor() },
  { name: 'audit log', path: '/audit', ready: (page) => page.getByRole('heading', { name: /Audit/ }).waitFor() },
  { name: 'tokens', path: '/tokens', ready: (page) => page.getByRole('heading', { name: 'Tokens' }).waitFor() },
  { name: 'environments', path: '/environments', ready: (page) => page.getByRole('heading', { name: 'Environments' }).waitFor() },
  { name: 'change requests', path: '/change-requests', ready: (page) => page.getByRole('heading', { name: 'Change requests' }).waitFor() },
  { name: 'playground', path: '/playground', ready: (page) => page.getByRole('heading', { name: /Playground/ }).waitFor() },
];

/** The page's width, and the first few elements reaching past the screen's right edge (what to fix when it is too wide). */
const overflow = (page: Page) =>
  page.evaluate<{ width: number; wide: string[] }>(`({
    width: document.documentElement.scrollWidth,
    wide: [...document.querySelectorAll('body *')]
      .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 1)
      .slice(0, 3)
      .map((element) => element.tagName.toLowerCase() + (element.className ? '.' + String(element.className).split(' ').join('.') : '')),
  })`);

const describe = (violations: Awaited<ReturnType<typeof seriousAxeViolations>>) =>
  violations.map((violation) => `${violation.impact} ${violation.id}: ${violation.help}\n  ${violation.nodes.join('\n  ')}`).join('\n');

for (const viewport of [DESKTOP, PHONE]) {
  t.test(`axe-core finds no serious or critical violation on any page at ${viewport.width} px`, async (t) => {
    const { page, problems } = await openPage(browser, viewport, t);
    await page.goto(`${api.url}/`);
    await page.getByLabel('Admin token').waitFor();
    const signInViolations = await seriousAxeViolations(page);
    t.same(signInViolations, [], `the sign-in page\n${describe(signInViolations)}`);
    await signIn(page, api.url, admin);
    for (const { name, path, ready } of PAGES) {
      await page.goto(`${api.url}${path}`);
      await ready(page);
      const violations = await seriousAxeViolations(page);
      t.same(violations, [], `${name} (${path})\n${describe(violations)}`);
      if (viewport === PHONE) {
        const { width, wide } = await overflow(page);
        t.ok(width <= PHONE.width, `${name}: nothing wider than the phone (${width} px${wide.length ? `: ${wide.join(', ')}` : ''})`);
      }
    }
    // The flag page's panels, opened: the targeting editor, the ramp form and the snippets.
    await page.goto(`${api.url}/flag/pay-button`);
    const dev = page.locator('[data-environment="dev"]');
    await dev.getByRole('button', { name: 'Edit targeting in dev…' }).click();
    await dev.locator('summary').filter({ hasText: 'from code in dev' }).click();
    const opened = await seriousAxeViolations(page);
    t.same(opened, [], `a flag with targeting and snippets open\n${describe(opened)}`);
    if (viewport === PHONE) {
      const { width, wide } = await overflow(page);
      t.ok(width <= PHONE.width, `the open targeting editor fits the phone (${width} px${wide.length ? `: ${wide.join(', ')}` : ''})`);
    }
    // The confirmation an archive asks for (an alert dialog, the flag key to type).
    await page.goto(`${api.url}/flag/pay-button/settings`);
    await page.getByRole('button', { name: 'Archive…' }).click();
    const confirmation = page.getByRole('alertdialog', { name: 'Archive pay-button?' });
    await confirmation.waitFor();
    const dialog = await seriousAxeViolations(page);
    t.same(dialog, [], `the archive confirmation\n${describe(dialog)}`);
    await confirmation.getByRole('button', { name: 'Cancel' }).click();
    await confirmation.waitFor({ state: 'hidden' });
    t.same(problems, []);
  });
}

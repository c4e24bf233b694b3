import { chromium, type Browser, type Page } from 'playwright-core';
import type { Teardowns } from '../../helpers/environment.js';

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** Debian's headless Chromium through playwright-core (nothing is downloaded); closed at teardown. */
export async function launchBrowser(t: Teardowns): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  t.teardown(() => browser.close());
  return browser;
}

/**
 * A page in a context of its own (its own sessionStorage), failing loudly on
 * page errors and CSP violations. Given a test, the context closes when it
 * ends: an open console keeps its live stream and applies every later change
 * (an environment added is a change per flag), which slows the pages after it.
 */
export async function openPage(browser: Browser, viewport = DESKTOP, t?: Teardowns): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport, permissions: ['clipboard-read', 'clipboard-write'] });
  t?.teardown(() => context.close());
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) problems.push(`console: ${message.text()}`);
  });
  page.setDefaultTimeout(15_000);
  return { page, problems };
}

/**
 * Where a test's screenshot goes: .tap/screenshots (ignored by git) on every
 * run, and docs/images (the README's, committed) when FLAGSHIP_SCREENSHOTS=docs,
 * so a test run does not leave changed images in everyone's working tree.
 */
export function screenshotPath(name: string): string {
  return process.env.FLAGSHIP_SCREENSHOTS === 'docs' ? `docs/images/${name}.png` : `.tap/screenshots/${name}.png`;
}

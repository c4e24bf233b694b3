import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
let source: Promise<string> | undefined;

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * The serious and critical accessibility violations axe-core finds on the page
 * as it is now (WCAG 2.x A and AA rules and axe's best practices). axe is
 * evaluated through the DevTools protocol, which the console's
 * Content-Security-Policy (scripts from its own origin only) does not govern,
 * so the page under test is the page as served.
 */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  source ??= readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.evaluate(await source);
  const violations = await page.evaluate<AxeViolation[]>(`(async () => {
    const results = await window.axe.run(document, { resultTypes: ['violations'] });
    return results.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => ({
        id: violation.id,
        impact: violation.impact,
        help: violation.help,
        nodes: violation.nodes.slice(0, 5).map((node) => node.target.join(' ') + ': ' + node.failureSummary),
      }));
  })()`);
  return violations;
}

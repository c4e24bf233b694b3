import type { Page } from 'playwright-core';
import type { Pool } from '../../../shared/db/pool.js';
import { startTestApi, type TestApi } from '../../helpers/api.js';
import { createTestEnvironment, type TestEnvironment, type Teardowns } from '../../helpers/environment.js';
import { startTestNotifier } from '../../helpers/notifier.js';
import { startTestWorker } from '../../helpers/worker.js';
import { CONSOLE_DIST, ensureConsoleBuilt } from './console-build.js';

const SEED_BATCH = 250;

export interface ConsoleWorld {
  env: TestEnvironment;
  api: TestApi;
}

/**
 * The real services for a console test: the API serving the built console
 * (with the production snapshot cache, which the notifier keeps informed),
 * the notifier, and optionally the ramp worker.
 */
export async function startConsoleWorld(t: Teardowns, label: string, options: { worker?: boolean } = {}): Promise<ConsoleWorld> {
  const [env] = await Promise.all([createTestEnvironment(t, label), ensureConsoleBuilt()]);
  await startTestNotifier(t, env);
  if (options.worker) await startTestWorker(t, env);
  const api = await startTestApi(t, env, { snapshots: 'cache', consoleDir: CONSOLE_DIST });
  return { env, api };
}

/**
 * Creates `count` flags `<prefix>-0001`… (one more digit from 10,000) at once, each with a state in every
 * environment (off, the simple 100% rollout, as POST /v1/flags makes them),
 * through the same triggers as any write (events, versions, NOTIFY): REST
 * would take minutes for thousands.
 */
export async function seedFlags(pool: Pool, prefix: string, count: number): Promise<void> {
  const width = Math.max(4, String(count).length);
  // In batches: every state row runs the change triggers, and one statement must stay under statement_timeout.
  for (let first = 1; first <= count; first += SEED_BATCH) {
    const last = Math.min(count, first + SEED_BATCH - 1);
    await pool.query(
      `insert into flag (key, description)
       select $1 || '-' || lpad(i::text, $4, '0'), 'Seeded flag number ' || i from generate_series($2::int, $3::int) as i`,
      [prefix, first, last, width],
    );
    await pool.query(
      `insert into flag_state (flag_id, environment_key, strategies)
       select flag.id, environment.key, jsonb_build_array(flagship_rollout_strategy(gen_random_uuid()::text, flag.key, 100))
         from flag cross join environment
        where flag.key like $1 || '-%' and flag.key between $1 || '-' || lpad($2::text, $4, '0') and $1 || '-' || lpad($3::text, $4, '0')
        order by environment.key, flag.key`,
      [prefix, first, last, width],
    );
  }
}

/** Signs in through the form, as a person would. */
export async function signIn(page: Page, url: string, secret: string): Promise<void> {
  await page.goto(`${url}/`);
  await page.getByLabel('Admin token').fill(secret);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
}

/**
 * Confirms the dialog the console shows before changing a production
 * (prod, production) or protected environment, and waits for it to close.
 */
export async function confirmProductionChange(page: Page, environment: string): Promise<void> {
  const dialog = page.getByRole('alertdialog', { name: `Change ${environment}?` });
  await dialog.getByRole('button', { name: `Change ${environment}`, exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
}

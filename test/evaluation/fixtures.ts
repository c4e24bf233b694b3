import { changeFlagState } from '../../shared/domain/flags/flag-state-service.js';
import type { Pool } from '../../shared/db/pool.js';
import { withTransaction } from '../../shared/db/tx.js';
import type { FlagDefinition } from '../../packages/evaluation/index.js';
import type { HttpRequest } from '../helpers/http.js';

export interface StateInput {
  enabled: boolean;
  rollout: number;
}

/** Creates flags with their initial per-environment states over the admin REST API. */
export async function createFlags(
  request: HttpRequest,
  adminSecret: string,
  flags: Record<string, Record<string, StateInput>>,
): Promise<void> {
  for (const [key, environments] of Object.entries(flags)) {
    const created = await request('POST', '/v1/flags', { token: adminSecret, body: { key, environments } });
    if (created.status !== 201) throw new Error(`creating flag ${key}: ${created.status} ${created.text}`);
  }
}

/** Sets one flag's state over REST (the one path every change takes). */
export async function changeState(
  request: HttpRequest,
  adminSecret: string,
  key: string,
  environment: string,
  change: Partial<StateInput>,
): Promise<{ version: number }> {
  const changed = await request('PATCH', `/v1/flags/${encodeURIComponent(key)}/environments/${environment}`, { token: adminSecret, body: change });
  if (changed.status !== 200) throw new Error(`changing ${key} in ${environment}: ${changed.status} ${changed.text}`);
  return changed.body;
}

/** Repeats `read` until `done` accepts its result (changes reach the snapshot once the notifier relays them). */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export { createSdkToken } from '../helpers/tokens.js';

/**
 * Gives existing flags whole targeting configurations in one environment, in one
 * transaction, through the one write path (the tests that call it need no admin
 * route for it); references to nothing are kept, as an import keeps them.
 */
export async function configureStates(
  pool: Pool,
  environment: string,
  configs: Record<string, Omit<FlagDefinition, 'key'>>,
): Promise<void> {
  await withTransaction(pool, async (client) => {
    for (const [key, config] of Object.entries(configs)) await changeFlagState(client, key, environment, { config }, { keepDanglingReferences: true });
  }, { actor: { type: 'system', id: 'test', name: 'test' } });
}

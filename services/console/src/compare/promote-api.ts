// The environment promote (docs/history.md) as the console calls it, typed by
// the generated OpenAPI schemas (api/openapi.d.ts through ApiClient.promote).
import type { ApiClient } from '../api/client.js';
import type { components } from '../api/openapi.js';

type Schemas = components['schemas'];
export type PromoteResult = Schemas['PromoteResult'];
export type PromoteInput = Schemas['PromoteRequest'];
type Outcome = Awaited<ReturnType<ApiClient['promote']>>;

/**
 * Copies the flags' states from `input.from` to `to` as one change (one
 * environment version); where `to` is protected, the one change request
 * opened for them all (202).
 */
export function promoteFlags(api: ApiClient, to: string, input: PromoteInput): Promise<Outcome> {
  return api.promote(to, input);
}

/** Whether the answer is the change request a protected target opened. */
export function isChangeRequest(outcome: Outcome): outcome is Exclude<Outcome, PromoteResult> {
  return 'title' in outcome;
}

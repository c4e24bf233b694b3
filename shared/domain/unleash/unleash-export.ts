import { requireEnvironment } from '../environments/environment-repository.js';
import { listEnvironmentStatesWithFlags } from '../flags/flag-state-reads.js';
import type { Queryable } from '../../db/pool.js';
import { listSegments } from '../segments/segment-repository.js';
import type { UnleashExport } from '../../schemas/unleash-state.js';

/**
 * One environment's live flags and every segment as an Unleash client-API
 * state (version 2): what POST /v1/import/unleash takes back unchanged, and
 * what an Unleash SDK evaluates. Pass a client inside one transaction (or a
 * repeatable-read snapshot) for flags and segments of the same moment.
 */
export async function exportUnleashState(db: Queryable, environment: string): Promise<UnleashExport> {
  await requireEnvironment(db, environment);
  const flags = await listEnvironmentStatesWithFlags(db, environment);
  const segments = await listSegments(db);
  return {
    version: 2,
    features: flags.map(({ description, type, state }) => ({
      name: state.key,
      description,
      type,
      enabled: state.enabled,
      stale: false,
      impressionData: false,
      project: 'default',
      strategies: state.strategies,
      variants: state.variants,
      dependencies: state.dependencies,
    })),
    segments: segments.map(({ id, name, description, constraints }) => ({ id, name, description, constraints })),
  };
}

import { EVERY_PROJECT, seesProject, type ProjectScope } from '../projects/project-scope.js';
import { requireEnvironment } from '../environments/environment-repository.js';
import { listEnvironmentStatesWithFlags } from '../flags/flag-state-reads.js';
import type { Pool, Queryable } from '../../db/pool.js';
import { withTransaction } from '../../db/tx.js';
import { listSegments } from '../segments/segment-repository.js';
import type { UnleashExport } from '../../schemas/unleash-state.js';

/**
 * One environment's live flags and every segment as an Unleash client-API
 * state (version 2): what POST /v1/import/unleash takes back unchanged, and
 * what an Unleash SDK evaluates, read in one repeatable-read transaction so a
 * segment a flag uses is always in the same export. Of `projects` only
 * (`['*']`: every project).
 */
export async function exportUnleashState(pool: Pool, environment: string, projects: ProjectScope = EVERY_PROJECT): Promise<UnleashExport> {
  return withTransaction(pool, async (client) => {
    await client.query('set transaction isolation level repeatable read, read only');
    return readUnleashState(client, environment, projects);
  });
}

async function readUnleashState(db: Queryable, environment: string, projects: ProjectScope): Promise<UnleashExport> {
  await requireEnvironment(db, environment);
  const flags = (await listEnvironmentStatesWithFlags(db, environment)).filter(({ state }) => seesProject(projects, state.project));
  const segments = await listSegments(db, projects);
  return {
    version: 2,
    features: flags.map(({ description, type, state }) => ({
      name: state.key,
      description,
      type,
      enabled: state.enabled,
      stale: false,
      impressionData: false,
      project: state.project,
      strategies: state.strategies,
      variants: state.variants,
      dependencies: state.dependencies,
    })),
    segments: segments.map(({ id, name, description, project, constraints }) => ({ id, name, description, project, constraints })),
  };
}

import { EVERY_PROJECT, seesProject, type ProjectScope } from '../../../shared/domain/projects/project-scope.js';
import { findEnvironment } from '../../../shared/domain/environments/environment-repository.js';
import { findFlagState } from '../../../shared/domain/flags/flag-state-reads.js';
import { findFlag, insertFlag } from '../../../shared/domain/flags/flag-repository.js';
import type { Pool, Queryable } from '../../../shared/db/pool.js';
import { withTransaction } from '../../../shared/db/tx.js';
import { ConflictError, ValidationError } from '../../../shared/errors.js';
import type { FlagState } from '../../../shared/schemas/flags.js';
import type { GuideFlag, GuideFlagInput } from '../../../shared/schemas/guide-flags.js';
import { changeFlagState } from '../../../shared/domain/flags/flag-state-service.js';
import type { Actor } from '../../../shared/domain/people/principal.js';

/** Which form the caller used: named in a 400 so it points at the right field. */
export type GuideInputForm = 'query' | 'body';

/** A FlagShip flag state in the guide's shape. */
export function toGuideFlag(state: FlagState): GuideFlag {
  return {
    id: state.id,
    name: state.key,
    environment: state.environment,
    enabled: state.enabled,
    rollout: state.rollout ?? null,
    updated_at: state.updatedAt,
  };
}

async function requireKnownEnvironment(db: Queryable, env: string, form: GuideInputForm): Promise<void> {
  if (await findEnvironment(db, env)) return;
  // The guide names its environments as a field value, so an unknown one is bad input (400), not a missing resource.
  throw new ValidationError(`invalid ${form}: ${form}.env: no environment '${env}' (dev, staging and prod are seeded; GET /v1/environments lists them)`, [
    { in: form, path: ['env'], message: `no environment '${env}'` },
  ]);
}

/** Another request created the flag between our read and our insert: read again and set it instead. */
class CreatedMeanwhile extends Error {}

export interface GuideFlagWrite {
  flag: GuideFlag;
  /** True when this call created the flag (201), false when it set an existing flag's state (200). */
  created: boolean;
}

/**
 * The guide's `POST /flags`, through FlagShip's own write path: a new name
 * creates the flag (in every environment, with this state in `env`); a name
 * that exists sets its state in `env` (the guide's flags are per environment,
 * FlagShip's exist in all of them, so "create it in prod" after "create it in
 * dev" must work). A repeated identical POST therefore changes nothing. Fields
 * not given keep their value (on a new flag: disabled, 100%). Archived names
 * stay taken (409).
 */
export async function putGuideFlag(pool: Pool, input: GuideFlagInput, form: GuideInputForm, actor: Actor): Promise<GuideFlagWrite> {
  const attempt = () =>
    withTransaction(
      pool,
      async (client): Promise<GuideFlagWrite> => {
        await requireKnownEnvironment(client, input.env, form);
        const change = { enabled: input.enabled, rollout: input.rollout };
        const existing = await findFlag(client, input.name);
        if (!existing) {
          await insertFlag(client, { key: input.name, environments: { [input.env]: change } }).catch((error: unknown) => {
            throw error instanceof ConflictError ? new CreatedMeanwhile() : error;
          });
        } else if (existing.archivedAt !== null) {
          throw new ConflictError(`flag '${input.name}' is archived; archived names stay taken`);
        } else if (input.enabled !== undefined || input.rollout !== undefined) {
          await changeFlagState(client, input.name, input.env, change);
        }
        const state = await findFlagState(client, input.name, input.env);
        if (!state) throw new Error(`flag '${input.name}' has no state in '${input.env}' right after it was written`);
        return { flag: toGuideFlag(state), created: !existing };
      },
      { actor },
    );
  try {
    return await attempt();
  } catch (error) {
    if (error instanceof CreatedMeanwhile) return attempt();
    throw error;
  }
}

/** The guide's `GET /flags/{name}?env=`: undefined when there is no live flag of that name. */
export async function readGuideFlag(pool: Pool, name: string, env: string, projects: ProjectScope = EVERY_PROJECT): Promise<GuideFlag | undefined> {
  const state = await findFlagState(pool, name, env);
  // A token of some projects: another project's flag does not exist for it.
  if (state && !state.archived && seesProject(projects, state.project)) return toGuideFlag(state);
  await requireKnownEnvironment(pool, env, 'query');
  return undefined;
}

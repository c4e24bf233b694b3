import { assertDirectWriteAllowed } from '../../../shared/domain/change-requests/caller.js';
import { writeFlagStatesDirectly } from '../../../shared/domain/change-requests/write-directly.js';
import { z } from 'zod';
import { patchFlagState, replaceFlagState, requireFlagState } from '../../../shared/domain/flags/flag-state-service.js';
import { FlagStateBatchSchema, FlagStateParamsSchema, FlagStateSchema, StateChangeSchema } from '../../../shared/schemas/flags.js';
import { EnvironmentParamsSchema } from '../../../shared/schemas/environments.js';
import { STATE_CONFIG_EXAMPLE, StateConfigSchema } from '../../../shared/schemas/targeting-input.js';
import type { ApiDeps } from '../deps.js';
import { parseIfMatchVersion, versionEtag } from '../http/etag.js';
import { projectsOf } from '../http/project-access.js';
import { addRoute, type RouteTable } from '../http/route.js';

const IF_MATCH_HEADER = z.object({ 'if-match': z.string().optional().meta({ description: 'The version you last read, e.g. "12"' }) });

const WRITE_RESPONSES = {
  200: { description: 'The new state', schema: FlagStateSchema, headers: { ETag: 'The new version' } },
  404: { description: 'No such flag or environment' },
  409: { description: 'The flag is archived; or the environment is protected and the caller is a person: propose the change in a change request (`change_request_required`)' },
  412: { description: 'If-Match names a version that is no longer current; nothing was written' },
};

export function addFlagStateRoutes(table: RouteTable, { pool }: ApiDeps): void {
  addRoute(table, {
    method: 'get',
    path: '/v1/flags/{key}/environments/{env}',
    summary: "A flag's state in one environment",
    description:
      "The flag's state in one environment. Its ETag is the state's version: send it back as `If-Match` on PATCH to change only what you read.",
    tags: ['flags'],
    auth: 'admin',
    role: 'viewer',
    params: FlagStateParamsSchema,
    projects: ({ params }) => projectsOf(pool, { flags: [params.key] }),
    responses: {
      200: { description: 'The state', schema: FlagStateSchema, headers: { ETag: 'The state version, for If-Match' } },
      404: { description: 'No such flag or environment' },
    },
    handle: async ({ params }) => {
      const state = await requireFlagState(pool, params.key, params.env);
      return { body: state, headers: { ETag: versionEtag(state.version) } };
    },
  });

  addRoute(table, {
    method: 'patch',
    path: '/v1/flags/{key}/environments/{env}',
    summary: 'Switch a flag on or off, or set its rollout, in one environment',
    description:
      "Changes `enabled` and/or `rollout` in one environment. `rollout` moves the simple case (one flexibleRollout strategy, default stickiness, the flag key as group id, no constraints or segments); on any other state name the flexibleRollout strategy to move with `strategyId` (a 400 explains this otherwise), or replace the whole configuration with PUT. Connected SDKs receive the change within milliseconds. With `If-Match: \"<version>\"` (the ETag of your last read) the change is refused with 412 when someone changed the state meanwhile; without it, it is applied whatever the current version. A manual change of the rollout pauses a ramp running on the same flag and environment, recording why. Asking for what is already there writes nothing.",
    tags: ['flags'],
    auth: 'admin',
    role: 'editor',
    params: FlagStateParamsSchema,
    projects: ({ params }) => projectsOf(pool, { flags: [params.key] }),
    body: StateChangeSchema,
    example: { enabled: true, rollout: 50 },
    headers: IF_MATCH_HEADER,
    responses: {
      ...WRITE_RESPONSES,
    },
    handle: async ({ params, body, principal, req }) => {
      const expectedVersion = parseIfMatchVersion(req.headers['if-match']);
      await assertDirectWriteAllowed(pool, params.env, principal);
      const state = await patchFlagState(pool, params.key, params.env, body, { expectedVersion, actor: principal.actor });
      return { body: state, headers: { ETag: versionEtag(state.version) } };
    },
  });

  addRoute(table, {
    method: 'put',
    path: '/v1/flags/{key}/environments/{env}',
    summary: "Replace a flag's whole configuration in one environment: enabled, strategies, variants, dependencies",
    description:
      'Replaces the state\'s configuration atomically, in one change event. The flag is on for a context when it is enabled, ' +
      'its dependencies hold, and any strategy matches (all of its constraints and segments hold, then its own rule). ' +
      'Strategies, constraints and variants use Unleash\'s client-API shapes (parameters are strings, weights are out of 1000). ' +
      'Refused with 400 naming the field: an unknown strategy or operator, a regex that does not compile (RE2 syntax), ' +
      'a semver, number, date or CIDR value that does not parse, variant weights not adding up to 1000, a segment id or ' +
      'dependency that does not exist. Over 64 KB of targeting is a 413. Strategies without an `id` get one. ' +
      'With `If-Match: "<version>"` a stale write is a 412. A ramp whose rollout this moves is paused, saying why.',
    tags: ['flags'],
    auth: 'admin',
    role: 'editor',
    params: FlagStateParamsSchema,
    projects: ({ params }) => projectsOf(pool, { flags: [params.key] }),
    body: StateConfigSchema,
    example: STATE_CONFIG_EXAMPLE,
    headers: IF_MATCH_HEADER,
    responses: {
      ...WRITE_RESPONSES,
      413: { description: 'The targeting is over 64 KB as JSON; nothing was written' },
    },
    handle: async ({ params, body, principal, req }) => {
      const expectedVersion = parseIfMatchVersion(req.headers['if-match']);
      await assertDirectWriteAllowed(pool, params.env, principal);
      const state = await replaceFlagState(pool, params.key, params.env, body, { expectedVersion, actor: principal.actor });
      return { body: state, headers: { ETag: versionEtag(state.version) } };
    },
  });

  addRoute(table, {
    method: 'post',
    path: '/v1/environments/{env}/flag-states',
    summary: 'Replace the configurations of several flags in one environment, all or nothing, as one version',
    description:
      'Each change is a whole configuration (the PUT body) and, as `expectedVersion`, the version of the state you read (the If-Match of each). ' +
      'They are applied as an approved change request is (one transaction, one change group): every changed state takes the SAME new ' +
      'environment version, so connected SDKs receive them as one change and never evaluate a mix. When any is refused (a version that ' +
      'moved meanwhile: 412; an archived flag: 409; a missing flag or a bad configuration: 400 naming `changes.<i>…`), none is written. ' +
      'In a protected environment a person is refused with 409 `change_request_required` (propose it with POST /v1/change-requests); ' +
      'an admin token writes. `flagship apply` uses this. A change asking for what is already there writes nothing.',
    tags: ['flags'],
    auth: 'admin',
    role: 'editor',
    params: EnvironmentParamsSchema,
    body: FlagStateBatchSchema,
    projects: ({ body }) => projectsOf(pool, { flags: body.changes.map((change) => change.flag) }),
    example: { changes: [{ flag: 'new_ui', expectedVersion: 3, set: STATE_CONFIG_EXAMPLE }] },
    responses: {
      200: {
        description: 'The version the changes took (null: nothing changed) and the new states, in the order given',
        schema: z.object({ version: z.number().int().nullable(), states: z.array(FlagStateSchema.extend({ changed: z.boolean() })) }),
      },
      400: { description: 'A bad configuration or a missing flag, named `changes.<i>…`; nothing was written' },
      404: { description: 'No such environment' },
      409: { description: 'A flag is archived; or the environment is protected and the caller is a person (`change_request_required`); nothing was written' },
      412: { description: 'A state is no longer at its expectedVersion; nothing was written' },
      413: { description: 'A configuration is over 64 KB as JSON; nothing was written' },
    },
    handle: async ({ params, body, principal }) => ({ body: await writeFlagStatesDirectly(pool, params.env, body.changes, principal) }),
  });
}

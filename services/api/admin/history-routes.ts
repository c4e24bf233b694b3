import { z } from 'zod';
import { copyFlagState, restoreFlagState, snapshotAsOf, snapshotWithJsonAsOf, type HistoryWriteOutcome } from '../../../shared/domain/history/history-service.js';
import { promoteFlagStates } from '../../../shared/domain/history/promote-service.js';
import { EnvironmentParamsSchema } from '../../../shared/schemas/environments.js';
import { ChangeRequestSchema } from '../../../shared/schemas/change-requests.js';
import { playground } from '../../../shared/domain/history/playground.js';
import { FlagStateParamsSchema, FlagStateSchema } from '../../../shared/schemas/flags.js';
import {
  CopyRequestSchema,
  PlaygroundRequestSchema,
  PlaygroundResponseSchema,
  PromoteRequestSchema,
  PromoteResultSchema,
  RestoreRequestSchema,
  SnapshotAsOfParamsSchema,
  SnapshotAsOfQuerySchema,
} from '../../../shared/schemas/history.js';
import { SnapshotSchema } from '../../../shared/schemas/snapshots.js';
import type { ApiDeps } from '../deps.js';
import { parseIfMatchVersion, versionEtag } from '../http/etag.js';
import { scopeSnapshot, seesEveryProject } from '../../../shared/domain/projects/project-scope.js';
import { projectsOf } from '../http/project-access.js';
import { addRoute, LISTED_PROJECTS, type Reply, type RouteTable } from '../http/route.js';

const IF_MATCH_HEADER = z.object({ 'if-match': z.string().optional().meta({ description: 'The version of the target state you last read, e.g. "12"' }) });

const WRITE_RESPONSES = {
  200: { description: 'The new state (unchanged, with its version, when it already was so)', schema: FlagStateSchema, headers: { ETag: 'The new version' } },
  202: {
    description: 'The environment is protected: a change request holding this change was opened (nothing changes until it is approved and applied)',
    schema: ChangeRequestSchema,
    headers: { Location: '/v1/change-requests/{id}' },
  },
  404: { description: 'No such flag or environment' },
  409: { description: 'The flag is archived' },
  412: { description: 'If-Match names a version that is no longer current; nothing was written' },
};

/** A written state (200 with its version), or the change request opened in its place (202). */
function writeAnswer(outcome: HistoryWriteOutcome): Reply {
  if (outcome.changeRequest) {
    return { status: 202, body: outcome.changeRequest, headers: { Location: `/v1/change-requests/${outcome.changeRequest.id}` } };
  }
  return { body: outcome.state, headers: { ETag: versionEtag(outcome.state.version) } };
}

/** Time travel, the playground, restore and promote (docs/history.md). */
export function addHistoryRoutes(table: RouteTable, { pool, snapshots }: ApiDeps): void {
  addRoute(table, {
    method: 'get',
    path: '/v1/environments/{env}/snapshot',
    summary: "An environment's snapshot as it stood at a version or a time",
    description:
      "The snapshot `/v1/client/flags` served at `asOf` (its flags and segments), byte for byte what an SDK held at that version. " +
      '`asOf` is an environment version, or an RFC 3339 time: the last version committed at or before it. ' +
      'A version not reached yet, a time to come, or one before the environment was added is a 400 naming `asOf`.',
    tags: ['history'],
    auth: 'admin',
    role: 'viewer',
    params: SnapshotAsOfParamsSchema,
    query: SnapshotAsOfQuerySchema,
    projects: () => LISTED_PROJECTS,
    responses: {
      200: { description: 'The snapshot at that version', schema: SnapshotSchema, headers: { ETag: 'The version' } },
      404: { description: 'No such environment' },
    },
    handle: async ({ params, query, projects, res }) => {
      const asOf = await snapshotWithJsonAsOf(pool, params.env, query.asOf);
      // JSON.stringify of the snapshot, as /v1/client/flags sends it: the whole one made from the checkpoint's pieces of JSON;
      // a person sees the flags and segments of their projects (as they stood at that version).
      const body = seesEveryProject(projects) ? asOf.json() : JSON.stringify(scopeSnapshot(asOf.snapshot(), projects));
      res.writeHead(200, { ETag: versionEtag(asOf.version), 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    },
  });

  addRoute(table, {
    method: 'post',
    path: '/v1/playground',
    summary: 'Evaluate a context in an environment, now or in the past, and see why each flag answers as it does',
    description:
      "Each flag's answer for the context exactly as `POST /v1/client/evaluate` gives it (the same evaluation code), for every " +
      'flag or those named in `flags`, against the current state or the one at `asOf` (a version or an RFC 3339 time). ' +
      'With `explain: true` each answer carries `trace`: the flag switch, each dependency, each strategy, each constraint and ' +
      'segment with the context value it saw and whether it `held`, the bucket and percentage, the variant pick.',
    tags: ['history'],
    auth: 'admin',
    role: 'viewer',
    body: PlaygroundRequestSchema,
    projects: () => LISTED_PROJECTS,
    example: { environment: 'prod', context: { targetingKey: 'user-42', email: 'ada@acme.com' }, explain: true },
    responses: {
      200: { description: 'Each flag evaluated for the context', schema: PlaygroundResponseSchema },
      404: { description: 'No such environment' },
    },
    handle: async ({ body, projects }) => {
      const whole = body.asOf === undefined ? await snapshots.get(body.environment) : await snapshotAsOf(pool, body.environment, body.asOf);
      return { body: playground(scopeSnapshot(whole, projects), body.context, { flags: body.flags, explain: body.explain }) };
    },
  });

  addRoute(table, {
    method: 'post',
    path: '/v1/flags/{key}/environments/{env}/restore',
    summary: "Put a flag's state back as it was at an environment version",
    description:
      "One new change that sets the state's configuration (enabled, strategies with their ids, variants, dependencies) to what " +
      'it was at `version` (of the environment, as the audit log and the snapshot name versions). History is never rewritten: the ' +
      'restore is a change like any other, in the audit log and pushed to SDKs. A segment or flag the old state named that no ' +
      'longer exists is a 400 naming it. With `If-Match` (the current state\'s version) a stale restore is a 412. In a protected ' +
      'environment a person\'s restore opens a change request holding it (202) instead of writing.',
    tags: ['history'],
    auth: 'admin',
    role: 'editor',
    params: FlagStateParamsSchema,
    projects: ({ params }) => projectsOf(pool, { flags: [params.key] }),
    body: RestoreRequestSchema,
    example: { version: 12 },
    headers: IF_MATCH_HEADER,
    responses: WRITE_RESPONSES,
    handle: async ({ params, body, principal, req }) => {
      const expectedVersion = parseIfMatchVersion(req.headers['if-match']);
      return writeAnswer(await restoreFlagState(pool, params.key, params.env, body.version, { expectedVersion, caller: principal }));
    },
  });

  addRoute(table, {
    method: 'post',
    path: '/v1/flags/{key}/environments/{env}/copy',
    summary: "Promote a flag's state from another environment to this one",
    description:
      "One new change in `{env}` that sets the flag's configuration to its current one in `from` (enabled, strategies with " +
      'their ids, variants, dependencies). Segments and flags it names must exist here too: each one missing is a 400 naming it. ' +
      'With `If-Match` (the version of the state in `{env}` you last read) a stale copy is a 412. In a protected `{env}` a ' +
      'person\'s copy opens a change request holding it (202) instead of writing.',
    tags: ['history'],
    auth: 'admin',
    role: 'editor',
    params: FlagStateParamsSchema,
    projects: ({ params }) => projectsOf(pool, { flags: [params.key] }),
    body: CopyRequestSchema,
    example: { from: 'staging' },
    headers: IF_MATCH_HEADER,
    responses: WRITE_RESPONSES,
    handle: async ({ params, body, principal, req }) => {
      const expectedVersion = parseIfMatchVersion(req.headers['if-match']);
      return writeAnswer(await copyFlagState(pool, params.key, body.from, params.env, { expectedVersion, caller: principal }));
    },
  });

  addRoute(table, {
    method: 'post',
    path: '/v1/environments/{env}/promote',
    summary: "Promote several flags' states from another environment to this one, as one change",
    description:
      "Copies the current state in `from` of each flag named (enabled, strategies with their ids, variants, dependencies: what " +
      'the single-flag copy copies) to `{env}`, all together: every changed state takes the SAME new environment version, so ' +
      'connected SDKs receive the promote as one change, all or nothing. In a protected `{env}` a person\'s promote opens ONE ' +
      'change request holding every flag (202) instead of writing; it applies as one version once approved. `expectedVersions` ' +
      'maps flags to the version of their state in `{env}` you last read: one that moved refuses the whole promote with 412. ' +
      '`sourceVersions` maps flags to the version of their state in `from` you looked at: one that moved refuses it with 412 ' +
      '(`details.currentSourceVersions`), nothing written and no change request opened. A direct promote locks the source states ' +
      'in its transaction, so what it writes is what `from` holds when it commits. ' +
      'Refused with nothing written: `from` unknown or equal to `{env}` (400 naming `from`), a flag that does not exist or is ' +
      'named twice (400 naming `flags.<i>`), a configuration `{env}` cannot take (400 naming `flags.<i>.<field>`), an archived ' +
      'flag (409). The console\'s environment comparison (/compare) uses this.',
    tags: ['history'],
    auth: 'admin',
    role: 'editor',
    params: EnvironmentParamsSchema,
    projects: ({ body }) => projectsOf(pool, { flags: body.flags }),
    body: PromoteRequestSchema,
    example: { from: 'staging', flags: ['new_ui', 'checkout'], expectedVersions: { new_ui: 12 }, sourceVersions: { new_ui: 40, checkout: 38 } },
    responses: {
      200: { description: 'Written: the version the promote took (null: nothing changed) and each new state', schema: PromoteResultSchema },
      202: {
        description: 'The environment is protected: one change request holding every flag was opened (nothing changes until it is approved and applied)',
        schema: ChangeRequestSchema,
        headers: { Location: '/v1/change-requests/{id}' },
      },
      404: { description: 'No such environment `{env}`' },
      409: { description: 'A flag is archived; nothing was written' },
      412: { description: 'A state in `{env}` is no longer at its `expectedVersions` entry; nothing was written' },
      413: { description: 'A configuration is over 64 KB as JSON; nothing was written' },
    },
    handle: async ({ params, body, principal }) => {
      const outcome = await promoteFlagStates(pool, params.env, body, principal);
      if (outcome.changeRequest) {
        return { status: 202, body: outcome.changeRequest, headers: { Location: `/v1/change-requests/${outcome.changeRequest.id}` } };
      }
      return { body: outcome.written };
    },
  });
}

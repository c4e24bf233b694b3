import { z } from 'zod';
import {
  applyChangeRequest,
  approveChangeRequest,
  cancelChangeRequest,
  commentOnChangeRequest,
  listChangeRequestPage,
  openChangeRequest,
  readChangeRequest,
  rejectChangeRequest,
  scheduleChanges,
} from '../../../shared/domain/change-requests/change-request-service.js';
import {
  CHANGE_REQUEST_EXAMPLE,
  ChangeRequestDetailSchema,
  ChangeRequestIdParamsSchema,
  ChangeRequestSchema,
  CommentInputSchema,
  CommentSchema,
  CreateChangeRequestSchema,
  CreateScheduleSchema,
  ListChangeRequestsQuerySchema,
  ReasonInputSchema,
} from '../../../shared/schemas/change-requests.js';
import type { ApiDeps } from '../deps.js';
import { projectsOfChangeRequest, projectsOfChanges } from '../http/project-access.js';
import { addRoute, LISTED_PROJECTS, type RouteTable } from '../http/route.js';

const REQUEST_ANSWERS = {
  200: { description: 'The change request as it stands now', schema: ChangeRequestSchema },
  404: { description: 'No such change request' },
  409: { description: 'Not in a state that allows this (`conflict`), or a flag or segment it changes moved since it was opened (`conflicted`)' },
};

/** Who proposes, reviews, applies or cancels: editors and admins of every project the changes touch (the route's `projects`). */
const REVIEWERS = ' Needs the editor role on every project whose flags or segments the request changes (403 otherwise).';

export function addChangeRequestRoutes(table: RouteTable, { pool, clock }: ApiDeps): void {
  const now = clock ?? (() => new Date());

  addRoute(table, {
    method: 'post',
    path: '/v1/change-requests',
    summary: 'Propose changes to flags and segments of one environment, applied together as one version once approved',
    description:
      'Opens a change request: any mix of flag-state changes (a PATCH body or a PUT body as `set`), segment changes and archives (`{ flag, archive: true }`). ' +
      'Every change is checked now as it would be applied (a 400 names `changes.<n>…`), but nothing changes and no app hears of it until the request is approved ' +
      '(by `requiredApprovals` editors or admins other than its author) and applied: then every change commits in one transaction as ONE environment version, ' +
      'so no running app ever evaluates half of it. With `scheduledAt`, it applies at that time once approved. The version of each flag state and segment is ' +
      'recorded now: if one moves before the request is applied, the request becomes `conflicted` instead of overwriting it. A change may name, as ' +
      '`expectedVersion`, the version of its flag state (or segment) it was based on: if that is no longer current, nothing is opened (412 naming ' +
      '`changes.<n>.expectedVersion`).' +
      REVIEWERS,
    tags: ['change-requests'],
    auth: 'admin',
    role: 'editor',
    body: CreateChangeRequestSchema,
    projects: ({ body }) => projectsOfChanges(pool, body.changes),
    example: CHANGE_REQUEST_EXAMPLE,
    responses: {
      201: { description: 'Opened', schema: ChangeRequestSchema, headers: { Location: '/v1/change-requests/{id}' } },
      400: { description: 'A change is invalid (the field is named)' },
      404: { description: 'No such environment' },
      412: { description: "A change's expectedVersion is no longer current (`details` names `changes.<n>.expectedVersion` and the current version); nothing opened" },
    },
    handle: async ({ body, principal }) => {
      const request = await openChangeRequest(pool, body, principal);
      return { status: 201, body: request, headers: { Location: `/v1/change-requests/${request.id}` } };
    },
  });

  addRoute(table, {
    method: 'get',
    path: '/v1/change-requests',
    summary: 'List change requests, newest first',
    description: 'Change requests (not schedules), newest first; filter by `environment`, `state` and `flag`.',
    tags: ['change-requests'],
    auth: 'admin',
    role: 'viewer',
    query: ListChangeRequestsQuerySchema,
    projects: () => LISTED_PROJECTS,
    responses: { 200: { description: 'The requests', schema: z.object({ changeRequests: z.array(ChangeRequestSchema) }) } },
    handle: async ({ query, projects }) => ({ body: { changeRequests: await listChangeRequestPage(pool, query, 'change-request', projects) } }),
  });

  addRoute(table, {
    method: 'get',
    path: '/v1/change-requests/{id}',
    summary: 'A change request with its diff against the current state and its comments',
    description:
      'The request, its approvals, its comments and, per change, the subject as it is now (`before`), as the change would leave it (`after`), ' +
      'the version recorded when the request was opened and the version now (`conflicted` when they differ).',
    tags: ['change-requests'],
    auth: 'admin',
    role: 'viewer',
    params: ChangeRequestIdParamsSchema,
    projects: ({ params }) => projectsOfChangeRequest(pool, params.id),
    responses: { 200: { description: 'The request', schema: ChangeRequestDetailSchema }, 404: { description: 'No such change request' } },
    handle: async ({ params }) => ({ body: await readChangeRequest(pool, params.id) }),
  });

  addRoute(table, {
    method: 'post',
    path: '/v1/change-requests/{id}/approve',
    summary: 'Approve a change request (never your own)',
    description:
      "Adds the caller's approval; the author cannot approve (403 `self_approval`) and each approver counts once. With enough approvals the request is " +
      '`approved` (apply it with …/apply), or `scheduled` when its `scheduledAt` is ahead; approved after its `scheduledAt`, it applies at once. ' +
      'A request whose flags or segments moved since it was opened becomes `conflicted` (409 `conflicted`).' +
      REVIEWERS,
    tags: ['change-requests'],
    auth: 'admin',
    role: 'editor',
    params: ChangeRequestIdParamsSchema,
    projects: ({ params }) => projectsOfChangeRequest(pool, params.id),
    responses: { ...REQUEST_ANSWERS, 403: { description: 'The author cannot approve their own request (`self_approval`)' } },
    handle: async ({ params, principal }) => ({ body: await approveChangeRequest(pool, params.id, principal) }),
  });

  addRoute(table, {
    method: 'post',
    path: '/v1/change-requests/{id}/apply',
    summary: 'Apply an approved change request now: every change, one transaction, one version',
    description:
      'Commits every change of an approved (or scheduled) request in one transaction as one environment version: apps receive it as one message. ' +
      'Each change event carries the request id and the request as actor. 409 `conflicted` (and the request becomes conflicted, nothing written) when ' +
      'a flag or segment it changes moved since it was opened.' +
      REVIEWERS,
    tags: ['change-requests'],
    auth: 'admin',
    role: 'editor',
    params: ChangeRequestIdParamsSchema,
    projects: ({ params }) => projectsOfChangeRequest(pool, params.id),
    responses: REQUEST_ANSWERS,
    handle: async ({ params, principal }) => ({ body: await applyChangeRequest(pool, params.id, principal) }),
  });

  for (const [action, close, summary] of [
    ['reject', rejectChangeRequest, 'Reject a change request'],
    ['cancel', cancelChangeRequest, 'Cancel a change request (or a schedule) before it is applied'],
  ] as const) {
    addRoute(table, {
      method: 'post',
      path: `/v1/change-requests/{id}/${action}`,
      summary,
      description: `${summary}; \`reason\` is recorded. Nothing it proposed is applied.${REVIEWERS}`,
      tags: ['change-requests'],
      auth: 'admin',
      role: 'editor',
      params: ChangeRequestIdParamsSchema,
      projects: ({ params }) => projectsOfChangeRequest(pool, params.id),
      body: ReasonInputSchema,
      bodyRequired: false,
      example: { reason: 'Not before the freeze ends' },
      responses: REQUEST_ANSWERS,
      handle: async ({ params, body, principal }) => ({ body: await close(pool, params.id, principal, body?.reason) }),
    });
  }

  addRoute(table, {
    method: 'post',
    path: '/v1/change-requests/{id}/comments',
    summary: 'Comment on a change request',
    description: `Adds a comment; it never changes the request or any flag.${REVIEWERS}`,
    tags: ['change-requests'],
    auth: 'admin',
    role: 'editor',
    params: ChangeRequestIdParamsSchema,
    projects: ({ params }) => projectsOfChangeRequest(pool, params.id),
    body: CommentInputSchema,
    example: { body: 'Looks right; the banner goes with it.' },
    responses: { 201: { description: 'The comment', schema: CommentSchema }, 404: { description: 'No such change request' } },
    handle: async ({ params, body, principal }) => ({ status: 201, body: await commentOnChangeRequest(pool, params.id, principal, body.body) }),
  });

  addRoute(table, {
    method: 'post',
    path: '/v1/schedules',
    summary: 'Schedule changes in an unprotected environment: applied together, as one version, at a time',
    description:
      'The worker applies the changes (the same shapes as a change request\'s) at `at`, late by at most a second, exactly once, as one environment ' +
      'version recorded with the schedule as actor. In a protected environment use a change request with `scheduledAt` (409 `change_request_required`). ' +
      'Cancel it with POST /v1/change-requests/{id}/cancel (or DELETE /v1/schedules/{id}).' +
      REVIEWERS,
    tags: ['change-requests'],
    auth: 'admin',
    role: 'editor',
    body: CreateScheduleSchema,
    projects: ({ body }) => projectsOfChanges(pool, body.changes),
    example: { environment: 'dev', changes: [{ flag: 'new_checkout', set: { enabled: true } }], at: '2030-01-01T09:00:00Z' },
    responses: {
      201: { description: 'Scheduled', schema: ChangeRequestSchema },
      400: { description: 'A change is invalid, or `at` is not in the future' },
      409: { description: 'The environment is protected (`change_request_required`)' },
      412: { description: "A change's expectedVersion is no longer current (`changes.<n>.expectedVersion`); nothing scheduled" },
    },
    handle: async ({ body, principal }) => ({ status: 201, body: await scheduleChanges(pool, body, principal, now()) }),
  });

  addRoute(table, {
    method: 'get',
    path: '/v1/schedules',
    summary: 'List scheduled changes (and change requests with a time), soonest first',
    description: 'Schedules, and change requests that carry `scheduledAt`; filter by `environment`, `state` and `flag` (the flag page shows these).',
    tags: ['change-requests'],
    auth: 'admin',
    role: 'viewer',
    query: ListChangeRequestsQuerySchema,
    projects: () => LISTED_PROJECTS,
    responses: { 200: { description: 'The schedules', schema: z.object({ schedules: z.array(ChangeRequestSchema) }) } },
    handle: async ({ query, projects }) => {
      const all = await listChangeRequestPage(pool, query, undefined, projects);
      const timed = all.filter((request) => request.scheduledAt !== null);
      timed.sort((a, b) => Date.parse(a.scheduledAt!) - Date.parse(b.scheduledAt!));
      return { body: { schedules: timed } };
    },
  });

  addRoute(table, {
    method: 'delete',
    path: '/v1/schedules/{id}',
    summary: 'Cancel a scheduled change before it runs',
    description: `Cancels the schedule (or change request); 409 once it was applied.${REVIEWERS}`,
    tags: ['change-requests'],
    auth: 'admin',
    role: 'editor',
    params: ChangeRequestIdParamsSchema,
    projects: ({ params }) => projectsOfChangeRequest(pool, params.id),
    responses: REQUEST_ANSWERS,
    handle: async ({ params, principal }) => ({ body: await cancelChangeRequest(pool, params.id, principal) }),
  });
}

import { assertGlobalWriteAllowed } from '../../../shared/domain/change-requests/caller.js';
import { z } from 'zod';
import { SegmentSchema } from '../../../shared/schemas/targeting.js';
import { CreateSegmentSchema, SEGMENT_EXAMPLE, SegmentIdParamsSchema, UpdateSegmentSchema } from '../../../shared/schemas/targeting-input.js';
import { changeSegment, createSegment, listSegments, removeSegment, requireSegment } from '../../../shared/domain/segments/segment-service.js';
import { listedOr, projectsOf, projectToCreateIn } from '../http/project-access.js';
import { ProjectKeySchema } from '../../../shared/schemas/common.js';
import type { ApiDeps } from '../deps.js';
import { addRoute, type RouteTable } from '../http/route.js';

const SegmentListSchema = z
  .object({ segments: z.array(SegmentSchema) })
  .meta({ id: 'SegmentList', description: 'Every segment, by id' });

const FANS_OUT =
  "Segments belong to a project (only that project's flags may use them) and to every environment: the change is a change event in every environment, pushed to connected SDKs whose token sees the segment's project as `flags:change { environment, version, segment }`, and every flag using the segment evaluates with it from that version on.";

const SegmentListQuerySchema = z.strictObject({ project: ProjectKeySchema.optional().meta({ description: 'Only the segments of this project' }) });

export function addSegmentRoutes(table: RouteTable, { pool }: ApiDeps): void {
  addRoute(table, {
    method: 'get',
    path: '/v1/segments',
    summary: 'List segments',
    description: 'Every segment (a named, reusable list of constraints that strategies reference by id), ordered by id; `project=` only those of one project.',
    tags: ['segments'],
    auth: 'admin',
    role: 'viewer',
    query: SegmentListQuerySchema,
    responses: { 200: { description: 'The segments', schema: SegmentListSchema } },
    projects: ({ query }) => listedOr(query.project),
    handle: async ({ projects }) => ({ body: { segments: await listSegments(pool, projects) } }),
  });

  addRoute(table, {
    method: 'post',
    path: '/v1/segments',
    summary: 'Create a segment',
    description: `Creates a segment; reference it from a strategy's \`segments\` by its id. The constraints are checked as a state's are (400 naming the field). ${FANS_OUT}`,
    tags: ['segments'],
    auth: 'admin',
    role: 'editor',
    body: CreateSegmentSchema,
    example: SEGMENT_EXAMPLE,
    responses: {
      201: { description: 'The new segment', schema: SegmentSchema },
      409: { description: 'A segment with this name exists' },
      413: { description: 'The constraints are over 64 KB as JSON' },
    },
    projects: ({ body }) => projectToCreateIn(body.project),
    handle: async ({ body, principal }) => {
      return { status: 201, body: await createSegment(pool, body, principal.actor) };
    },
  });

  addRoute(table, {
    method: 'get',
    path: '/v1/segments/{id}',
    summary: 'Read a segment',
    description: 'One segment by id.',
    tags: ['segments'],
    auth: 'admin',
    role: 'viewer',
    params: SegmentIdParamsSchema,
    responses: { 200: { description: 'The segment', schema: SegmentSchema }, 404: { description: 'No such segment' } },
    projects: ({ params }) => projectsOf(pool, { segments: [params.id] }),
    handle: async ({ params }) => ({ body: await requireSegment(pool, params.id) }),
  });

  addRoute(table, {
    method: 'patch',
    path: '/v1/segments/{id}',
    summary: "Change a segment's name, description or constraints",
    description: `Changes the given fields. ${FANS_OUT}`,
    tags: ['segments'],
    auth: 'admin',
    role: 'editor',
    params: SegmentIdParamsSchema,
    body: UpdateSegmentSchema,
    example: { constraints: SEGMENT_EXAMPLE.constraints },
    responses: {
      200: { description: 'The segment', schema: SegmentSchema },
      404: { description: 'No such segment' },
      409: { description: 'Another segment has this name' },
      413: { description: 'The constraints are over 64 KB as JSON' },
    },
    projects: ({ params }) => projectsOf(pool, { segments: [params.id] }),
    handle: async ({ params, body, principal }) => {
      // Segments are global: while any environment is protected, people change them through change requests.
      await assertGlobalWriteAllowed(pool, principal);
      return { body: await changeSegment(pool, params.id, body, principal.actor) };
    },
  });

  addRoute(table, {
    method: 'delete',
    path: '/v1/segments/{id}',
    summary: 'Delete a segment no flag uses',
    description: `Deletes the segment. A segment that a live flag's strategy references in any environment is a 409 naming the flags (\`details.usedBy\`): remove it from their strategies first. ${FANS_OUT}`,
    tags: ['segments'],
    auth: 'admin',
    role: 'editor',
    params: SegmentIdParamsSchema,
    responses: {
      200: { description: 'The deleted segment, with deleted: true', schema: SegmentSchema },
      404: { description: 'No such segment' },
      409: { description: 'Flags use the segment; `details.usedBy` lists them' },
    },
    projects: ({ params }) => projectsOf(pool, { segments: [params.id] }),
    handle: async ({ params, principal }) => {
      await assertGlobalWriteAllowed(pool, principal);
      return { body: await removeSegment(pool, params.id, principal.actor) };
    },
  });
}

import { z } from 'zod';
import { changeProject, createProject, listProjects, removeProject, requireProject } from '../../../shared/domain/projects/project-service.js';
import { CreateProjectSchema, ProjectKeyParamsSchema, ProjectSchema, UpdateProjectSchema } from '../../../shared/schemas/projects.js';
import type { ApiDeps } from '../deps.js';
import { seesProject } from '../../../shared/domain/projects/project-scope.js';
import { addRoute, LISTED_PROJECTS, type RouteTable } from '../http/route.js';

export function addProjectRoutes(table: RouteTable, { pool }: ApiDeps): void {
  addRoute(table, {
    method: 'get',
    path: '/v1/projects',
    summary: 'List projects',
    description: 'Every project by key (for a person, those they hold a role on). `default` always exists and holds every flag and segment made before projects.',
    tags: ['projects'],
    auth: 'admin',
    role: 'viewer',
    projects: () => LISTED_PROJECTS,
    responses: { 200: { description: 'Every project', schema: z.object({ projects: z.array(ProjectSchema) }) } },
    handle: async ({ projects }) => ({ body: { projects: (await listProjects(pool)).filter((project) => seesProject(projects, project.key)) } }),
  });

  addRoute(table, {
    method: 'post',
    path: '/v1/projects',
    summary: 'Add a project',
    description:
      "Adds a project. Its key is like an environment's (lowercase letters, digits, `_`, `-`) and never changes; `name` defaults to the key. Flags and segments go in it with `project` at creation, or a flag moves there with `PATCH /v1/flags/{key}`.",
    tags: ['projects'],
    auth: 'admin',
    role: 'admin',
    body: CreateProjectSchema,
    example: { key: 'web', name: 'Web', description: 'The web team' },
    responses: { 201: { description: 'Created', schema: ProjectSchema }, 409: { description: 'It exists already' } },
    // Adding a project is the installation's business: the admin role on every project.
    handle: async ({ body }) => ({ status: 201, body: await createProject(pool, body) }),
  });

  addRoute(table, {
    method: 'get',
    path: '/v1/projects/{key}',
    summary: 'Read a project',
    description: 'The project.',
    tags: ['projects'],
    auth: 'admin',
    role: 'viewer',
    params: ProjectKeyParamsSchema,
    responses: { 200: { description: 'The project', schema: ProjectSchema }, 404: { description: 'No such project' } },
    projects: ({ params }) => params.key,
    handle: async ({ params }) => ({ body: await requireProject(pool, params.key) }),
  });

  addRoute(table, {
    method: 'patch',
    path: '/v1/projects/{key}',
    summary: "Edit a project's name or description",
    description: "Replaces the name and/or the description. The key never changes (principals and Unleash-format secrets name it).",
    tags: ['projects'],
    auth: 'admin',
    role: 'admin',
    params: ProjectKeyParamsSchema,
    body: UpdateProjectSchema,
    example: { name: 'Web storefront' },
    responses: { 200: { description: 'The project', schema: ProjectSchema }, 404: { description: 'No such project' } },
    projects: ({ params }) => params.key,
    handle: async ({ params, body }) => ({ body: await changeProject(pool, params.key, body) }),
  });

  addRoute(table, {
    method: 'delete',
    path: '/v1/projects/{key}',
    summary: 'Delete an empty project',
    description:
      "Deletes a project that holds no flag (archived ones included), no segment, and that no live principal names; 409 saying what is left otherwise. `default` cannot be deleted.",
    tags: ['projects'],
    auth: 'admin',
    role: 'admin',
    params: ProjectKeyParamsSchema,
    responses: {
      200: { description: 'The deleted project', schema: ProjectSchema },
      404: { description: 'No such project' },
      409: { description: 'Not empty (flags, segments or live principals), or `default`' },
    },
    projects: ({ params }) => params.key,
    handle: async ({ params }) => ({ body: await removeProject(pool, params.key) }),
  });
}

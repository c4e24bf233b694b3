import { z } from 'zod';
import { ProjectKeySchema, TimestampSchema } from './common.js';

export const ProjectSchema = z
  .object({
    key: ProjectKeySchema,
    name: z.string(),
    description: z.string(),
    createdAt: TimestampSchema,
    updatedAt: TimestampSchema,
  })
  .meta({ id: 'Project', description: 'A project: the flags and segments of one team or app (`default` holds those made before projects)' });
export type Project = z.infer<typeof ProjectSchema>;

const ProjectNameSchema = z.string({ error: 'must be a string of 1-100 characters' }).min(1, { error: 'must not be empty' }).max(100, { error: 'must be at most 100 characters' });
const ProjectDescriptionSchema = z.string({ error: 'must be a string' }).max(1000, { error: 'must be at most 1000 characters' });

export const CreateProjectSchema = z
  .strictObject({ key: ProjectKeySchema, name: ProjectNameSchema.optional(), description: ProjectDescriptionSchema.optional() })
  .meta({ id: 'CreateProject', description: "A new project: its key (name defaults to the key)" });
export type CreateProject = z.infer<typeof CreateProjectSchema>;

export const UpdateProjectSchema = z
  .strictObject({ name: ProjectNameSchema.optional(), description: ProjectDescriptionSchema.optional() })
  .refine((change) => change.name !== undefined || change.description !== undefined, {
    error: 'give at least one of name, description',
    path: ['name'],
  })
  .meta({ id: 'UpdateProject', description: "A project's new name and/or description (its key never changes)" });
export type UpdateProject = z.infer<typeof UpdateProjectSchema>;

export const ProjectKeyParamsSchema = z.strictObject({ key: ProjectKeySchema });

/**
 * The projects an sdk or frontend token sees: project keys, or `["*"]` for
 * every project (tokens made without it, and every token from before projects).
 */
export const TokenProjectsSchema = z
  .array(z.union([z.literal('*'), ProjectKeySchema]), { error: 'must be a list of project keys, or ["*"]' })
  .min(1, { error: 'must name at least one project, or be ["*"]' })
  .max(100, { error: 'at most 100 projects' })
  .refine((projects) => !projects.includes('*') || projects.length === 1, { error: '"*" (every project) stands alone' })
  .refine((projects) => new Set(projects).size === projects.length, { error: 'names a project twice' })
  .meta({ example: ['web'], description: 'Project keys this token sees, or ["*"] for every project' });

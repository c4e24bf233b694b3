import { z } from 'zod';
import { validateDefinition, validateSegment, type DefinitionIssue } from '../../packages/evaluation/validate.js';
import { FlagKeySchema, ProjectKeySchema } from './common.js';
import { SegmentIdParamSchema, SegmentIdSchema } from './segment-id.js';

/*
 * What an admin may send as targeting (PUT of a state, segments, an Unleash
 * import): Unleash's client-API shapes, strictly. Structure is checked here;
 * what evaluation could not use as written (a regex that does not compile, a
 * semver, number, date or CIDR value that does not parse, weights that do not
 * add up, an unknown strategy or operator) is checked by the evaluation
 * package's validateDefinition, so the API and evaluation agree on the rules.
 */

const NameSchema = z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }).max(200, { error: 'must be at most 200 characters' });
const ValueSchema = z.string({ error: 'must be a string' }).max(10_000, { error: 'must be at most 10000 characters' });

export const ConstraintInputSchema = z.strictObject({
  contextName: NameSchema,
  operator: NameSchema,
  values: z.array(ValueSchema, { error: 'must be a list of strings' }).optional(),
  value: ValueSchema.optional(),
  inverted: z.boolean({ error: 'must be true or false' }).optional(),
  caseInsensitive: z.boolean({ error: 'must be true or false' }).optional(),
});

export const VariantInputSchema = z.strictObject({
  name: NameSchema,
  weight: z.number({ error: 'must be a whole number from 0 to 1000' }),
  weightType: z.enum(['fix', 'variable'], { error: 'must be fix or variable' }).optional(),
  stickiness: NameSchema.optional(),
  payload: z.strictObject({ type: NameSchema, value: ValueSchema }).optional(),
  overrides: z.array(z.strictObject({ contextName: NameSchema, values: z.array(ValueSchema) })).optional(),
});

/** Unleash keeps parameters as strings; a number or boolean (older Unleash data) is taken as its string. */
const ParameterSchema = z
  .union([ValueSchema, z.number(), z.boolean()], { error: 'must be a string' })
  .transform((value) => String(value));

export const StrategyInputSchema = z.strictObject({
  id: z.string({ error: 'must be a string' }).min(1).max(100).optional(),
  name: NameSchema,
  title: z.string().max(200).nullable().optional().transform((title) => title ?? undefined),
  disabled: z.boolean({ error: 'must be true or false' }).nullable().optional().transform((disabled) => disabled ?? undefined),
  parameters: z.record(z.string(), ParameterSchema).optional(),
  constraints: z.array(ConstraintInputSchema).optional(),
  segments: z.array(SegmentIdSchema).optional(),
  variants: z.array(VariantInputSchema).optional(),
  /** Accepted from Unleash exports and not kept: the position in the list is the order. */
  sortOrder: z.number().optional(),
});

export const DependencyInputSchema = z.strictObject({
  feature: FlagKeySchema,
  enabled: z.boolean({ error: 'must be true or false' }).optional(),
  variants: z.array(NameSchema).optional(),
});

/** The targeting part of a state, as PUT and the import take it. */
export const TargetingInputShape = {
  strategies: z.array(StrategyInputSchema, { error: 'must be a list of strategies' }).max(100, { error: 'at most 100 strategies' }),
  variants: z.array(VariantInputSchema, { error: 'must be a list of variants' }).max(100, { error: 'at most 100 variants' }),
  dependencies: z.array(DependencyInputSchema, { error: 'must be a list of dependencies' }).max(20, { error: 'at most 20 dependencies' }),
};

/** Adds validateDefinition's issues to a zod refinement: errors always, warnings too when strict. */
export function reportDefinitionIssues(issues: DefinitionIssue[], context: z.RefinementCtx, { strict }: { strict: boolean }): void {
  for (const issue of issues) {
    if (issue.severity === 'warning' && !strict) continue;
    context.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  }
}

function withoutSortOrder<T extends { sortOrder?: number }>({ sortOrder: _ignored, ...rest }: T): Omit<T, 'sortOrder'> {
  return rest;
}

/** A PUT body that works as is: acme staff get the flag, with a string variant. */
export const STATE_CONFIG_EXAMPLE = {
  enabled: true,
  strategies: [
    {
      name: 'flexibleRollout',
      parameters: { rollout: '100', stickiness: 'default', groupId: 'new_ui' },
      constraints: [{ contextName: 'email', operator: 'STR_ENDS_WITH', values: ['@acme.com'], caseInsensitive: true }],
    },
  ],
  variants: [{ name: 'blue', weight: 1000, payload: { type: 'string', value: 'blue' } }],
  dependencies: [],
};

/** `PUT /v1/flags/{key}/environments/{env}`: the whole configuration of a state; an unknown strategy or operator is refused. */
export const StateConfigSchema = z
  .strictObject({
    enabled: z.boolean({ error: 'must be true or false' }),
    strategies: TargetingInputShape.strategies,
    variants: TargetingInputShape.variants.default([]),
    dependencies: TargetingInputShape.dependencies.default([]),
  })
  .transform((config) => ({ ...config, strategies: config.strategies.map(withoutSortOrder) }))
  .superRefine((config, context) => reportDefinitionIssues(validateDefinition(config), context, { strict: true }))
  .meta({
    id: 'StateConfig',
    description:
      "A state's whole configuration: on or off, the ordered strategies (the flag is on for a context when any matches), the state's variants and its dependencies",
    example: STATE_CONFIG_EXAMPLE,
  });
export type StateConfig = z.output<typeof StateConfigSchema>;

const SegmentFields = {
  name: z.string({ error: 'must be a string' }).trim().min(1, { error: 'must not be empty' }).max(100, { error: 'must be at most 100 characters' }),
  description: z.string({ error: 'must be a string' }).max(1000, { error: 'must be at most 1000 characters' }),
  constraints: z.array(ConstraintInputSchema, { error: 'must be a list of constraints' }).max(100, { error: 'at most 100 constraints' }),
};

/** A segment body that works as is. */
export const SEGMENT_EXAMPLE = {
  name: 'acme-staff',
  description: 'Everyone with an @acme.com address',
  constraints: [{ contextName: 'email', operator: 'STR_ENDS_WITH', values: ['@acme.com'], caseInsensitive: true }],
};

/** `POST /v1/segments`. */
export const CreateSegmentSchema = z
  .strictObject({
    name: SegmentFields.name,
    description: SegmentFields.description.default(''),
    constraints: SegmentFields.constraints,
    project: ProjectKeySchema.optional().meta({ description: 'The project the segment is in (default: `default`); only its flags may use it' }),
  })
  .superRefine((segment, context) => reportDefinitionIssues(validateSegment(segment), context, { strict: true }))
  .meta({ id: 'CreateSegment', description: 'A new segment: a unique name and the constraints that must all hold', example: SEGMENT_EXAMPLE });
export type CreateSegment = z.output<typeof CreateSegmentSchema>;

/** `PATCH /v1/segments/{id}`: the fields to change. */
export const UpdateSegmentSchema = z
  .strictObject({
    name: SegmentFields.name.optional(),
    description: SegmentFields.description.optional(),
    constraints: SegmentFields.constraints.optional(),
  })
  .refine((change) => Object.keys(change).length > 0, { error: 'give at least one of name, description, constraints' })
  .superRefine((change, context) => {
    if (change.constraints === undefined) return;
    const issues = validateSegment({ name: change.name ?? 'unchanged', constraints: change.constraints });
    reportDefinitionIssues(issues, context, { strict: true });
  })
  .meta({
    id: 'UpdateSegment',
    description: "The fields of a segment to change; every flag using it evaluates with the new constraints at once",
    example: { constraints: SEGMENT_EXAMPLE.constraints },
  });
export type UpdateSegment = z.output<typeof UpdateSegmentSchema>;

export const SegmentIdParamsSchema = z.strictObject({
  id: SegmentIdParamSchema,
});

import { z } from 'zod';
import { EnvironmentKeySchema, FlagKeySchema, ProjectKeySchema, VersionSchema } from './common.js';
import { ImportedSegmentIdSchema } from './segment-id.js';
import { ConstraintInputSchema, TargetingInputShape } from './targeting-input.js';
import { DependencySchema, StrategySchema, VariantSchema, ConstraintSchema } from './targeting.js';

/*
 * Unleash's client-API state (`GET /api/client/features`, and what the client
 * specification's files hold): `{ version, features, segments? }`. A feature
 * carries more than FlagShip keeps (stale, lastSeenAt...): those
 * fields are accepted and not kept; everything evaluation reads is.
 */

const ImportFeatureSchema = z.looseObject({
  name: FlagKeySchema,
  description: z.string().max(1000).nullable().optional(),
  type: z.string().optional(),
  enabled: z.boolean({ error: 'must be true or false' }),
  strategies: TargetingInputShape.strategies.default([]),
  variants: TargetingInputShape.variants.nullable().default([]).transform((variants) => variants ?? []),
  dependencies: TargetingInputShape.dependencies.default([]),
  project: ProjectKeySchema.optional().meta({ description: 'The project a new flag goes in (default: `default`); a flag that exists stays where it is' }),
});

const ImportSegmentSchema = z.looseObject({
  id: ImportedSegmentIdSchema,
  name: z.string().trim().min(1).max(100).optional(),
  description: z.string().max(1000).nullable().optional(),
  constraints: z.array(ConstraintInputSchema).max(100),
  project: ProjectKeySchema.optional().meta({ description: 'The project a new segment goes in (default: `default`); one that exists stays where it is' }),
});

/** An import body that works as is. */
export const UNLEASH_IMPORT_EXAMPLE = {
  version: 2,
  segments: [{ id: 1, name: 'acme-staff', constraints: [{ contextName: 'email', operator: 'STR_ENDS_WITH', values: ['@acme.com'] }] }],
  features: [
    {
      name: 'new_checkout',
      enabled: true,
      strategies: [{ name: 'flexibleRollout', parameters: { rollout: '25', stickiness: 'default', groupId: 'new_checkout' }, segments: [1] }],
      variants: [{ name: 'blue', weight: 1000, payload: { type: 'string', value: 'blue' } }],
    },
  ],
};

export const UnleashImportSchema = z
  .looseObject({
    version: z.number().int().optional(),
    features: z.array(ImportFeatureSchema, { error: 'must be a list of features' }).max(5000, { error: 'at most 5000 features per import' }),
    segments: z.array(ImportSegmentSchema, { error: 'must be a list of segments' }).max(1000, { error: 'at most 1000 segments per import' }).default([]),
  })
  .superRefine((state, context) => {
    const seen = new Map<string, number>();
    state.features.forEach((feature, index) => {
      if (seen.has(feature.name)) context.addIssue({ code: 'custom', path: ['features', index, 'name'], message: `'${feature.name}' is also features[${seen.get(feature.name)}]` });
      seen.set(feature.name, index);
    });
    const ids = new Map<number, number>();
    state.segments.forEach((segment, index) => {
      if (ids.has(segment.id)) context.addIssue({ code: 'custom', path: ['segments', index, 'id'], message: `segment ${segment.id} is also segments[${ids.get(segment.id)}]` });
      ids.set(segment.id, index);
    });
  })
  .meta({
    id: 'UnleashImport',
    description: "An Unleash client-API state, as GET /api/client/features returns it: features (flags with their strategies, variants and dependencies) and segments",
    example: UNLEASH_IMPORT_EXAMPLE,
  });
export type UnleashImport = z.output<typeof UnleashImportSchema>;

export const UnleashImportQuerySchema = z.strictObject({ environment: EnvironmentKeySchema });

/** One thing an import kept as it is although FlagShip cannot evaluate it (an unknown strategy or operator never matches). */
export const ImportWarningSchema = z.object({ path: z.array(z.union([z.string(), z.number()])), code: z.string(), message: z.string() });

const NamesSchema = z.object({ created: z.array(z.string()), updated: z.array(z.string()), unchanged: z.array(z.string()) });

export const UnleashImportResultSchema = z
  .object({
    environment: EnvironmentKeySchema,
    version: VersionSchema,
    flags: NamesSchema,
    segments: z.object({ created: z.array(z.number()), updated: z.array(z.number()), unchanged: z.array(z.number()) }),
    warnings: z.array(ImportWarningSchema),
  })
  .meta({
    id: 'UnleashImportResult',
    description: "What an import did: the flags and segments it created, changed or found as they were, the environment's version after it, and what it kept that FlagShip cannot evaluate",
  });
export type UnleashImportResult = z.infer<typeof UnleashImportResultSchema>;

export const UnleashExportSchema = z
  .object({
    version: z.literal(2),
    features: z.array(
      z.object({
        name: FlagKeySchema,
        description: z.string(),
        type: z.string(),
        enabled: z.boolean(),
        stale: z.boolean(),
        impressionData: z.boolean(),
        project: z.string(),
        strategies: z.array(StrategySchema),
        variants: z.array(VariantSchema),
        dependencies: z.array(DependencySchema),
      }),
    ),
    segments: z.array(z.object({ id: z.number().int(), name: z.string(), description: z.string(), project: z.string(), constraints: z.array(ConstraintSchema) })),
  })
  .meta({
    id: 'UnleashExport',
    description: "One environment's flags and every segment as an Unleash client-API state (version 2), which POST /v1/import/unleash and Unleash SDKs read",
  });
export type UnleashExport = z.infer<typeof UnleashExportSchema>;

import { z } from 'zod';
import { ProjectKeySchema } from './common.js';
import { ConstraintSchema, DependencySchema, VariantSchema } from './targeting.js';
import { ContextValueSchema, refineContextValues } from './evaluation.js';

/*
 * Unleash's client API (v2) as FlagShip serves it to unmodified Unleash SDKs:
 * `GET /api/client/features`, and the events of `GET /api/client/streaming`.
 * Output shapes only (FlagShip never reads these).
 */

export const UnleashStrategySchema = z
  .object({
    name: z.string(),
    parameters: z.record(z.string(), z.string()),
    constraints: z.array(ConstraintSchema),
    segments: z.array(z.number().int()).optional(),
    variants: z.array(VariantSchema).optional(),
  })
  .meta({ id: 'UnleashStrategy', description: "A strategy in Unleash's client API: constraints, referenced segment ids, parameters as strings" });

export const UnleashFeatureSchema = z
  .object({
    name: z.string(),
    type: z.string(),
    enabled: z.boolean(),
    project: z.string(),
    stale: z.boolean(),
    impressionData: z.boolean(),
    strategies: z.array(UnleashStrategySchema),
    variants: z.array(VariantSchema),
    dependencies: z.array(DependencySchema).optional(),
  })
  .meta({ id: 'UnleashFeature', description: "One flag of the token's environment in Unleash's client API format" });
export type UnleashFeature = z.infer<typeof UnleashFeatureSchema>;

export const UnleashSegmentSchema = z
  .object({ id: z.number().int(), name: z.string(), constraints: z.array(ConstraintSchema) })
  .meta({ id: 'UnleashSegment', description: 'A segment strategies refer to by id' });
export type UnleashSegment = z.infer<typeof UnleashSegmentSchema>;

export const UnleashFeaturesSchema = z
  .object({
    version: z.literal(2),
    features: z.array(UnleashFeatureSchema),
    segments: z.array(UnleashSegmentSchema),
    query: z.object({ environment: z.string(), namePrefix: z.string().optional(), project: z.array(z.string()).optional() }),
    meta: z.object({ revisionId: z.number().int(), etag: z.string() }),
  })
  .meta({ id: 'UnleashFeatures', description: "Every live flag of the token's environment, and every segment, in Unleash's client API (v2) format" });
export type UnleashFeatures = z.infer<typeof UnleashFeaturesSchema>;

export const UnleashFeaturesQuerySchema = z.strictObject({
  namePrefix: z.string().max(100).optional().meta({ description: 'Only flags whose name starts with this' }),
  project: ProjectKeySchema.optional().meta({ description: "Unleash's project filter: only this project's flags (none when the token does not see it)" }),
});

export const UnleashFeatureParamsSchema = z.strictObject({ name: z.string().min(1).max(100) });

/** One change in an `unleash-updated` event (and the hydration of `unleash-connected`), as unleash-client 6 applies them. */
export type UnleashDeltaEvent =
  | { type: 'hydration'; eventId: number; features: UnleashFeature[]; segments: UnleashSegment[] }
  | { type: 'feature-updated'; eventId: number; feature: UnleashFeature }
  | { type: 'feature-removed'; eventId: number; featureName: string; project: string }
  | { type: 'segment-updated'; eventId: number; segment: UnleashSegment }
  | { type: 'segment-removed'; eventId: number; segmentId: number };


/** An Unleash context as unleash-proxy-client sends it in a POST body. */
export const UnleashFrontendContextSchema = z
  .looseObject({
    userId: ContextValueSchema.optional(),
    sessionId: ContextValueSchema.optional(),
    remoteAddress: ContextValueSchema.optional(),
    environment: ContextValueSchema.optional(),
    appName: ContextValueSchema.optional(),
    currentTime: ContextValueSchema.optional(),
    properties: z.record(z.string().max(200), ContextValueSchema).optional(),
  })
  // Other top-level fields count as properties: capped the same.
  .superRefine(refineContextValues)
  .meta({ id: 'UnleashFrontendContext', description: "Who is asking, in Unleash's context fields; other top-level fields count as properties" });

export const UnleashFrontendRequestSchema = z
  .strictObject({ context: UnleashFrontendContextSchema.optional() })
  .meta({ id: 'UnleashFrontendRequest', description: 'The context to evaluate every flag for (unleash-proxy-client with usePOSTrequests)' });

/**
 * `GET /api/frontend` query: the context as unleash-proxy-client puts it in the
 * URL (`userId=…&sessionId=…&properties[plan]=pro`). Every value is text.
 */
export const UnleashFrontendQuerySchema = z
  .object({
    userId: ContextValueSchema.optional(),
    sessionId: ContextValueSchema.optional(),
    remoteAddress: ContextValueSchema.optional(),
    environment: ContextValueSchema.optional(),
    appName: ContextValueSchema.optional(),
    currentTime: ContextValueSchema.optional(),
  })
  .catchall(z.string({ error: 'must be given once, as text' }).pipe(ContextValueSchema))
  .refine((query) => Object.keys(query).length <= 100, { error: 'at most 100 context fields' });

export const UnleashToggleSchema = z
  .object({
    name: z.string(),
    enabled: z.boolean(),
    variant: z.object({
      name: z.string(),
      enabled: z.boolean(),
      payload: z.object({ type: z.string(), value: z.string() }).optional(),
      feature_enabled: z.boolean(),
    }),
    impressionData: z.boolean(),
  })
  .meta({ id: 'UnleashToggle', description: 'One flag that is on for the context, with its variant (never its definition)' });
export type UnleashToggle = z.infer<typeof UnleashToggleSchema>;

export const UnleashFrontendResponseSchema = z
  .object({ toggles: z.array(UnleashToggleSchema) })
  .meta({ id: 'UnleashFrontendResponse', description: "Every flag that is on for the context (Unleash's frontend API answers only those)" });

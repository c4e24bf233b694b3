import { z } from 'zod';
import { ProjectKeySchema, TimestampSchema } from './common.js';

/*
 * The targeting model on the wire (packages/evaluation/model.ts): what states,
 * snapshots, events and pushes carry. These schemas check shapes only, so an
 * SDK reading a snapshot stays fast and tolerates fields a newer server adds;
 * what an admin may store is checked by the stricter input schemas
 * (shared/schemas/targeting-input.ts).
 */

export const ConstraintSchema = z
  .object({
    contextName: z.string(),
    operator: z.string(),
    values: z.array(z.string()).optional(),
    value: z.string().optional(),
    inverted: z.boolean().optional(),
    caseInsensitive: z.boolean().optional(),
  })
  .meta({ id: 'Constraint', description: 'One condition on a context field (Unleash\'s constraint): all of a strategy\'s constraints must hold' });

export const VariantPayloadSchema = z.object({ type: z.string(), value: z.string() });

export const VariantOverrideSchema = z.object({ contextName: z.string(), values: z.array(z.string()) });

export const VariantSchema = z
  .object({
    name: z.string(),
    weight: z.number(),
    weightType: z.string().optional(),
    stickiness: z.string().optional(),
    payload: VariantPayloadSchema.optional(),
    overrides: z.array(VariantOverrideSchema).optional(),
  })
  .meta({ id: 'Variant', description: 'A weighted variant (weights out of 1000 across the list) with an optional payload' });

export const StrategySchema = z
  .object({
    id: z.string().optional(),
    name: z.string(),
    title: z.string().optional(),
    disabled: z.boolean().optional(),
    parameters: z.record(z.string(), z.string()).optional(),
    constraints: z.array(ConstraintSchema).optional(),
    segments: z.array(z.number()).optional(),
    variants: z.array(VariantSchema).optional(),
  })
  .meta({ id: 'Strategy', description: 'One way a flag can be on (Unleash\'s activation strategy): its rule, parameters (strings), constraints, segments and own variants' });

export const DependencySchema = z
  .object({
    feature: z.string(),
    enabled: z.boolean().optional(),
    variants: z.array(z.string()).optional(),
  })
  .meta({ id: 'Dependency', description: 'This flag is on only when another flag is on (or off, with enabled: false), optionally with one of the named variants' });

/** A segment as stored, listed in snapshots and carried by its change events (`deleted: true` once deleted). */
export const SegmentSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    project: ProjectKeySchema.meta({ description: 'The project the segment is in: only its flags may use it' }),
    description: z.string(),
    constraints: z.array(ConstraintSchema),
    createdAt: TimestampSchema,
    updatedAt: TimestampSchema,
    deleted: z.boolean().optional(),
  })
  .meta({ id: 'Segment', description: 'A named, reusable list of constraints that strategies reference by id' });
export type StoredSegment = z.infer<typeof SegmentSchema>;

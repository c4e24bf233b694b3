import { z } from 'zod';
import { EnvironmentKeySchema, TimestampSchema, queryInteger } from './common.js';

/** Unleash's flag types; each has an expected lifetime (shared/domain/flags/stale-flags.ts). */
export const FLAG_TYPES = ['release', 'experiment', 'operational', 'kill-switch', 'permission'] as const;
export const FlagTypeSchema = z
  .enum(FLAG_TYPES, { error: `must be one of ${FLAG_TYPES.join(', ')}` })
  .meta({ description: 'What the flag is for; sets how long it is expected to live', example: 'release' });
export type FlagType = z.infer<typeof FlagTypeSchema>;

/**
 * The most evaluations of one flag (yes, no or one variant) a report may
 * claim: a billion in one interval (an SDK reports every minute or so) is far
 * past any real server. Frontend tokens have a lower bound (services/api/usage/report-limits.ts).
 */
export const MAX_REPORTED_COUNT = 1_000_000_000;

/** Where stored counts stop growing (they saturate): the largest whole number JavaScript reads exactly. */
export const MAX_USAGE_COUNT = Number.MAX_SAFE_INTEGER;

const count = z
  .number({ error: 'must be a whole number' })
  .int({ error: 'must be a whole number' })
  .min(0, { error: 'must not be negative' })
  .max(MAX_REPORTED_COUNT, { error: `must be at most ${MAX_REPORTED_COUNT} in one report` });

/** A flag name as an SDK reports it: anything its code asked for, known to FlagShip or not. */
const ReportedFlagNameSchema = z.string().min(1).max(200);
const VariantNameSchema = z.string().min(1).max(100);

/** Unleash caps nothing here; FlagShip keeps at most this many variant names per flag in one report. */
export const MAX_VARIANTS_PER_FLAG = 50;

export const ToggleCountsSchema = z.object({
  yes: count.default(0),
  no: count.default(0),
  variants: z
    .record(VariantNameSchema, count)
    .refine((variants) => Object.keys(variants).length <= MAX_VARIANTS_PER_FLAG, {
      error: `at most ${MAX_VARIANTS_PER_FLAG} variant names per flag`,
    })
    .optional(),
});
export type ToggleCounts = z.infer<typeof ToggleCountsSchema>;

const DateTimeSchema = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' });

/**
 * `POST /api/client/metrics` (and `/api/frontend/client/metrics`): the body
 * Unleash SDKs send every metricsInterval. Unknown fields (platformName,
 * yggdrasilVersion, impactMetrics, …) are accepted and ignored, as Unleash does.
 */
export const UnleashMetricsSchema = z
  .object({
    appName: z.string().min(1).max(200),
    instanceId: z.string().max(200).optional(),
    environment: z.string().max(100).optional(),
    bucket: z
      .object({
        start: DateTimeSchema,
        stop: DateTimeSchema,
        toggles: z.record(ReportedFlagNameSchema, ToggleCountsSchema),
      })
      .refine((bucket) => Date.parse(bucket.start) <= Date.parse(bucket.stop), {
        error: 'start must not be after stop',
        path: ['start'],
      }),
  })
  .meta({
    id: 'UnleashMetrics',
    description: "An Unleash SDK's evaluation counts for one interval (Unleash's client metrics body)",
    example: {
      appName: 'checkout',
      instanceId: 'checkout-7f9c',
      bucket: {
        start: '2026-12-01T09:00:00.000Z',
        stop: '2026-12-01T09:01:00.000Z',
        toggles: { new_ui: { yes: 120, no: 30, variants: { blue: 80, green: 40 } } },
      },
    },
  });
export type UnleashMetrics = z.infer<typeof UnleashMetricsSchema>;

/** `POST /api/client/register`: what an Unleash SDK says about itself when it starts. */
export const UnleashRegisterSchema = z
  .object({
    appName: z.string().min(1).max(200),
    instanceId: z.string().max(200).optional(),
    sdkVersion: z.string().max(200).optional(),
    strategies: z.array(z.string().max(200)).max(200).optional(),
    started: z.union([DateTimeSchema, z.number()]).optional(),
    interval: z.number().nonnegative().optional(),
  })
  .meta({
    id: 'UnleashRegister',
    description: 'What an Unleash SDK says about itself when it starts',
    example: {
      appName: 'checkout',
      instanceId: 'checkout-7f9c',
      sdkVersion: 'unleash-node-sdk:6.12.1',
      strategies: ['default', 'flexibleRollout'],
      started: '2026-12-01T09:00:00.000Z',
      interval: 60000,
    },
  });

export const UsageHourSchema = z.object({
  environment: EnvironmentKeySchema,
  hour: TimestampSchema,
  yes: z.number().int(),
  no: z.number().int(),
  variants: z.record(z.string(), z.number().int()),
});

export const FlagUsageSchema = z
  .object({
    key: z.string(),
    /** When the flag was last evaluated, per environment (absent: never). */
    lastSeenAt: z.record(z.string(), TimestampSchema),
    hours: z.array(UsageHourSchema),
  })
  .meta({ id: 'FlagUsage', description: "A flag's evaluation counts per environment and hour, newest first, and when it was last evaluated per environment" });
export type FlagUsage = z.infer<typeof FlagUsageSchema>;

export const FlagUsageQuerySchema = z.strictObject({
  environment: EnvironmentKeySchema.optional(),
  /** How many hours back from now (default 48, at most 90 days). */
  hours: queryInteger(1, 24 * 90).optional(),
});

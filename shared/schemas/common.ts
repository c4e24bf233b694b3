import { z } from 'zod';

export const FlagKeySchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_.-]{0,99}$/, {
    error: 'must be 1-100 characters: lowercase letters, digits, _ . - (starting with a letter or digit)',
  })
  .meta({ example: 'new_ui' });

export const EnvironmentKeySchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,49}$/, {
    error: 'must be 1-50 characters: lowercase letters, digits, _ - (starting with a letter or digit)',
  })
  .meta({ example: 'prod' });

export const RolloutSchema = z
  .number({ error: 'must be a whole number from 0 to 100' })
  .int({ error: 'must be a whole number from 0 to 100' })
  .min(0, { error: 'must be a whole number from 0 to 100' })
  .max(100, { error: 'must be a whole number from 0 to 100' });

export const VersionSchema = z.number().int().nonnegative();

export const TimestampSchema = z.string().meta({ format: 'date-time' });

export const UuidSchema = z.uuid({ error: 'must be a UUID' });

/** A whole number in a query string ("25"), rejected rather than defaulted when malformed. */
export const queryInteger = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, { error: 'must be a whole number' })
    .transform(Number)
    .pipe(z.number().int().min(min, { error: `must be at least ${min}` }).max(max, { error: `must be at most ${max}` }));

export const ErrorResponseSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: 'Error', description: "FlagShip's error body: a stable `code`, a readable `message`, and for 400s `details` listing each offending field" });

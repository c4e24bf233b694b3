import { z } from 'zod';

/**
 * Letters and digits of any script (with their combining marks), emoji (pictographs, skin
 * tones, flags, joiners, variation selectors, tag sequences), and `_ . - ~`: what Unleash
 * accepts in a flag name. No slash, whitespace or control character can match.
 */
const FLAG_KEY_PATTERN = /^[\p{L}\p{M}\p{N}\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Regional_Indicator}\u200D\uFE0F\u{E0020}-\u{E007F}_.~-]+$/u;
const FLAG_KEY_MESSAGE =
  'must be 1-100 characters: letters and digits of any script, emoji, _ . - ~ (no /, whitespace or control characters)';

/** A flag key (Unleash's flag name): case-sensitive, 1–100 characters (code points), percent-encoded in paths. */
export const FlagKeySchema = z
  .string({ error: FLAG_KEY_MESSAGE })
  // Bounds the pattern's work before it runs: 100 code points are at most 200 UTF-16 units.
  .max(200, { error: FLAG_KEY_MESSAGE })
  .regex(FLAG_KEY_PATTERN, { error: FLAG_KEY_MESSAGE })
  .refine((key) => [...key].length <= 100, { error: FLAG_KEY_MESSAGE })
  .refine((key) => key !== '.' && key !== '..', { error: 'must not be . or .. (URL paths resolve them away)' })
  .meta({ example: 'new_ui', description: "Case-sensitive; letters and digits of any script, emoji, _ . - ~; 1-100 characters" });

export const EnvironmentKeySchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,49}$/, {
    error: 'must be 1-50 characters: lowercase letters, digits, _ - (starting with a letter or digit)',
  })
  .meta({ example: 'prod' });

/** A project's key: like an environment's (`default` holds every flag made before projects). */
export const ProjectKeySchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,49}$/, {
    error: 'must be 1-50 characters: lowercase letters, digits, _ - (starting with a letter or digit)',
  })
  .meta({ example: 'web' });

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

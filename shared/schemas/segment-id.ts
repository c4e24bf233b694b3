import { z } from 'zod';

/** The largest segment id: `segment.id` is a PostgreSQL integer. */
export const MAX_SEGMENT_ID = 2_147_483_647;

/**
 * The largest id an import may give a segment. Imports keep Unleash's ids and
 * move the id sequence past them; the ids above this bound (over a billion)
 * are left to segments created here, so an import can never exhaust the
 * sequence and make POST /v1/segments fail.
 */
export const MAX_IMPORTED_SEGMENT_ID = 1_000_000_000;

const SEGMENT_ID = `must be a segment id (a whole number from 1 to ${MAX_SEGMENT_ID})`;

/** A reference to a segment (a strategy's `segments`). */
export const SegmentIdSchema = z
  .number({ error: SEGMENT_ID })
  .int({ error: SEGMENT_ID })
  .min(1, { error: SEGMENT_ID })
  .max(MAX_SEGMENT_ID, { error: SEGMENT_ID });

/** The id an imported segment keeps. */
export const ImportedSegmentIdSchema = SegmentIdSchema.max(MAX_IMPORTED_SEGMENT_ID, {
  error: `an imported segment id must be at most ${MAX_IMPORTED_SEGMENT_ID} (the ids above are kept for segments created here)`,
});

/** `{id}` in a segment's path. */
export const SegmentIdParamSchema = z
  .string()
  .regex(/^[1-9]\d{0,9}$/, { error: SEGMENT_ID })
  .transform(Number)
  .refine((id) => id <= MAX_SEGMENT_ID, { error: SEGMENT_ID });

import type { Queryable } from '../../db/pool.js';
import type { ClientEventBatch } from '../../schemas/client-events.js';
import { deleteClientEventsBefore, type MinuteCounts } from './client-event-repository.js';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** How long per-minute counts are kept: a guard reads only its ramp's, and a ramp that runs longer than this watches its last week. */
export const CLIENT_EVENT_RETENTION_DAYS = 7;

/** How long a batch id is remembered: SDKs give up on a batch within minutes (docs/guarded-ramps.md). */
export const CLIENT_EVENT_BATCH_RETENTION_DAYS = 1;

/**
 * The minute rows of a batch: buckets of the same flag, variant, event and
 * minute added together (a bucket counts in the minute its window starts,
 * never in the future nor before the retention), in a stable order (the
 * statement sorts them again for its writes).
 */
export function minuteRowsOf(batch: ClientEventBatch, now: Date): MinuteCounts[] {
  const oldest = now.getTime() - CLIENT_EVENT_RETENTION_DAYS * DAY_MS;
  const byKey = new Map<string, MinuteCounts>();
  for (const bucket of batch.buckets) {
    if (bucket.count === 0 && bucket.sum === undefined) continue;
    const start = Math.max(Math.min(Date.parse(bucket.start), now.getTime()), oldest);
    const minute = Math.floor(start / MINUTE_MS) * MINUTE_MS;
    // Length-prefixed, so no two different (flag, minute, variant, event) share a key whatever characters the names hold; cheaper than JSON.
    const key = `${bucket.flag.length}:${bucket.flag}${minute}:${bucket.variant.length}:${bucket.variant}${bucket.event}`;
    const held = byKey.get(key);
    if (held) {
      held.count += bucket.count;
      if (bucket.sum !== undefined) held.sum = (held.sum ?? 0) + bucket.sum;
    } else {
      byKey.set(key, { flag: bucket.flag, variant: bucket.variant, event: bucket.event, minute: new Date(minute), count: bucket.count, sum: bucket.sum ?? null });
    }
  }
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
}

/** Deletes counts and batch ids past their retention; returns how many rows went. */
export async function pruneClientEvents(db: Queryable, now: Date): Promise<{ minutes: number; batches: number }> {
  return deleteClientEventsBefore(
    db,
    new Date(now.getTime() - CLIENT_EVENT_RETENTION_DAYS * DAY_MS),
    new Date(now.getTime() - CLIENT_EVENT_BATCH_RETENTION_DAYS * DAY_MS),
  );
}

import type { FlagUsage } from '../api/types.js';

/** One hour of a flag's evaluations in one environment. */
export interface UsageSlot {
  /** The hour's start (ISO). */
  hour: string;
  yes: number;
  no: number;
}

const HOUR_MS = 3600_000;

/**
 * The last `count` hours in one environment, oldest first, the current hour
 * last: the API lists only hours with evaluations, a chart needs every hour
 * (an hour without any is a zero bar, not a gap closed up).
 */
export function usageSlots(usage: FlagUsage | undefined, environment: string, count: number, now: number = Date.now()): UsageSlot[] {
  const counted = new Map<number, { yes: number; no: number }>();
  for (const hour of usage?.hours ?? []) {
    if (hour.environment !== environment) continue;
    const start = Math.floor(Date.parse(hour.hour) / HOUR_MS) * HOUR_MS;
    const seen = counted.get(start) ?? { yes: 0, no: 0 };
    counted.set(start, { yes: seen.yes + hour.yes, no: seen.no + hour.no });
  }
  const current = Math.floor(now / HOUR_MS) * HOUR_MS;
  return Array.from({ length: count }, (_, index) => {
    const start = current - (count - 1 - index) * HOUR_MS;
    const found = counted.get(start);
    return { hour: new Date(start).toISOString(), yes: found?.yes ?? 0, no: found?.no ?? 0 };
  });
}

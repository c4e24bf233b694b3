import { LRUCache } from 'lru-cache';
import { RateLimitedError, ValidationError } from '../../../shared/errors.js';
import type { Token } from '../../../shared/schemas/tokens.js';
import type { UnleashMetrics } from '../../../shared/schemas/usage.js';

/**
 * The most evaluations of one flag (yes, no or one variant) a report from a
 * frontend token may claim. Its secret is public (it ships in web pages), and
 * one browser does not evaluate a flag ten thousand times a minute; an SDK
 * token's reports are bounded by the schema (MAX_REPORTED_COUNT) only.
 */
export const MAX_FRONTEND_REPORTED_COUNT = 10_000;

/** Metrics reports one token may send to one API process per minute (Unleash's own default limit). */
export const DEFAULT_REPORTS_PER_MINUTE = 6000;

const MINUTE_MS = 60_000;
/** Tokens whose counts are held at once; a token pushed out starts a fresh minute, so the bound only costs precision. */
const TRACKED_TOKENS = 10_000;

/** Refuses a frontend token's report that claims more than a browser could have evaluated (400 naming the count). */
export function checkPlausibleReport(token: Token, metrics: UnleashMetrics): void {
  if (token.kind !== 'frontend') return;
  const details: Array<{ in: 'body'; path: Array<string | number>; message: string }> = [];
  const message = `must be at most ${MAX_FRONTEND_REPORTED_COUNT} in one report from a frontend token`;
  for (const [flag, toggle] of Object.entries(metrics.bucket.toggles)) {
    const path = ['bucket', 'toggles', flag];
    if (toggle.yes > MAX_FRONTEND_REPORTED_COUNT) details.push({ in: 'body', path: [...path, 'yes'], message });
    if (toggle.no > MAX_FRONTEND_REPORTED_COUNT) details.push({ in: 'body', path: [...path, 'no'], message });
    for (const [variant, times] of Object.entries(toggle.variants ?? {})) {
      if (times > MAX_FRONTEND_REPORTED_COUNT) details.push({ in: 'body', path: [...path, 'variants', variant], message });
    }
  }
  if (details.length > 0) {
    const first = details[0]!;
    throw new ValidationError(`invalid body: body.${first.path.join('.')}: ${first.message}`, details);
  }
}

export interface ReportLimiter {
  /** Counts a report of `token`; throws a 429 once the token sent its share of this minute. */
  admit(token: Token): void;
}

/**
 * Each token may send `perMinute` metrics reports per minute to this process
 * (a fixed window per token): with the per-report bounds, what one token can
 * claim an hour is bounded, and a leaked frontend secret cannot make every
 * flag look used at will.
 */
export function createReportLimiter(options: { perMinute: number; now: () => Date }): ReportLimiter {
  const windows = new LRUCache<string, { startMs: number; reports: number }>({ max: TRACKED_TOKENS });
  return {
    admit(token) {
      const nowMs = options.now().getTime();
      let window = windows.get(token.id);
      if (!window || nowMs - window.startMs >= MINUTE_MS || nowMs < window.startMs) {
        window = { startMs: nowMs, reports: 0 };
        windows.set(token.id, window);
      }
      if (window.reports >= options.perMinute) {
        const retryAfter = Math.max(1, Math.ceil((window.startMs + MINUTE_MS - nowMs) / 1000));
        throw new RateLimitedError(`this token sent its ${options.perMinute} metrics reports of this minute; retry in ${retryAfter} s`, retryAfter);
      }
      window.reports += 1;
    },
  };
}

/** When a failing lane is tried again, and when its webhook is given up on. */
export interface RetryPolicy {
  /** FLAGSHIP_WEBHOOK_RETRY_BASE_MS: the delay after the first failure. */
  baseMs: number;
  /** No delay grows past this (an hour, or the base if that is longer). */
  capMs: number;
  /** FLAGSHIP_WEBHOOK_DISABLE_AFTER_FAILURES: consecutive failures before disabling… */
  disableAfterFailures: number;
  /** …once they have also lasted this long (a day): a short outage never disables a webhook. */
  failurePeriodMs: number;
}

export const RETRY_CAP_MS = 3_600_000;
export const FAILURE_PERIOD_MS = 24 * 3_600_000;

/**
 * The delay before the attempt after `failures` consecutive failures:
 * exponential (base · 2^(failures-1)), capped, with "equal jitter" (half fixed,
 * half random) so lanes that failed together do not retry in lockstep.
 */
export function retryDelayMs(failures: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const cap = Math.max(policy.capMs, policy.baseMs);
  const exponential = Math.min(cap, policy.baseMs * 2 ** Math.min(Math.max(failures - 1, 0), 40));
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}

/** Whether a lane that has now failed `failures` times in a row, since `firstFailureAt`, disables its webhook. */
export function shouldDisable(failures: number, firstFailureAt: Date, now: Date, policy: RetryPolicy): boolean {
  return failures >= policy.disableAfterFailures && now.getTime() - firstFailureAt.getTime() >= policy.failurePeriodMs;
}

import type { Logger } from './logger.js';

/**
 * A warn logger for errors that repeat while a dependency is away (ioredis
 * emits one per reconnection attempt): the first is logged at once, then at
 * most one per `intervalMs`, saying how many were left out meanwhile.
 */
export function rateLimitedWarn(logger: Logger, message: string, intervalMs = 10_000): (error: unknown) => void {
  let lastLoggedAt = -Infinity;
  let suppressed = 0;
  return (error) => {
    const now = Date.now();
    if (now - lastLoggedAt < intervalMs) {
      suppressed += 1;
      return;
    }
    logger.warn({ err: error, suppressed }, message);
    lastLoggedAt = now;
    suppressed = 0;
  };
}

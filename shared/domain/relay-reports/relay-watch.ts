import type { Redis } from 'ioredis';
import type { Closable } from '../../lifecycle.js';
import type { Logger } from '../../logger.js';
import { subscribeRedis } from '../../redis/connection.js';
import { redisKeys } from '../../redis/keys.js';

/**
 * How a process holding a deploy gate's request (GET …/relayed?atLeast=)
 * learns that a notifier reported a relay: each report is announced on a
 * database-scoped Redis channel (relay-report-store.ts), and every message
 * wakes every held request to read the reports again. A timer wakes them too
 * (`recheckMs`), for what no message announces: a dead notifier's report
 * expiring, a message lost while Redis was away.
 */
export interface RelayWatch extends Closable {
  /**
   * Reads with `read` until `done` holds for what it read, or `waitMs` passed,
   * or `signal` aborted, or the watch closed; resolves with the last reading.
   * A reading that throws rejects.
   */
  readUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, waitMs: number, signal?: AbortSignal): Promise<T>;
}

export interface RelayWatchOptions {
  /** A duplicate of it subscribes. */
  redis: Redis;
  /** The database-scoped prefix (databaseRedisPrefix): another installation's notifiers are not ours. */
  redisPrefix: string;
  logger: Logger;
  /** How often a held request reads again without a message. Default 1 s (a notifier's heartbeat). */
  recheckMs?: number;
}

export function createRelayWatch(options: RelayWatchOptions): RelayWatch {
  const { redis, redisPrefix, logger } = options;
  const recheckMs = options.recheckMs ?? 1000;
  const wakers = new Set<() => void>();
  let closed = false;
  let subscriber: Redis | undefined;

  const wakeAll = () => {
    for (const wake of [...wakers]) wake();
  };
  // Subscribed on first use: a process nobody asks to wait holds no subscriber connection.
  const subscribe = () => {
    if (subscriber) return;
    // Not subscribed (Redis away): held requests read every second.
    subscriber = subscribeRedis(redis, logger, 'relay-reported subscriber', redisKeys.relayReportedChannel(redisPrefix), wakeAll);
  };

  return {
    async readUntil(read, done, waitMs, signal) {
      if (closed) return read();
      subscribe();
      const deadline = Date.now() + waitMs;
      for (;;) {
        // Woken (a message, the timer, the deadline, an abort) from here on: a report written while reading is not missed.
        let wake!: () => void;
        const woken = new Promise<void>((resolve) => (wake = resolve));
        wakers.add(wake);
        try {
          const value = await read();
          if (done(value) || closed || signal?.aborted || Date.now() >= deadline) return value;
          const timer = setTimeout(wake, Math.min(recheckMs, deadline - Date.now()));
          const onAbort = () => wake();
          signal?.addEventListener('abort', onAbort, { once: true });
          try {
            await woken;
          } finally {
            clearTimeout(timer);
            signal?.removeEventListener('abort', onAbort);
          }
        } finally {
          wakers.delete(wake);
        }
      }
    },
    async close() {
      closed = true;
      // Held requests answer now, with what they read next: a shutdown never waits out a long poll.
      wakeAll();
      subscriber?.disconnect();
    },
  };
}

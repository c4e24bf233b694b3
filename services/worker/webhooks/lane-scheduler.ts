import type { Lane } from '../../../shared/db/webhooks.js';

export interface LaneScheduler {
  /** Asks for a run of the lane: now if a slot is free, else when one frees; once more if it is running. */
  kick(lane: Lane): void;
  /** Stops starting runs and waits (at most `waitMs`) for the ones in progress. */
  close(waitMs: number): Promise<void>;
}

const keyOf = (lane: Lane) => `${lane.webhookId}/${lane.environment}`;

/**
 * Coalesces wake-ups per lane within this process: many hints for one lane
 * while it runs make one more run, never two runs at once, and never a lost
 * one (a hint during a run is remembered and run after it). At most
 * `concurrency` lanes run at a time.
 */
export function createLaneScheduler(run: (lane: Lane) => Promise<void>, concurrency: number): LaneScheduler {
  const pending = new Map<string, Lane>();
  const running = new Map<string, Promise<void>>();
  const again = new Set<string>();
  let closed = false;

  const startNext = () => {
    for (const [key, lane] of pending) {
      if (closed || running.size >= concurrency) return;
      if (running.has(key)) continue;
      pending.delete(key);
      const done = run(lane)
        .catch(() => undefined)
        .finally(() => {
          running.delete(key);
          if (again.delete(key)) pending.set(key, lane);
          startNext();
        });
      running.set(key, done);
    }
  };

  return {
    kick(lane) {
      if (closed) return;
      const key = keyOf(lane);
      if (running.has(key)) again.add(key);
      else pending.set(key, lane);
      startNext();
    },
    async close(waitMs) {
      closed = true;
      pending.clear();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.all(running.values()), new Promise((resolve) => (timer = setTimeout(resolve, waitMs)))]);
      clearTimeout(timer);
    },
  };
}

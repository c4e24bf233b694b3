import type { Lane } from '../../../shared/domain/webhooks/webhook-repository.js';

export interface LaneScheduler {
  /** Asks for a run of the lane: now if a slot is free, else when one frees; once more if it is running. */
  kick(lane: Lane): void;
  /** Stops starting runs and waits (at most `waitMs`) for the ones in progress. */
  close(waitMs: number): Promise<void>;
}

export interface LaneSchedulerOptions {
  /** Lanes running at once. */
  concurrency: number;
  /** A run that lasts longer marks its lane slow, until a run of it does not. */
  slowRunMs: number;
  /** Milliseconds (tests pass their own clock). */
  now?: () => number;
}

const keyOf = (lane: Lane) => `${lane.webhookId}/${lane.environment}`;

/**
 * Runs lanes fairly within this process. Wake-ups coalesce per lane: many
 * hints for one lane while it runs make one more run, never two runs at once,
 * and never a lost one (a hint during a run is remembered and run after it).
 * At most `concurrency` lanes run at a time, taken in the order they asked; a
 * lane that ran and has more asks again at the back, so lanes take turns
 * (deliverLane bounds each run by time and count).
 *
 * Slow lanes (their last run took longer than `slowRunMs`: a receiver that
 * takes seconds to answer, or stalls until the timeout) may hold every slot
 * but one. The last slot stays for the other lanes, so however many receivers
 * are slow, a healthy subscription never waits behind them for more than the
 * first attempt that showed them slow.
 */
export function createLaneScheduler(run: (lane: Lane) => Promise<void>, options: LaneSchedulerOptions): LaneScheduler {
  const { concurrency, slowRunMs } = options;
  const now = options.now ?? Date.now;
  const slowSlots = concurrency > 1 ? concurrency - 1 : concurrency;
  const pending = new Map<string, Lane>();
  const running = new Map<string, Promise<void>>();
  const runningSlow = new Set<string>();
  const slow = new Set<string>();
  const again = new Set<string>();
  let closed = false;

  const start = (key: string, lane: Lane) => {
    pending.delete(key);
    if (slow.has(key)) runningSlow.add(key);
    const startedAt = now();
    const done = run(lane)
      .catch(() => undefined)
      .finally(() => {
        running.delete(key);
        runningSlow.delete(key);
        if (now() - startedAt > slowRunMs) slow.add(key);
        else slow.delete(key);
        if (again.delete(key)) pending.set(key, lane);
        startNext();
      });
    running.set(key, done);
  };

  const startNext = () => {
    for (const [key, lane] of pending) {
      if (closed || running.size >= concurrency) return;
      if (running.has(key)) continue;
      // A slow lane waits for a slow slot; lanes behind it may still start.
      if (slow.has(key) && runningSlow.size >= slowSlots) continue;
      start(key, lane);
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

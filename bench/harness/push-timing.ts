import type { ConnectArgs, ClientStats, VersionReceipts } from '../drivers/socket-clients.js';
import { monotonicMs, sleep } from './clock.js';
import type { DriverProcess } from './ipc.js';

/** One write whose arrival is timed: its version, and when its response was complete (monotonicMs). */
export interface TimedWrite {
  version: number;
  respondedAt: number;
}

export interface PushTiming {
  /**
   * Per write: every client's delay from the write's response to its change
   * event, in ms; and, when the clients saw raw frames ('wire' mode), the size
   * of the WebSocket message that carried it.
   */
  perWrite: { version: number; delays: number[]; frameBytes?: number }[];
  /** (client, write) pairs with no change event by the end (should be 0). */
  missing: number;
  /** Writes not seen by every client within the wait (should be 0). */
  timeouts: number;
}

/** One server's writes, and how many of the connected clients listen to it. */
export interface PushWriter {
  write: () => Promise<TimedWrite>;
  clients: number;
}

/**
 * Checks that the drivers read the same monotonic clock as the runner: a
 * driver's reading must fall between two of the runner's taken around it.
 */
export async function checkSharedClock(drivers: DriverProcess[]): Promise<void> {
  for (const driver of drivers) {
    const before = monotonicMs();
    const { now } = await driver.request<{ now: number }>('clock');
    const after = monotonicMs();
    if (now < before || now > after) {
      throw new Error(`${driver.name}'s clock (${now}) is not between the runner's ${before} and ${after}: cross-process times would be wrong`);
    }
  }
}

/** Opens `total` clients spread evenly over the drivers. */
export async function connectClients(drivers: DriverProcess[], total: number, args: Omit<ConnectArgs, 'count'>): Promise<number> {
  const started = monotonicMs();
  await Promise.all(
    drivers.map((driver, index) => {
      const count = Math.floor(total / drivers.length) + (index < total % drivers.length ? 1 : 0);
      return driver.request('connect', { ...args, count } satisfies ConnectArgs);
    }),
  );
  return (monotonicMs() - started) / 1000;
}

export async function disconnectClients(drivers: DriverProcess[]): Promise<void> {
  await Promise.all(drivers.map((driver) => driver.request('disconnect')));
}

/**
 * Makes `count` writes with each writer, taking turns (so both servers see the
 * same moments of a noisy machine); after each write, waits until every
 * driver reports that all its clients of that server have the version (or
 * `waitMs` passed), then pauses `gapMs`. Returns, per writer, each client's
 * delay from the write's response to its change event; and the clients' counters.
 */
export async function timePushes(
  drivers: DriverProcess[],
  writers: PushWriter[],
  options: { count: number; gapMs: number; waitMs: number },
): Promise<{ timings: PushTiming[]; stats: ClientStats }> {
  const reachedBy = new Map<number, number>();
  const waiters = new Map<number, () => void>();
  const unsubscribe = drivers.map((driver) =>
    driver.onEvent((event) => {
      if (event.event !== 'reached') return;
      const { version } = event.data as { version: number };
      const reached = (reachedBy.get(version) ?? 0) + 1;
      reachedBy.set(version, reached);
      if (reached === drivers.length) waiters.get(version)?.();
    }),
  );
  const writes: TimedWrite[][] = writers.map(() => []);
  const timeouts = writers.map(() => 0);
  try {
    for (let index = 0; index < options.count; index += 1) {
      for (const [which, writer] of writers.entries()) {
        const written = await writer.write();
        writes[which]!.push(written);
        if ((reachedBy.get(written.version) ?? 0) < drivers.length) {
          const arrived = await new Promise<boolean>((resolve) => {
            const timer = setTimeout(() => resolve(false), options.waitMs);
            waiters.set(written.version, () => {
              clearTimeout(timer);
              resolve(true);
            });
          });
          waiters.delete(written.version);
          if (!arrived) timeouts[which]! += 1;
        }
        await sleep(options.gapMs);
      }
    }
  } finally {
    for (const stop of unsubscribe) stop();
  }
  const receipts = (await Promise.all(drivers.map((driver) => driver.request<VersionReceipts[]>('collect')))).flat();
  const perDriver = await Promise.all(drivers.map((driver) => driver.request<ClientStats>('stats')));
  const timesByVersion = new Map<number, number[]>();
  const bytesByVersion = new Map<number, number>();
  for (const receipt of receipts) {
    const times = timesByVersion.get(receipt.version) ?? [];
    times.push(...receipt.times);
    timesByVersion.set(receipt.version, times);
    if (receipt.frameBytes !== undefined) bytesByVersion.set(receipt.version, receipt.frameBytes);
  }
  const timings = writers.map((writer, which): PushTiming => {
    let missing = 0;
    const perWrite = writes[which]!.map((written) => {
      const times = timesByVersion.get(written.version) ?? [];
      missing += writer.clients - times.length;
      return {
        version: written.version,
        delays: times.map((time) => time - written.respondedAt),
        frameBytes: bytesByVersion.get(written.version),
      };
    });
    return { perWrite, missing, timeouts: timeouts[which]! };
  });
  const sum = (pick: (one: ClientStats) => number) => perDriver.reduce((total, one) => total + pick(one), 0);
  const stats: ClientStats = {
    clients: sum((one) => one.clients),
    gapsDetected: sum((one) => one.gapsDetected),
    duplicatesIgnored: sum((one) => one.duplicatesIgnored),
    syncs: sum((one) => one.syncs),
    outOfOrder: sum((one) => one.outOfOrder),
    laterSnapshots: sum((one) => one.laterSnapshots),
    connectRetries: sum((one) => one.connectRetries),
  };
  return { timings, stats };
}

/** A write through FlagShip's REST API: a flag's rollout set, the response's version and time. */
export function restWrite(apiUrl: string, adminSecret: string, flagKey: string, environment: string): () => Promise<TimedWrite> {
  let flip = false;
  return async () => {
    flip = !flip;
    const response = await fetch(`${apiUrl}/v1/flags/${encodeURIComponent(flagKey)}/environments/${environment}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${adminSecret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ rollout: flip ? 30 : 70 }),
    });
    const text = await response.text();
    const respondedAt = monotonicMs();
    if (!response.ok) throw new Error(`PATCH ${flagKey} answered ${response.status}: ${text.slice(0, 300)}`);
    return { version: (JSON.parse(text) as { version: number }).version, respondedAt };
  };
}

/** A write to the bare Socket.IO baseline server: it answers, then broadcasts the change. */
export function bareWrite(bareUrl: string): () => Promise<TimedWrite> {
  return async () => {
    const response = await fetch(`${bareUrl}/write`, { method: 'POST', body: '{}' });
    const text = await response.text();
    const respondedAt = monotonicMs();
    if (!response.ok) throw new Error(`bare write answered ${response.status}`);
    return { version: (JSON.parse(text) as { version: number }).version, respondedAt };
  };
}

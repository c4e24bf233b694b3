import { openFileLimit } from '../../shared/process-limits.js';
import type { BenchContext, Measure } from '../harness/context.js';
import { monotonicMs, sleep } from '../harness/clock.js';
import { residentBytes } from '../harness/flagship.js';
import { DriverProcess, startDrivers, stopAll } from '../harness/ipc.js';
import { checkSharedClock, connectClients, disconnectClients, restWrite, timePushes, type PushTiming, type TimedWrite } from '../harness/push-timing.js';
import type { MeasureResult } from '../harness/report.js';
import { formatNumber, percentile, summarize } from '../harness/stats.js';

/** The sockets to hold (issue 30); BENCH_CAPACITY_SOCKETS sets fewer for a quick rehearsal of the measure. */
const WANTED = Number(process.env.BENCH_CAPACITY_SOCKETS ?? 50_000);
/** A rehearsal may spread fewer sockets per notifier (BENCH_CAPACITY_PER_NOTIFIER) to try several notifiers cheaply. */
const PER_NOTIFIER = Number(process.env.BENCH_CAPACITY_PER_NOTIFIER ?? Number.POSITIVE_INFINITY);
/** Descriptors a process keeps for itself (PostgreSQL, Redis, its listening socket, Node's own): never handed to sockets. */
const RESERVED_DESCRIPTORS = 300;
/**
 * Client sockets per destination port at most: Linux picks a connection's
 * local port from ip_local_port_range (28,232 ports here) per destination
 * address and port, so one server port takes fewer than that from one
 * client address.
 */
const SOCKETS_PER_PORT = 25_000;
const WRITES = 10;
const MIB = 2 ** 20;
const BARE_VERSION_OFFSET = 2_000_000_000;

/** A process's open-file limit; where it cannot be read, no limit is assumed (the connects then say what stopped them). */
function fileLimitOf(pid: number): number {
  return openFileLimit(pid) ?? Number.POSITIVE_INFINITY;
}

interface Held {
  connectSeconds: number;
  /** The servers' resident memory added per 1,000 sockets (all server processes together). */
  rssPerThousandMiB: number;
  /** Each server process's resident memory with its sockets. */
  rssMiB: number[];
  /** Connections tried again after failing before their first sync, and why (the first few reasons). */
  retries: number;
  retryReasons: string[];
}

async function hold(drivers: DriverProcess[], clients: number, urls: string[], pids: number[], since: number, group: string, token: string, environment: string): Promise<Held> {
  await sleep(1000);
  const before = pids.map(residentBytes);
  const connectSeconds = await connectClients(drivers, clients, { url: urls[0]!, urls, token, environment, mode: 'wire', concurrency: 50, since, group, connectRetries: 10 });
  const retried = await Promise.all(drivers.map((driver) => driver.request<{ count: number; reasons: string[] }>('retries')));
  // Let the heap settle after the burst of handshakes before reading the resident size.
  await sleep(5000);
  const after = pids.map(residentBytes);
  const added = after.reduce((sum, value, index) => sum + value - before[index]!, 0);
  return {
    connectSeconds,
    rssPerThousandMiB: added / MIB / (clients / 1000),
    rssMiB: after.map((value) => value / MIB),
    retries: retried.reduce((sum, one) => sum + one.count, 0),
    retryReasons: [...new Set(retried.flatMap((one) => one.reasons))].slice(0, 3),
  };
}

function delays(timing: PushTiming) {
  const every = Float64Array.from(timing.perWrite.flatMap((one) => one.delays)).sort();
  const last = summarize(timing.perWrite.map((one) => Math.max(...one.delays)));
  return { p50: percentile(every, 0.5), p95: percentile(every, 0.95), p99: percentile(every, 0.99), count: every.length, last };
}

const describe = (timing: PushTiming) => {
  const { p50, p95, p99, last } = delays(timing);
  return `every socket: p50 ${formatNumber(p50)} ms, p95 ${formatNumber(p95)} ms, p99 ${formatNumber(p99)} ms; last socket: median ${formatNumber(last.median)} ms, worst ${formatNumber(last.max)} ms`;
};

/** One write to every bare server at once (each answers, then broadcasts to its sockets); timed from the last answer. */
function bareWriteAll(urls: string[]): () => Promise<TimedWrite> {
  return async () => {
    const versions = await Promise.all(
      urls.map(async (url) => {
        const response = await fetch(`${url}/write`, { method: 'POST', body: '{}' });
        const text = await response.text();
        if (!response.ok) throw new Error(`bare write answered ${response.status}`);
        return (JSON.parse(text) as { version: number }).version;
      }),
    );
    const respondedAt = monotonicMs();
    if (new Set(versions).size !== 1) throw new Error(`the bare servers disagree on the version: ${versions.join(', ')}`);
    return { version: versions[0]!, respondedAt };
  };
}

/**
 * Capacity (issue 30): 50,000 sockets on FlagShip's notifiers, then 50,000 on
 * as many bare Socket.IO servers, one set after the other in the same run.
 * A socket is a file descriptor, and a process here may open at most its
 * RLIMIT_NOFILE (20,000, hard; raising it needs CAP_SYS_RESOURCE, withheld
 * on this machine): so the sockets are spread over as many notifier
 * processes as that takes (the design runs N notifiers, each relaying every
 * change to its own sockets), and over several driver processes. Figures:
 * the time to connect them all (Socket.IO's protocol over `ws`, with
 * `since`), resident memory per 1,000 sockets (all server processes), and 10
 * writes each reaching every socket: each (socket, write) delay from the
 * write's response, p50/p95/p99, and the last socket's.
 * Opt-in (`--only=capacity`): it takes minutes and most of the machine.
 */
export const capacity: Measure = {
  id: 'capacity',
  title: `Capacity: ${formatNumber(WANTED, 0)} sockets`,
  async run(context: BenchContext): Promise<MeasureResult> {
    const { flagship, admin, environment, sdkSecret, flags } = context;
    const perServer = Math.min(fileLimitOf(flagship.pids.notifier) - RESERVED_DESCRIPTORS, SOCKETS_PER_PORT, PER_NOTIFIER);
    const servers = Math.ceil(WANTED / perServer);
    const perDriver = fileLimitOf(process.pid) - RESERVED_DESCRIPTORS;
    // One more driver than the descriptors need: each holds fewer sockets, so it keeps up with their pings on a busy machine.
    const driverCount = Math.ceil(WANTED / perDriver) + 1;
    context.log(`capacity: ${WANTED} sockets over ${servers} notifiers (at most ${perServer} each) and ${driverCount} driver processes`);

    const drivers = await startDrivers('capacity-clients', 'drivers/socket-clients.ts', driverCount);
    const bares: DriverProcess[] = [];
    try {
      await checkSharedClock(drivers);
      const notifiers = [{ url: flagship.notifierUrl, pid: flagship.pids.notifier }];
      while (notifiers.length < servers) notifiers.push(await flagship.addNotifier());
      for (let index = 0; index < servers; index += 1) bares.push(await DriverProcess.start(`bare-socket-server#${index + 1}`, 'drivers/bare-socket-server.ts'));
      const snapshot = await admin.clientSnapshot(sdkSecret);
      const bareUrls: string[] = [];
      for (const bare of bares) {
        const { port } = await bare.request<{ port: number }>('listen', { snapshot, flagKey: flags.pushed, versionOffset: BARE_VERSION_OFFSET });
        bareUrls.push(`http://127.0.0.1:${port}`);
      }
      const idleNotifierMiB = notifiers.map((one) => residentBytes(one.pid) / MIB);

      context.log(`capacity: ${WANTED} sockets on ${servers} notifiers`);
      const held = await hold(drivers, WANTED, notifiers.map((one) => one.url), notifiers.map((one) => one.pid), snapshot.version, 'flagship', sdkSecret, environment);
      context.log(`capacity: connected in ${formatNumber(held.connectSeconds)} s; ${WRITES} REST writes`);
      const ours = await timePushes(drivers, [{ write: restWrite(flagship.apiUrl, flagship.adminSecret, flags.pushed, environment), clients: WANTED }], {
        count: WRITES,
        gapMs: 1000,
        waitMs: 60_000,
      });
      await disconnectClients(drivers);
      // Let the servers see the closes before the next set connects.
      await sleep(5000);

      context.log(`capacity: ${WANTED} sockets on ${servers} bare Socket.IO servers`);
      const bareHeld = await hold(drivers, WANTED, bareUrls, bares.map((one) => one.pid), snapshot.version + BARE_VERSION_OFFSET, 'bare', sdkSecret, environment);
      context.log(`capacity: connected in ${formatNumber(bareHeld.connectSeconds)} s; ${WRITES} bare writes`);
      const theirs = await timePushes(drivers, [{ write: bareWriteAll(bareUrls), clients: WANTED }], { count: WRITES, gapMs: 1000, waitMs: 60_000 });

      const [flagshipTiming] = ours.timings as [PushTiming];
      const [bareTiming] = theirs.timings as [PushTiming];
      const ourDelays = delays(flagshipTiming);
      const bareDelays = delays(bareTiming);
      const complete = flagshipTiming.missing === 0 && flagshipTiming.timeouts === 0 && ours.stats.clients === WANTED;
      const perSocketKiB = (held.rssPerThousandMiB * 1024) / 1000;
      return {
        rows: [
          {
            measure: `Capacity: ${formatNumber(WANTED, 0)} sockets on ${servers} notifiers, one change to all`,
            figure: complete ? `held; ${describe(flagshipTiming)}` : `${flagshipTiming.missing} deliveries missing, ${flagshipTiming.timeouts} writes late; ${describe(flagshipTiming)}`,
            baseline: `${servers} bare Socket.IO servers: ${describe(bareTiming)}`,
            ratio: ourDelays.p50 / bareDelays.p50,
            target: `${formatNumber(WANTED, 0)} sockets, every change to every one`,
            met: complete,
          },
          {
            measure: `Capacity: connecting ${formatNumber(WANTED, 0)} sockets`,
            figure: `${formatNumber(held.connectSeconds)} s (${formatNumber(WANTED / held.connectSeconds, 0)} sockets/s, each a token check and a catch-up from \`since\`)`,
            baseline: `bare Socket.IO: ${formatNumber(bareHeld.connectSeconds)} s (${formatNumber(WANTED / bareHeld.connectSeconds, 0)} sockets/s)`,
            ratio: held.connectSeconds / bareHeld.connectSeconds,
            target: '—',
          },
          {
            measure: `Capacity: notifier memory per 1,000 sockets (${formatNumber(WANTED, 0)} held)`,
            figure: `${formatNumber(held.rssPerThousandMiB)} MiB RSS (${formatNumber(perSocketKiB)} KiB a socket; the notifiers ${held.rssMiB.map((value) => formatNumber(value, 0)).join(' + ')} MiB)`,
            baseline: `bare Socket.IO: ${formatNumber(bareHeld.rssPerThousandMiB)} MiB RSS (${bareHeld.rssMiB.map((value) => formatNumber(value, 0)).join(' + ')} MiB)`,
            ratio: held.rssPerThousandMiB / bareHeld.rssPerThousandMiB,
            target: '—',
          },
        ],
        notes: [
          `${formatNumber(WANTED, 0)} sockets on ${servers} notifier processes (${notifiers.map((_, index) => formatNumber(Math.floor(WANTED / servers) + (index < WANTED % servers ? 1 : 0), 0)).join(' + ')}), each on its own port, from ${driverCount} driver processes (${formatNumber(WANTED / driverCount, 0)} sockets each), 50 connecting at a time per driver. Why several: a socket is a file descriptor, and every process here may open at most ${fileLimitOf(flagship.pids.notifier)} (RLIMIT_NOFILE, soft and hard; raising it needs CAP_SYS_RESOURCE, which this machine withholds); and one client address takes at most ~28,000 sockets to one server port (the ephemeral port range). On a host that allows it, one notifier takes all of them: give it \`ulimit -n\` above its sockets plus ${RESERVED_DESCRIPTORS} — its memory and CPU per socket are the figures above.`,
          `Connections retried (as an SDK reconnects: 250 ms, 500 ms, … up to 10 times) after failing before their first sync: ${held.retries} on FlagShip${held.retryReasons.length > 0 ? ` (${held.retryReasons.join('; ')})` : ''}, ${bareHeld.retries} on the bare servers${bareHeld.retryReasons.length > 0 ? ` (${bareHeld.retryReasons.join('; ')})` : ''}.`,
          `Then the same ${formatNumber(WANTED, 0)} sockets on ${servers} bare Socket.IO servers (the same clients, after the first set closed): ${formatNumber(bareHeld.connectSeconds)} s to connect. Sockets: Socket.IO's protocol over a bare ws WebSocket, connecting with \`since\` (no snapshot).`,
          `${WRITES} REST writes 1 s apart, each reaching every socket through PostgreSQL, LISTEN and each notifier; each (socket, write) delay from the write's complete response to the socket's \`flags:change\` (${formatNumber(ourDelays.count, 0)} delays): FlagShip ${flagshipTiming.missing} missing, ${flagshipTiming.timeouts} writes not everywhere within 60 s, ${ours.stats.outOfOrder} changes out of order, ${ours.stats.laterSnapshots} later snapshots. Bare: one POST to each server at once (each answers, then io.emit), timed from the last answer; ${bareTiming.missing} missing.`,
          `Memory: each server process's VmRSS before connecting and 5 s after the last socket synced, the growth of all of them divided by ${WANTED / 1000}. The notifiers idle: ${idleNotifierMiB.map((value) => formatNumber(value, 0)).join(' + ')} MiB. One notifier holding all ${formatNumber(WANTED, 0)} would take about ${formatNumber((held.rssPerThousandMiB * WANTED) / 1000, 0)} MiB above idle.`,
        ],
      };
    } finally {
      await disconnectClients(drivers).catch(() => undefined);
      await stopAll(drivers);
      await stopAll(bares);
    }
  },
};

import type { BenchContext, Measure } from '../harness/context.js';
import { sleep } from '../harness/clock.js';
import { residentBytes } from '../harness/flagship.js';
import { DriverProcess } from '../harness/ipc.js';
import {
  bareWrite,
  checkSharedClock,
  connectClients,
  disconnectClients,
  restWrite,
  timePushes,
  type PushTiming,
} from '../harness/push-timing.js';
import type { MeasureResult } from '../harness/report.js';
import { formatNumber, summarize } from '../harness/stats.js';

const CLIENTS = 10_000;
const WRITES = 10;
const TARGET_LAST_MS = 300;
const MIB = 2 ** 20;

/** The bare server counts from here, so its versions never meet FlagShip's in the same drivers. */
const BARE_VERSION_OFFSET = 1_000_000_000;

interface FanOut {
  timing: PushTiming;
  /** Per write: when the last of the clients had it, ms after the write's response. */
  lastArrivals: number[];
  rssPerThousandMiB: number;
  connectSeconds: number;
}

interface Server {
  url: string;
  pid: number;
  /** The version the sockets already hold: they connect with it as `since`, so they are sent no snapshot. */
  since: number;
  group: string;
}

/** Connects CLIENTS sockets of `server`'s group and returns the server's resident memory per 1,000 of them, and how long connecting took. */
async function connectServer(drivers: DriverProcess[], server: Server, token: string, environment: string) {
  // Let the server's memory settle (a GC or two) before and after connecting.
  await sleep(1000);
  const before = residentBytes(server.pid);
  const connectSeconds = await connectClients(drivers, CLIENTS, {
    url: server.url,
    token,
    environment,
    mode: 'wire',
    concurrency: 50,
    since: server.since,
    group: server.group,
  });
  await sleep(2000);
  const after = residentBytes(server.pid);
  return { connectSeconds, rssPerThousandMiB: (after - before) / MIB / (CLIENTS / 1000) };
}

function fanOutOf(timing: PushTiming, connected: { connectSeconds: number; rssPerThousandMiB: number }): FanOut {
  return { timing, lastArrivals: timing.perWrite.map((one) => Math.max(...one.delays)), ...connected };
}

/** The size of the frame that carried each change, as the sockets received it (one figure when all were alike). */
function frameSizes(timing: PushTiming): string {
  const sizes = [...new Set(timing.perWrite.map((one) => one.frameBytes).filter((bytes) => bytes !== undefined))].sort((a, b) => a - b);
  if (sizes.length === 0) return 'unknown';
  return sizes.length === 1 ? `${sizes[0]} bytes` : `${sizes[0]}–${sizes[sizes.length - 1]} bytes`;
}

const describeLast = (run: FanOut) => {
  const last = summarize(run.lastArrivals);
  return `last client: median ${formatNumber(last.median)} ms, worst ${formatNumber(last.max)} ms`;
};

/**
 * Measure 3: 10,000 Socket.IO sockets (the drivers' 'wire' clients: the
 * protocol over ws) on one notifier, each connecting with `since` = the
 * current version (as a reconnecting client does: no snapshot, which keeps
 * connecting 10,000 of them within the bench's time), and 10,000 more on a
 * bare Socket.IO server broadcasting with io.emit, all in the same driver
 * processes; 10 writes to each, taking turns (so both see the same moments of
 * a noisy machine); per write, the time from the response until the last
 * socket has the change. Also each server's resident memory per 1,000
 * connected sockets.
 */
export const fanOutMeasure: Measure = {
  id: 'fanout',
  title: 'Fan-out to 10,000 sockets',
  async run(context: BenchContext): Promise<MeasureResult> {
    const { flagship, admin, environment, sdkSecret, flags } = context;
    const drivers = await context.socketDrivers();
    const bare = await DriverProcess.start('bare-socket-server', 'drivers/bare-socket-server.ts');
    try {
      await checkSharedClock(drivers);
      const snapshot = await admin.clientSnapshot(sdkSecret);
      const { port } = await bare.request<{ port: number }>('listen', { snapshot, flagKey: flags.pushed, versionOffset: BARE_VERSION_OFFSET });
      const bareUrl = `http://127.0.0.1:${port}`;

      context.log(`fanout: ${CLIENTS} sockets on the notifier`);
      const flagshipConnected = await connectServer(
        drivers,
        { url: flagship.notifierUrl, pid: flagship.pids.notifier, since: snapshot.version, group: 'flagship' },
        sdkSecret,
        environment,
      );
      context.log(`fanout: ${CLIENTS} sockets on a bare Socket.IO server`);
      const bareConnected = await connectServer(
        drivers,
        { url: bareUrl, pid: bare.pid, since: snapshot.version + BARE_VERSION_OFFSET, group: 'bare' },
        sdkSecret,
        environment,
      );
      context.log(`fanout: ${WRITES} REST writes and ${WRITES} bare writes, taking turns`);
      const { timings, stats } = await timePushes(
        drivers,
        [
          { write: restWrite(flagship.apiUrl, flagship.adminSecret, flags.pushed, environment), clients: CLIENTS },
          { write: bareWrite(bareUrl), clients: CLIENTS },
        ],
        { count: WRITES, gapMs: 200, waitMs: 10_000 },
      );
      const [flagshipTiming, bareTiming] = timings as [PushTiming, PushTiming];
      const flagshipRun = fanOutOf(flagshipTiming, flagshipConnected);
      const bareRun = fanOutOf(bareTiming, bareConnected);

      const worstLast = Math.max(...flagshipRun.lastArrivals);
      const complete = flagshipRun.timing.missing === 0 && flagshipRun.timing.timeouts === 0;
      const lastFigure = summarize(flagshipRun.lastArrivals);
      const lastBaseline = summarize(bareRun.lastArrivals);
      const firstArrival = (run: FanOut) => formatNumber(summarize(run.timing.perWrite.map((one) => Math.min(...one.delays))).median);
      return {
        rows: [
          {
            measure: `3. Fan-out: last of ${formatNumber(CLIENTS, 0)} sockets has the change`,
            figure: describeLast(flagshipRun),
            baseline: `bare Socket.IO broadcast: ${describeLast(bareRun)}`,
            ratio: lastFigure.median / lastBaseline.median,
            target: `≤ ${TARGET_LAST_MS} ms (worst of ${WRITES})`,
            met: worstLast <= TARGET_LAST_MS && complete,
          },
          {
            measure: '3. Notifier memory per 1,000 sockets',
            figure: `${formatNumber(flagshipRun.rssPerThousandMiB)} MiB RSS`,
            baseline: `bare Socket.IO: ${formatNumber(bareRun.rssPerThousandMiB)} MiB RSS`,
            ratio: flagshipRun.rssPerThousandMiB / bareRun.rssPerThousandMiB,
            target: '—',
          },
        ],
        notes: [
          `${WRITES} REST writes and ${WRITES} bare writes, taking turns, 200 ms apart; for each, the delay from its response to the last of the ${CLIENTS} sockets' \`flags:change\`; the ratio compares medians (lower is better). Every (socket, write) delay: ${(() => {
            const all = summarize(flagshipRun.timing.perWrite.flatMap((one) => one.delays));
            return `median ${formatNumber(all.median)} ms, p99 ${formatNumber(all.p99)} ms`;
          })()} on FlagShip. The first socket of each write had it after median ${firstArrival(flagshipRun)} ms (bare: ${firstArrival(bareRun)} ms).`,
          `Both servers send the same frames: WebSocket only, no perMessageDeflate; each change arrived as a ${frameSizes(flagshipRun.timing)} WebSocket message from FlagShip and ${frameSizes(bareRun.timing)} from the bare server (the same flag state; the bare server changes its version, rollout and updatedAt).`,
          `Sockets: Socket.IO's protocol spoken over a bare ws WebSocket (socket.io-client costs the driver several times the CPU per socket, and with 10,000 of them on 2 cores the drivers, not the server, would be measured), both sets connected at once in the same ${drivers.length} driver processes (${(2 * CLIENTS) / drivers.length} each), opened 50 at a time per driver: ${formatNumber(flagshipRun.connectSeconds)} s to connect all to the notifier (each a token check and a catch-up from \`since\` in PostgreSQL), ${formatNumber(bareRun.connectSeconds)} s to the bare server.`,
          `Memory: each server process's VmRSS before connecting its sockets and 2 s after the last one synced, divided by ${CLIENTS / 1000}; the bare server keeps the same snapshot only once, FlagShip keeps per socket its stream state.`,
          `FlagShip: ${flagshipRun.timing.missing} (socket, write) pairs missing, ${flagshipRun.timing.timeouts} writes not everywhere within 10 s; bare: ${bareRun.timing.missing} missing, ${bareRun.timing.timeouts} not everywhere. All ${stats.clients} sockets: ${stats.outOfOrder} changes out of order.`,
        ],
      };
    } finally {
      await disconnectClients(drivers).catch(() => undefined);
      await bare.stop();
    }
  },
};

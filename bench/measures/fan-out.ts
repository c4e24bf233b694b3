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
  type TimedWrite,
} from '../harness/push-timing.js';
import type { MeasureResult } from '../harness/report.js';
import { formatNumber, summarize } from '../harness/stats.js';

const CLIENTS = 10_000;
const WRITES = 10;
const TARGET_LAST_MS = 300;
const MIB = 2 ** 20;

interface FanOut {
  timing: PushTiming;
  outOfOrder: number;
  /** Per write: when the last of the clients had it, ms after the write's response. */
  lastArrivals: number[];
  rssPerThousandMiB: number;
  connectSeconds: number;
}

async function fanOut(
  drivers: DriverProcess[],
  url: string,
  token: string,
  environment: string,
  serverPid: number,
  since: number,
  write: () => Promise<TimedWrite>,
): Promise<FanOut> {
  // Let the server's memory settle (a GC or two) before and after connecting.
  await sleep(1000);
  const before = residentBytes(serverPid);
  const connectSeconds = await connectClients(drivers, CLIENTS, { url, token, environment, mode: 'wire', concurrency: 50, since });
  await sleep(2000);
  const after = residentBytes(serverPid);
  const { timings, stats } = await timePushes(drivers, [{ write, clients: CLIENTS }], { count: WRITES, gapMs: 200, waitMs: 10_000 });
  const timing = timings[0]!;
  await disconnectClients(drivers);
  return {
    timing,
    outOfOrder: stats.outOfOrder,
    lastArrivals: timing.perWrite.map((one) => Math.max(...one.delays)),
    rssPerThousandMiB: (after - before) / MIB / (CLIENTS / 1000),
    connectSeconds,
  };
}

const describeLast = (run: FanOut) => {
  const last = summarize(run.lastArrivals);
  return `last client: median ${formatNumber(last.median)} ms, worst ${formatNumber(last.max)} ms`;
};

/**
 * Measure 3: 10,000 Socket.IO sockets (the drivers' 'wire' clients: the protocol over ws) on one
 * notifier, each connecting with `since` = the current version (as a
 * reconnecting client does: no snapshot, which keeps connecting 10,000 of them
 * within the bench's time); 20 REST writes; per write, the time from the response until the
 * last socket has the change. Also the notifier's resident memory per 1,000
 * connected sockets. Baseline: the same sockets on a bare Socket.IO server
 * broadcasting with io.emit.
 */
export const fanOutMeasure: Measure = {
  id: 'fanout',
  title: 'Fan-out to 10,000 sockets',
  async run(context: BenchContext): Promise<MeasureResult> {
    const { flagship, admin, environment, sdkSecret, flags } = context;
    const drivers = await context.socketDrivers();
    let bare: DriverProcess | undefined;
    try {
      await checkSharedClock(drivers);
      context.log(`fanout: ${CLIENTS} sockets on the notifier`);
      const flagshipRun = await fanOut(
        drivers,
        flagship.notifierUrl,
        sdkSecret,
        environment,
        flagship.pids.notifier,
        (await admin.clientSnapshot(sdkSecret)).version,
        restWrite(flagship.apiUrl, flagship.adminSecret, flags.pushed, environment),
      );
      bare = await DriverProcess.start('bare-socket-server', 'drivers/bare-socket-server.ts');
      const snapshot = await admin.clientSnapshot(sdkSecret);
      const { port } = await bare.request<{ port: number }>('listen', { snapshot, flagKey: flags.pushed });
      const bareUrl = `http://127.0.0.1:${port}`;
      context.log(`fanout: ${CLIENTS} sockets on a bare Socket.IO server`);
      const bareRun = await fanOut(drivers, bareUrl, sdkSecret, environment, bare.pid, snapshot.version, bareWrite(bareUrl));

      const worstLast = Math.max(...flagshipRun.lastArrivals);
      const complete = flagshipRun.timing.missing === 0 && flagshipRun.timing.timeouts === 0;
      const lastFigure = summarize(flagshipRun.lastArrivals);
      const lastBaseline = summarize(bareRun.lastArrivals);
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
          `${WRITES} REST writes 200 ms apart; for each, the delay from its response to the last of the ${CLIENTS} sockets' \`flags:change\`; the ratio compares medians (lower is better). Every (socket, write) delay: ${(() => {
            const all = summarize(flagshipRun.timing.perWrite.flatMap((one) => one.delays));
            return `median ${formatNumber(all.median)} ms, p99 ${formatNumber(all.p99)} ms`;
          })()} on FlagShip. The first socket of each write had it after median ${formatNumber(summarize(flagshipRun.timing.perWrite.map((one) => Math.min(...one.delays))).median)} ms (bare: ${formatNumber(summarize(bareRun.timing.perWrite.map((one) => Math.min(...one.delays))).median)} ms).`,
          `Sockets: Socket.IO's protocol spoken over a bare ws WebSocket (socket.io-client costs the driver several times the CPU per socket, and with 10,000 of them on 2 cores the drivers, not the server, would be measured), spread over ${drivers.length} driver processes, opened 50 at a time per driver: ${formatNumber(flagshipRun.connectSeconds)} s to connect all to the notifier (each a token check and a catch-up from \`since\` in PostgreSQL), ${formatNumber(bareRun.connectSeconds)} s to the bare server.`,
          `Memory: the server process's VmRSS before connecting and 2 s after the last socket synced, divided by ${CLIENTS / 1000}; the bare server keeps the same snapshot only once, FlagShip keeps per socket its stream state.`,
          `FlagShip: ${flagshipRun.timing.missing} (socket, write) pairs missing, ${flagshipRun.timing.timeouts} writes not everywhere within 10 s, ${flagshipRun.outOfOrder} out of order; bare: ${bareRun.timing.missing} missing.`,
        ],
      };
    } finally {
      await bare?.stop();
      await disconnectClients(drivers).catch(() => undefined);
    }
  },
};

import type { BenchContext, Measure } from '../harness/context.js';
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
import { formatNumber, summarize, type Summary } from '../harness/stats.js';

const CLIENTS = 1000;
const WRITES = 200;
const TARGET_P99_MS = 15;
/** The bare server counts from here, so its versions never meet FlagShip's in the same drivers. */
const BARE_VERSION_OFFSET = 1_000_000_000;

const describe = (summary: Summary) =>
  `median ${formatNumber(summary.median)} ms, p99 ${formatNumber(summary.p99)} ms, max ${formatNumber(summary.max)} ms`;

/** Per write, the first client's delay: what the server and one client cost, before the drivers' queueing spreads the rest. */
function firstArrivals(timing: PushTiming): Summary {
  return summarize(timing.perWrite.map((write) => Math.min(...write.delays)));
}

function checks(label: string, timing: PushTiming): string {
  return `${label}: ${timing.perWrite.length} writes, ${timing.missing} (client, write) pairs missing, ${timing.timeouts} writes not everywhere within the wait.`;
}

/**
 * Measure 2: 1,000 clients of the repo's SDK (FlagShipClient) on the notifier
 * and 1,000 more on a bare Socket.IO server (answers a POST, then io.emit),
 * all in the same driver processes; 200 writes to each, taking turns; for each
 * client and write, the time from the write's response (in the runner) to the
 * client's `change` event (in its driver), on the machine's shared monotonic clock.
 */
export const propagation: Measure = {
  id: 'push',
  title: 'Propagation to 1,000 SDK clients',
  async run(context: BenchContext): Promise<MeasureResult> {
    const { flagship, admin, environment, sdkSecret, flags } = context;
    const drivers = await context.socketDrivers();
    const bare = await DriverProcess.start('bare-socket-server', 'drivers/bare-socket-server.ts');
    try {
      await checkSharedClock(drivers);
      const snapshot = await admin.clientSnapshot(sdkSecret);
      const { port } = await bare.request<{ port: number }>('listen', { snapshot, flagKey: flags.pushed, versionOffset: BARE_VERSION_OFFSET });
      const bareUrl = `http://127.0.0.1:${port}`;
      const connectArgs = { token: sdkSecret, environment, mode: 'sdk' as const, concurrency: 25 };

      context.log(`push: connecting ${CLIENTS} SDK clients to the notifier and ${CLIENTS} to a bare Socket.IO server`);
      const connectSeconds = await connectClients(drivers, CLIENTS, { ...connectArgs, url: flagship.notifierUrl, group: 'flagship' });
      const bareConnectSeconds = await connectClients(drivers, CLIENTS, { ...connectArgs, url: bareUrl, group: 'bare' });
      context.log(`push: ${WRITES} REST writes and ${WRITES} bare writes, taking turns`);
      const { timings, stats } = await timePushes(
        drivers,
        [
          { write: restWrite(flagship.apiUrl, flagship.adminSecret, flags.pushed, environment), clients: CLIENTS },
          { write: bareWrite(bareUrl), clients: CLIENTS },
        ],
        { count: WRITES, gapMs: 10, waitMs: 5000 },
      );
      const [flagshipTiming, bareTiming] = timings as [PushTiming, PushTiming];

      const figure = summarize(flagshipTiming.perWrite.flatMap((write) => write.delays));
      const baseline = summarize(bareTiming.perWrite.flatMap((write) => write.delays));
      const complete = flagshipTiming.missing === 0 && flagshipTiming.timeouts === 0;
      return {
        rows: [
          {
            measure: `2. Propagation, ${formatNumber(CLIENTS, 0)} SDK clients, ${WRITES} writes`,
            figure: describe(figure),
            baseline: `bare Socket.IO broadcast: ${describe(baseline)}`,
            ratio: figure.p99 / baseline.p99,
            target: `p99 ≤ ${TARGET_P99_MS} ms`,
            met: figure.p99 <= TARGET_P99_MS && complete,
          },
        ],
        notes: [
          `From the write's complete response (runner) to each client's \`change\` event (driver), ${figure.count} samples each; the ratio is FlagShip's p99 over the baseline's (lower is better). A negative delay means the change reached the client before the write's response reached the writer.`,
          `Both sets of clients stay connected in the same ${drivers.length} driver processes (${(2 * CLIENTS) / drivers.length} each) and the writes alternate, FlagShip then bare, so both see the same moments of the machine. Each write waits until every client of its server has it, then 10 ms. The drivers' clock was checked to be the runner's (CLOCK_MONOTONIC is system-wide on Linux).`,
          `The first client of each write got it after median ${formatNumber(firstArrivals(flagshipTiming).median)} ms on FlagShip and ${formatNumber(firstArrivals(bareTiming).median)} ms on the bare server: the rest of the spread is the clients' own work (socket.io-client, the SDK's parsing and checks) queueing in their driver processes on the same 2 cores.`,
          `Connecting took ${formatNumber(connectSeconds)} s on FlagShip (a token check and a snapshot each) and ${formatNumber(bareConnectSeconds)} s on the bare server.`,
          `${checks('FlagShip', flagshipTiming)} ${checks('Bare server', bareTiming)} All ${stats.clients} clients: ${stats.gapsDetected} gaps detected, ${stats.duplicatesIgnored} duplicates ignored, ${stats.outOfOrder} out of order, ${stats.laterSnapshots} resyncs by snapshot.`,
        ],
      };
    } finally {
      await disconnectClients(drivers).catch(() => undefined);
      await bare.stop();
    }
  },
};

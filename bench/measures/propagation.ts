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

const describe = (summary: Summary) =>
  `median ${formatNumber(summary.median)} ms, p99 ${formatNumber(summary.p99)} ms, max ${formatNumber(summary.max)} ms`;

/** Per write, the first client's delay: what the server and one client cost, before the drivers' queueing spreads the rest. */
function firstArrivals(timing: PushTiming): Summary {
  return summarize(timing.perWrite.map((write) => Math.min(...write.delays)));
}

function checks(label: string, timing: PushTiming): string {
  const { stats } = timing;
  return `${label}: ${stats.clients} clients, ${timing.perWrite.length} writes, ${timing.missing} (client, write) pairs missing, ${timing.timeouts} writes not everywhere within the wait; gaps detected ${stats.gapsDetected}, duplicates ignored ${stats.duplicatesIgnored}, out of order ${stats.outOfOrder}, resyncs by snapshot ${stats.laterSnapshots}.`;
}

/**
 * Measure 2: 1,000 clients of the repo's SDK (FlagShipClient) in 4 driver
 * processes; 200 REST writes one after another; for each client and write,
 * the time from the write's response (in the runner) to the client's
 * `change` event (in its driver), on the machine's shared monotonic clock.
 * Baseline: the same 1,000 SDK clients on a bare Socket.IO server that
 * answers a POST and broadcasts the change with io.emit.
 */
export const propagation: Measure = {
  id: 'push',
  title: 'Propagation to 1,000 SDK clients',
  async run(context: BenchContext): Promise<MeasureResult> {
    const { flagship, admin, environment, sdkSecret, flags } = context;
    const drivers = await context.socketDrivers();
    let bare: DriverProcess | undefined;
    try {
      await checkSharedClock(drivers);
      const connectArgs = { token: sdkSecret, environment, mode: 'sdk' as const, concurrency: 25 };
      const plan = { count: WRITES, gapMs: 10, waitMs: 5000 };

      context.log(`push: connecting ${CLIENTS} SDK clients to the notifier`);
      const connectSeconds = await connectClients(drivers, CLIENTS, { ...connectArgs, url: flagship.notifierUrl });
      context.log(`push: ${WRITES} REST writes`);
      const flagshipTiming = await timePushes(drivers, restWrite(flagship.apiUrl, flagship.adminSecret, flags.pushed, environment), plan);
      await disconnectClients(drivers);

      bare = await DriverProcess.start('bare-socket-server', 'drivers/bare-socket-server.ts');
      const snapshot = await admin.clientSnapshot(sdkSecret);
      const { port } = await bare.request<{ port: number }>('listen', { snapshot, flagKey: flags.pushed });
      const bareUrl = `http://127.0.0.1:${port}`;
      context.log(`push: the same clients on a bare Socket.IO server`);
      const bareConnectSeconds = await connectClients(drivers, CLIENTS, { ...connectArgs, url: bareUrl });
      const bareTiming = await timePushes(drivers, bareWrite(bareUrl), plan);
      await disconnectClients(drivers);

      const figure = summarize(flagshipTiming.perWrite.flatMap((write) => write.delays));
      const baseline = summarize(bareTiming.perWrite.flatMap((write) => write.delays));
      const complete = flagshipTiming.missing === 0 && flagshipTiming.timeouts === 0;
      return {
        rows: [
          {
            measure: `2. Propagation, ${CLIENTS} SDK clients, ${WRITES} writes`,
            figure: describe(figure),
            baseline: `bare Socket.IO broadcast: ${describe(baseline)}`,
            ratio: figure.p99 / baseline.p99,
            target: `p99 ≤ ${TARGET_P99_MS} ms`,
            met: figure.p99 <= TARGET_P99_MS && complete,
          },
        ],
        notes: [
          `From the REST write's complete response (runner) to each client's \`change\` event (driver), ${figure.count} samples; the ratio is FlagShip's p99 over the baseline's (lower is better). A negative delay means the change reached the client before the write's response reached the writer.`,
          `Clients spread over ${drivers.length} driver processes (${CLIENTS / drivers.length} each); their clock was checked to be the runner's (CLOCK_MONOTONIC is system-wide on Linux). Each write waits until every client has it, then 10 ms, so writes do not overlap.`,
          `The first client of each write got it after median ${formatNumber(firstArrivals(flagshipTiming).median)} ms on FlagShip and ${formatNumber(firstArrivals(bareTiming).median)} ms on the bare server: the rest of the spread is the ${CLIENTS} clients' own work (socket.io-client and the SDK's parsing and checks) queueing in their driver processes on the same 2 cores.`,
          `Connecting took ${formatNumber(connectSeconds)} s on FlagShip and ${formatNumber(bareConnectSeconds)} s on the bare server.`,
          checks('FlagShip', flagshipTiming),
          checks('Bare server', bareTiming),
        ],
      };
    } finally {
      await bare?.stop();
      await disconnectClients(drivers).catch(() => undefined);
    }
  },
};

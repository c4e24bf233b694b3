import http from 'node:http';
import pg from 'pg';
import type { VersionReceipts } from '../drivers/socket-clients.js';
import type { BenchContext, Measure } from '../harness/context.js';
import { monotonicMs, sleep } from '../harness/clock.js';
import type { DriverProcess } from '../harness/ipc.js';
import { connectClients, disconnectClients } from '../harness/push-timing.js';
import type { MeasureResult } from '../harness/report.js';
import { formatNumber } from '../harness/stats.js';
import { backendPids, cpuDuring } from '../harness/cpu-time.js';

const ADMINS = 8;
const SECONDS = 10;
/** Unmeasured writes first, so both runs start with their connections open and their code warm. */
const WARM_UP_SECONDS = 1;

interface WriteRun {
  versions: number[];
  seconds: number;
  perSecond: number;
}

/** `ADMINS` loops, each writing its own flag for `SECONDS`; every write's new version. */
async function runWriters(write: (admin: number) => Promise<number>, forSeconds = SECONDS): Promise<WriteRun> {
  const versions: number[] = [];
  const started = monotonicMs();
  const deadline = started + forSeconds * 1000;
  await Promise.all(
    Array.from({ length: ADMINS }, async (_, admin) => {
      while (monotonicMs() < deadline) versions.push(await write(admin));
    }),
  );
  const seconds = (monotonicMs() - started) / 1000;
  return { versions, seconds, perSecond: versions.length / seconds };
}

interface Delivery {
  /** Written versions the client never got. */
  missing: number;
  /** Versions the client got more than once. */
  repeated: number;
  /** Versions the client got that nobody here wrote. */
  unexpected: number;
}

/** Waits for the watching client to have the newest written version, then compares what it got with what was written. */
async function checkDelivery(driver: DriverProcess, written: number[]): Promise<Delivery> {
  const newest = Math.max(...written);
  const got = new Map<number, number>();
  const deadline = Date.now() + 15_000;
  for (;;) {
    for (const receipt of await driver.request<VersionReceipts[]>('collect')) {
      got.set(receipt.version, (got.get(receipt.version) ?? 0) + receipt.times.length);
    }
    if (got.has(newest) || Date.now() > deadline) break;
    await sleep(100);
  }
  const expected = new Set(written);
  return {
    missing: written.filter((version) => !got.has(version)).length,
    repeated: [...got.values()].filter((count) => count > 1).length,
    unexpected: [...got.keys()].filter((version) => !expected.has(version)).length,
  };
}

/**
 * PATCHes one state with node:http on kept-alive sockets, answering its new
 * version. Not the AdminClient's fetch: undici spent about 2.3 ms of CPU per
 * request here, against 0.4 ms for pg's client in the baseline, on the cores
 * the API and PostgreSQL share; the measure is of the server's write path.
 */
function patchState(agent: http.Agent, apiUrl: string, secret: string, path: string, change: object): Promise<number> {
  const body = JSON.stringify(change);
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${apiUrl}${path}`,
      {
        method: 'PATCH',
        agent,
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => {
          if (response.statusCode !== 200) reject(new Error(`PATCH ${path} answered ${response.statusCode}: ${text.slice(0, 500)}`));
          else resolve((JSON.parse(text) as { version: number }).version);
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

const consecutive = (versions: number[]) => {
  const sorted = [...versions].sort((a, b) => a - b);
  return sorted.every((version, index) => index === 0 || version === sorted[index - 1]! + 1);
};

/**
 * Measure 5: flag changes per second through REST (auth, validation, a
 * transaction with the version, event and NOTIFY triggers) from 8 concurrent
 * admins, each on its own flag, while one SDK client watches: every change
 * must reach it, once. Baseline: the bare `update flag_state …` of the same
 * rows through pg (8 connections; the same triggers fire).
 */
export const writePath: Measure = {
  id: 'write',
  title: 'Write path',
  async run(context: BenchContext): Promise<MeasureResult> {
    const { flagship, environment, sdkSecret, flags, isolation } = context;
    const [watcher] = await context.socketDrivers();
    if (!watcher) throw new Error('no socket-client driver');
    await connectClients([watcher], 1, { url: flagship.notifierUrl, token: sdkSecret, environment, mode: 'sdk', concurrency: 1 });
    const pool = new pg.Pool({ connectionString: isolation.databaseUrl, max: ADMINS });
    const agent = new http.Agent({ keepAlive: true, maxSockets: ADMINS });
    try {
      // Each admin's flag goes back and forth between two rollouts, across the warm-up and the run, so every PATCH changes something.
      const writes = new Array<number>(ADMINS).fill(0);
      const nextRollout = (index: number) => {
        writes[index] = writes[index]! + 1;
        return writes[index] % 2 === 1 ? 25 : 75;
      };
      const writeOverRest = (index: number) =>
        patchState(agent, flagship.apiUrl, flagship.adminSecret, `/v1/flags/${encodeURIComponent(flags.written[index]!)}/environments/${environment}`, {
          rollout: nextRollout(index),
        });
      const { rows: ids } = await pool.query<{ id: string; key: string }>(`select id, key from flag where key = any($1)`, [flags.written]);
      const idOf = new Map(ids.map((row) => [row.key, row.id]));
      const writeBare = async (index: number) => {
        const { rows } = await pool.query<{ version: string }>(
          // What PATCH { rollout } writes on a simple state: the one flexibleRollout strategy's rollout parameter.
          `update flag_state set strategies = jsonb_set(strategies, '{0,parameters,rollout}', to_jsonb($1::text))
            where flag_id = $2 and environment_key = $3 returning version`,
          [String(nextRollout(index)), idOf.get(flags.written[index]!), environment],
        );
        // bigint arrives as a string from a pool without FlagShip's type parsers.
        return Number(rows[0]!.version);
      };
      // Where each run spends its CPU: the processes on this machine that do the work.
      const measured = async (label: string, write: (admin: number) => Promise<number>) => {
        await checkDelivery(watcher, (await runWriters(write, WARM_UP_SECONDS)).versions);
        context.log(`write: ${ADMINS} ${label} for ${SECONDS} s`);
        const pids = {
          api: [flagship.pids.api],
          notifier: [flagship.pids.notifier],
          runner: [process.pid],
          database: await backendPids(pool, isolation.databaseName),
        };
        const { result, cpuMs } = await cpuDuring(pids, () => runWriters(write));
        return { run: result, delivery: await checkDelivery(watcher, result.versions), cpuMs };
      };
      const cpuPerChange = ({ run, cpuMs }: { run: WriteRun; cpuMs: Record<string, number> }) =>
        Object.entries(cpuMs)
          .map(([name, ms]) => `${name} ${formatNumber(ms / run.versions.length, 2)}`)
          .join(', ');

      await watcher.request('collect');
      const restRun = await measured('admins over REST', writeOverRest);
      const bareRun = await measured('bare pg updates', writeBare);
      const { run: rest, delivery: restDelivery } = restRun;
      const { run: bare, delivery: bareDelivery } = bareRun;
      const stats = await watcher.request<{ gapsDetected: number; outOfOrder: number; laterSnapshots: number }>('stats');

      const delivered = (run: WriteRun, delivery: Delivery) =>
        `${run.versions.length - delivery.missing}/${run.versions.length} delivered once each (${delivery.repeated} repeated, ${delivery.unexpected} unexpected)`;
      const allDelivered = restDelivery.missing === 0 && restDelivery.repeated === 0 && consecutive(rest.versions);
      return {
        rows: [
          {
            measure: `5. Write path, ${ADMINS} concurrent admins over REST`,
            figure: `${formatNumber(rest.perSecond, 0)} changes/s`,
            baseline: `bare pg update (same triggers): ${formatNumber(bare.perSecond, 0)} changes/s`,
            ratio: rest.perSecond / bare.perSecond,
            target: 'every change reaches a client',
            met: allDelivered,
          },
        ],
        notes: [
          `REST: ${rest.versions.length} PATCHes in ${formatNumber(rest.seconds)} s, versions ${consecutive(rest.versions) ? 'consecutive' : 'NOT consecutive'}; the watching SDK client: ${delivered(rest, restDelivery)}.`,
          `Bare pg: ${bare.versions.length} updates in ${formatNumber(bare.seconds)} s (one statement each, autocommit, the version/event/NOTIFY triggers fire as for REST); the client: ${delivered(bare, bareDelivery)}.`,
          `CPU ms per change (from /proc; 10 ms resolution over the run), REST: ${cpuPerChange(restRun)}; bare: ${cpuPerChange(bareRun)}. The database's figure is its backends of this run (the API's pool, the bench's, the notifier's listener).`,
          `The watching client over both runs: ${stats.gapsDetected} gaps detected, ${stats.outOfOrder} out of order, ${stats.laterSnapshots} resyncs by snapshot. All writes serialise on the environment row's lock (gap-free versions), so more admins do not mean more changes per second.`,
        ],
      };
    } finally {
      agent.destroy();
      await pool.end();
      await disconnectClients([watcher]).catch(() => undefined);
    }
  },
};

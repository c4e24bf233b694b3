import type { FrameCounts } from '../drivers/socket-clients.js';
import { monotonicMs, sleep } from '../harness/clock.js';
import type { BenchContext, Measure } from '../harness/context.js';
import { captureResponse, describeHttpLoad, loadRoute, SECONDS, timeAlone, WARM_UP_SECONDS, type HttpLoad, type HttpTarget } from '../harness/http-load.js';
import { DriverProcess } from '../harness/ipc.js';
import { checkSharedClock, connectClients, disconnectClients, timePushes, type TimedWrite } from '../harness/push-timing.js';
import type { MeasureResult, ResultRow } from '../harness/report.js';
import { SCALE_ENVIRONMENT, SCALE_FLAG_COUNT, seedScaleEnvironment } from '../harness/scale-seed.js';
import { formatNumber, summarize } from '../harness/stats.js';
import { targetedUsers } from '../harness/targeting.js';

const SOCKETS = 10_000;
/**
 * Fewer than measure 1's 50: with answers of megabytes (or one evaluation of 10,000
 * flags each), 50 requests at once queue past any timeout and the run counts errors.
 */
const CONNECTIONS = 8;
const TIMEOUT_SECONDS = 30;
const WRITES = 3;
const KIB = 1024;
const MIB = 2 ** 20;

export const describeBytes = (bytes: number) => (bytes >= MIB ? `${formatNumber(bytes / MIB, 2)} MiB` : bytes >= KIB ? `${formatNumber(bytes / KIB, 1)} KiB` : `${bytes} B`);

interface Served {
  load: HttpLoad;
  bare: HttpLoad;
  bytes: number;
  /** One request alone, ms (median of 5). */
  aloneMs: number;
}

export async function measureBesideBare(context: BenchContext, label: string, target: HttpTarget): Promise<Served> {
  const canned = await captureResponse(context.flagship.apiUrl, target);
  const bare = await DriverProcess.start('bare-http-server', 'drivers/bare-http-server.ts');
  try {
    const { port } = await bare.request<{ port: number }>('listen', { responses: [canned] });
    const options = { connections: CONNECTIONS, timeoutSeconds: TIMEOUT_SECONDS };
    const aloneMs = await timeAlone(context.flagship.apiUrl, target);
    context.log(`scale: ${label} on FlagShip (one alone: ${formatNumber(aloneMs)} ms)`);
    const load = await loadRoute(context.flagship.apiUrl, target, options);
    context.log(`scale: ${label} on the bare server`);
    const bareLoad = await loadRoute(`http://127.0.0.1:${port}`, target, options);
    return { load, bare: bareLoad, bytes: Buffer.byteLength(canned.body), aloneMs };
  } finally {
    await bare.stop();
  }
}

export function servedRow(measure: string, served: Served): ResultRow {
  const throughput = (load: HttpLoad) => `${describeHttpLoad(load)}, ${formatNumber((load.requestsPerSecond * served.bytes) / MIB, 0)} MiB/s`;
  return {
    measure,
    figure: throughput(served.load),
    baseline: `bare node:http, same ${describeBytes(served.bytes)}: ${throughput(served.bare)}`,
    ratio: served.load.requestsPerSecond / served.bare.requestsPerSecond,
    target: 'reported',
    met: served.load.bad === 0 ? undefined : false,
  };
}

const sumFrames = (counts: FrameCounts[]) =>
  counts.reduce<FrameCounts>((total, one) => {
    for (const [kind, { frames, bytes }] of Object.entries(one)) {
      const sum = (total[kind] ??= { frames: 0, bytes: 0 });
      sum.frames += frames;
      sum.bytes += bytes;
    }
    return total;
  }, {});

const framesOf = (drivers: DriverProcess[]) => Promise.all(drivers.map((driver) => driver.request<FrameCounts>('frames'))).then(sumFrames);

/** Flips the flag's `enabled` over REST: the change carries the flag's whole state (its rules), never the environment. */
function toggleWrite(context: BenchContext, key: string, environment: string): () => Promise<TimedWrite> {
  let enabled = false;
  return async () => {
    enabled = !enabled;
    const response = await fetch(`${context.flagship.apiUrl}/v1/flags/${encodeURIComponent(key)}/environments/${environment}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${context.flagship.adminSecret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ enabled }),
    });
    const text = await response.text();
    const respondedAt = monotonicMs();
    if (!response.ok) throw new Error(`PATCH ${key} answered ${response.status}: ${text.slice(0, 300)}`);
    return { version: (JSON.parse(text) as { version: number }).version, respondedAt };
  };
}

/**
 * 10,000 flags with rules in an environment of their own: the snapshot read and
 * evaluation of all of them over HTTP (each beside a bare server sending the same
 * bytes), and what one change costs each of 10,000 sockets: the change, never the snapshot.
 */
export const scale: Measure = {
  id: 'scale',
  title: `Scale: ${formatNumber(SCALE_FLAG_COUNT, 0)} flags with rules`,
  async run(context: BenchContext): Promise<MeasureResult> {
    const { admin, flagship } = context;
    context.log(`scale: seeding ${SCALE_FLAG_COUNT} flags in ${SCALE_ENVIRONMENT}`);
    const seed = await seedScaleEnvironment(admin, context.log);
    const sdkSecret = await admin.createSdkToken(SCALE_ENVIRONMENT, 'bench-scale');
    const snapshot = await admin.clientSnapshot(sdkSecret);
    // The bench's 100 flags have a (disabled) state here too: every flag has one in every environment.
    if (snapshot.flags.length < SCALE_FLAG_COUNT) throw new Error(`the scale snapshot has ${snapshot.flags.length} flags, not ${SCALE_FLAG_COUNT}`);

    const read = await measureBesideBare(context, `GET /v1/client/flags (${SCALE_FLAG_COUNT} flags)`, {
      method: 'GET',
      path: '/v1/client/flags',
      headers: { authorization: `Bearer ${sdkSecret}` },
      status: 200,
    });
    const user = targetedUsers(1)[0]!;
    // A new targeting key on every request: each answer is computed (a repeated context would be served its kept answer).
    const evaluateBody = JSON.stringify({ context: { targetingKey: `${user.userId}-[<id>]`, email: user.email, appVersion: user.appVersion, plan: user.plan, country: user.country } });
    const evaluate = await measureBesideBare(context, `POST /v1/client/evaluate (${SCALE_FLAG_COUNT} flags)`, {
      method: 'POST',
      path: '/v1/client/evaluate',
      headers: { authorization: `Bearer ${sdkSecret}` },
      body: evaluateBody,
      uniqueIds: true,
      status: 200,
    });

    const drivers = await context.socketDrivers();
    let socketNotes: string[];
    let socketRow: ResultRow;
    try {
      await checkSharedClock(drivers);
      await framesOf(drivers);
      // One socket without `since`: what a first connection is sent (the snapshot), to compare with a change.
      context.log('scale: one socket without since (it is sent the snapshot)');
      await connectClients(drivers.slice(0, 1), 1, { url: flagship.notifierUrl, token: sdkSecret, environment: SCALE_ENVIRONMENT, mode: 'wire', concurrency: 1 });
      const first = await framesOf(drivers);
      await disconnectClients(drivers);
      const snapshotFrame = first['flags:snapshot'];
      if (!snapshotFrame || snapshotFrame.frames !== 1) throw new Error(`a socket without since got ${snapshotFrame?.frames ?? 0} snapshots, not 1`);

      context.log(`scale: ${SOCKETS} sockets with since on ${SCALE_ENVIRONMENT}`);
      const since = (await admin.clientSnapshot(sdkSecret)).version;
      const connectSeconds = await connectClients(drivers, SOCKETS, { url: flagship.notifierUrl, token: sdkSecret, environment: SCALE_ENVIRONMENT, mode: 'wire', concurrency: 50, since });
      await sleep(1000);
      const atConnect = await framesOf(drivers);
      context.log(`scale: ${WRITES} changes to ${SOCKETS} sockets`);
      const { timings, stats } = await timePushes(drivers, [{ write: toggleWrite(context, seed.changedKey, SCALE_ENVIRONMENT), clients: SOCKETS }], {
        count: WRITES,
        gapMs: 500,
        waitMs: 20_000,
      });
      await sleep(500);
      const afterChanges = await framesOf(drivers);
      const timing = timings[0]!;
      const received = timing.perWrite.reduce((sum, write) => sum + write.delays.length, 0);
      const change = afterChanges['flags:change'] ?? { frames: 0, bytes: 0 };
      const snapshots = afterChanges['flags:snapshot']?.frames ?? 0;
      const otherBytes = Object.entries(afterChanges)
        .filter(([kind]) => kind !== 'flags:change')
        .reduce((sum, [, count]) => sum + count.bytes, 0);
      const perSocketPerChange = (change.bytes + otherBytes) / (SOCKETS * WRITES);
      const complete = timing.missing === 0 && timing.timeouts === 0 && change.frames === SOCKETS * WRITES;
      socketRow = {
        measure: `S3. One change to ${formatNumber(SOCKETS, 0)} sockets (${formatNumber(SCALE_FLAG_COUNT, 0)} flags): bytes per socket`,
        figure: `${describeBytes(Math.round(perSocketPerChange))} per socket per change (${snapshots} snapshots), 1/${formatNumber(snapshotFrame.bytes / perSocketPerChange, 0)} of the snapshot`,
        baseline: `the snapshot a new socket gets: ${describeBytes(snapshotFrame.bytes)}`,
        // Four orders of magnitude: the ratio column (2 decimals) would read 0.00×; the figure says it.
        ratio: undefined,
        target: 'the change, never the snapshot',
        met: complete && snapshots === 0 && perSocketPerChange * 100 < snapshotFrame.bytes,
      };
      const last = summarize(timing.perWrite.map((write) => Math.max(...write.delays)));
      socketNotes = [
        `S3: ${SOCKETS} sockets (Socket.IO's protocol over ws, as in measure 3, in ${drivers.length} driver processes) connected to ${SCALE_ENVIRONMENT} with since = its version (${formatNumber(connectSeconds)} s; they were sent ${atConnect['flags:snapshot']?.frames ?? 0} snapshots and ${atConnect['flags:change']?.frames ?? 0} changes while connecting), then ${WRITES} PATCHes of ${seed.changedKey}'s enabled (a flag with 3 constraints, the segment and 3 variants). The drivers counted every WebSocket message's payload after the connections settled: ${change.frames} flags:change messages (${describeBytes(change.bytes)}, ${formatNumber(change.bytes / Math.max(1, change.frames), 0)} bytes each), ${snapshots} flags:snapshot, ${describeBytes(otherBytes)} of anything else (pings); a socket without since was sent one flags:snapshot message of ${formatNumber(snapshotFrame.bytes, 0)} bytes. Payload bytes: WebSocket frame headers (2–10 bytes each) not counted; no compression (the drivers offer no permessage-deflate).`,
          `S3 delivery: ${received} of ${SOCKETS * WRITES} (socket, change) pairs, ${timing.missing} missing, ${stats.outOfOrder} out of order, ${stats.laterSnapshots} resyncs by snapshot; last socket had each change after median ${formatNumber(last.median)} ms, worst ${formatNumber(last.max)} ms.`,
      ];
    } finally {
      await disconnectClients(drivers).catch(() => undefined);
    }

    return {
      rows: [servedRow(`S1. GET /v1/client/flags, ${formatNumber(SCALE_FLAG_COUNT, 0)} flags with rules`, read), servedRow(`S2. POST /v1/client/evaluate, ${formatNumber(SCALE_FLAG_COUNT, 0)} flags with rules`, evaluate), socketRow],
      notes: [
        `Environment ${SCALE_ENVIRONMENT}: ${SCALE_FLAG_COUNT} flags (and the bench's ${snapshot.flags.length - SCALE_FLAG_COUNT} others, disabled there: ${snapshot.flags.length} in its snapshot), each a flexibleRollout strategy; half with 3 constraints (email STR_ENDS_WITH, appVersion SEMVER_GTE, plan IN), a quarter with a segment (country IN 6), a fifth with 3 variants with payloads, two thirds enabled. Seeded through POST /v1/import/unleash, 200 flags a request: ${formatNumber(seed.seconds)} s.`,
        `S1: the snapshot is ${describeBytes(read.bytes)} (${formatNumber(read.bytes, 0)} bytes), one request alone ${formatNumber(read.aloneMs)} ms; FlagShip ${read.load.good} good, ${read.load.bad} bad; bare ${read.bare.bad} bad. S2: the context ${evaluateBody}, the answer ${describeBytes(evaluate.bytes)}, one request alone ${formatNumber(evaluate.aloneMs)} ms; FlagShip ${evaluate.load.good} good, ${evaluate.load.bad} bad; bare ${evaluate.bare.bad} bad.`,
        `autocannon ${CONNECTIONS} connections (not measure 1's 50: answers this large, 50 at once, queue past the timeout), ${TIMEOUT_SECONDS} s timeout, ${WARM_UP_SECONDS} s warm-up then ${SECONDS} s, from the runner's process. The bare server replays FlagShip's exact status, headers and body.`,
        ...socketNotes,
      ],
    };
  },
};

import type { PeerClientsArgs, Receipts } from '../drivers/peer-sdk-clients.js';
import { monotonicMs, sleep, waitFor } from '../harness/clock.js';
import type { BenchContext, Measure } from '../harness/context.js';
import { AUTOCANNON_NOTE, captureResponse, describeHttpLoad, loadRoute, type HttpLoad, type HttpTarget } from '../harness/http-load.js';
import { DriverProcess } from '../harness/ipc.js';
import { checkSharedClock } from '../harness/push-timing.js';
import type { MeasureResult, ResultRow } from '../harness/report.js';
import { flagSeeds, FLAG_COUNT } from '../harness/seed.js';
import { formatNumber, summarize, type Summary } from '../harness/stats.js';
import { installUnleash, startUnleash, UNLEASH_ENVIRONMENT, UNLEASH_VERSION, UnleashAdmin, type UnleashServer } from '../harness/unleash-server.js';

/*
 * `npm run bench -- --peers`: Unleash OSS beside FlagShip, in the same run, on
 * the same flags (the bench seed: 100 flags, one flexibleRollout strategy each),
 * each server beside a bare node:http server replaying its own bytes; and how
 * long a change takes to reach each one's Node SDK.
 */

const FRONTEND_QUERY = '?userId=user-4711&properties[plan]=pro';
const EVALUATE_BODY = JSON.stringify({ context: { key: 'user-4711', plan: 'pro' } });
const READ_TARGET = 0.6;
const EVALUATE_TARGET = 0.4;

/** Clients per (server, SDK, mode): enough for a spread, few enough to stay out of the servers' way. */
const CLIENTS = 10;
const FLAGSHIP_WRITES = 20;
/** Each Unleash write waits for up to a polling interval (15 s): a few are all the run can afford. */
const UNLEASH_WRITES = 4;
const UNLEASH_POLL_MS = 15_000;
/** Rollout values the writes set: never one the seed or the other measures use (0–100 step 1 … 30, 50, 70 are taken). */
const FIRST_FLAGSHIP_ROLLOUT = 61;
const FIRST_UNLEASH_ROLLOUT = 41;

interface ServerRead {
  load: HttpLoad;
  bare: HttpLoad;
  bytes: number;
}

/** The server, then a bare node:http server (its own process) replaying the server's exact response. */
async function measureBesideBare(context: BenchContext, label: string, baseUrl: string, target: HttpTarget): Promise<ServerRead> {
  const canned = await captureResponse(baseUrl, target);
  const bare = await DriverProcess.start('bare-http-server', 'drivers/bare-http-server.ts');
  try {
    const { port } = await bare.request<{ port: number }>('listen', { responses: [canned] });
    context.log(`peers: ${label}`);
    const load = await loadRoute(baseUrl, target);
    context.log(`peers: ${label}, bare node:http with its bytes`);
    const bareLoad = await loadRoute(`http://127.0.0.1:${port}`, target);
    return { load, bare: bareLoad, bytes: Buffer.byteLength(canned.body) };
  } finally {
    await bare.stop();
  }
}

const versusBare = (read: ServerRead) => `${describeHttpLoad(read.load)} (${formatNumber(read.load.requestsPerSecond / read.bare.requestsPerSecond, 2)}× bare)`;

function readRow(measure: string, flagship: ServerRead, unleash: ServerRead | undefined, unleashMissing: string, target: number): ResultRow {
  const flagshipToBare = flagship.load.requestsPerSecond / flagship.bare.requestsPerSecond;
  return {
    measure,
    figure: `FlagShip: ${versusBare(flagship)}`,
    baseline: unleash ? `Unleash ${UNLEASH_VERSION}: ${versusBare(unleash)}` : unleashMissing,
    ratio: unleash ? flagship.load.requestsPerSecond / unleash.load.requestsPerSecond : undefined,
    target: `FlagShip ≥ ${target}× bare`,
    met: flagshipToBare >= target && flagship.load.bad === 0,
  };
}

function readNote(label: string, flagship: ServerRead, unleash: ServerRead | undefined): string {
  const one = (name: string, read: ServerRead) =>
    `${name} ${formatNumber(read.bytes, 0)} bytes per response, ${read.load.good} good and ${read.load.bad} bad responses; its bare replay ${describeHttpLoad(read.bare)}, ${read.bare.bad} bad`;
  return `${label}: ${one('FlagShip', flagship)}${unleash ? `; ${one(`Unleash`, unleash)}` : ''}.`;
}

interface Propagation {
  delays: Summary;
  perWrite: number[][];
  missing: number;
  modes: string[];
  errors: number;
}

/**
 * Writes one after the other; after each, waits until every client of each group holds the
 * new rollout (or `waitMs` passed). Delay: the write's response (runner) to the client's
 * first sight of it (driver), on the shared monotonic clock.
 */
async function timeWrites(
  driver: DriverProcess,
  groups: string[],
  rollouts: number[],
  write: (rollout: number) => Promise<void>,
  waitMs: number,
): Promise<Map<string, Propagation>> {
  const respondedAt = new Map<number, number>();
  for (const rollout of rollouts) {
    await write(rollout);
    respondedAt.set(rollout, monotonicMs());
    const deadline = Date.now() + waitMs;
    for (const group of groups) {
      while (Date.now() < deadline && (await driver.request<{ clients: number }>('reached', { group, rollout })).clients < CLIENTS) await sleep(20);
    }
    await sleep(100);
  }
  const result = new Map<string, Propagation>();
  for (const group of groups) {
    const collected = await driver.request<{ receipts: Receipts; modes: string[]; errors: number }>('collect', { group });
    const perWrite = rollouts.map((rollout) => (collected.receipts[rollout] ?? []).map((time) => time - respondedAt.get(rollout)!));
    result.set(group, {
      delays: summarize(perWrite.flat()),
      perWrite,
      missing: perWrite.reduce((sum, delays) => sum + CLIENTS - delays.length, 0),
      modes: collected.modes,
      errors: collected.errors,
    });
  }
  return result;
}

const describeDelays = (run: Propagation) =>
  `median ${formatNumber(run.delays.median)} ms, p99 ${formatNumber(run.delays.p99)} ms, max ${formatNumber(run.delays.max)} ms`;

const modeCounts = (modes: string[]) =>
  Object.entries(modes.reduce<Record<string, number>>((counts, mode) => ({ ...counts, [mode]: (counts[mode] ?? 0) + 1 }), {}))
    .map(([mode, count]) => `${count} ${mode}`)
    .join(', ');

/** Unleash installed, started on its own database, seeded with the bench's flags; or why not. */
async function startPeer(context: BenchContext): Promise<{ unleash?: UnleashServer; strategies?: Map<string, string>; why?: string; setupNote?: string }> {
  let unleash: UnleashServer | undefined;
  try {
    const started = Date.now();
    const prefix = await installUnleash(context.log);
    const installed = Date.now();
    unleash = await startUnleash({ prefix, databaseName: `${context.isolation.databaseName}_unleash`, logDir: context.logDir });
    const up = Date.now();
    context.log(`peers: Unleash ${UNLEASH_VERSION} is up at ${unleash.url} (log: unleash.log); seeding ${FLAG_COUNT} flags`);
    const strategies = await new UnleashAdmin(unleash).createFlags(flagSeeds().seeds);
    // Unleash's client API follows the admin's writes within about a second (it polls its revision).
    const server = unleash;
    await waitFor('Unleash to serve the seeded flags', async () => {
      const response = await fetch(`${server.url}/api/client/features`, { headers: { authorization: server.backendToken } });
      const body = (await response.json()) as { features?: unknown[] };
      return body.features?.length === FLAG_COUNT ? true : undefined;
    }, 30_000, 250);
    const seeded = Date.now();
    return {
      unleash,
      strategies,
      setupNote: `Unleash ${UNLEASH_VERSION} (npm unleash-server, installed under the system's temporary folder, not a dependency; it declares Node ≥ 22 and ran here on Node ${process.versions.node}): install ${formatNumber((installed - started) / 1000)} s (0 when cached), start with migrations ${formatNumber((up - installed) / 1000)} s, seed ${formatNumber((seeded - up) / 1000)} s (${FLAG_COUNT} flags over its admin API: POST feature, POST a flexibleRollout strategy in ${UNLEASH_ENVIRONMENT}, POST …/on for the enabled ones, 4 at a time). Its own database, dropped at the end; its SDK rate limits raised (20,000 a minute by default) so autocannon measures answers, not 429s.`,
    };
  } catch (error) {
    await unleash?.stop().catch(() => undefined);
    const why = error instanceof Error ? error.message : String(error);
    context.log(`peers: Unleash not measured: ${why}`);
    return { why };
  }
}

/**
 * The peers: reads (200 and 304), server-side evaluation, and propagation to
 * the Node SDKs, FlagShip beside Unleash OSS, each with its bare baseline.
 */
export const peers: Measure = {
  id: 'peers',
  title: `Peers: FlagShip beside Unleash OSS`,
  async run(context: BenchContext): Promise<MeasureResult> {
    const { admin, flagship, environment, sdkSecret, flags } = context;
    const rows: ResultRow[] = [];
    const notes: string[] = [];
    const { secret: frontendSecret } = await admin.call<{ secret: string }>('POST', '/v1/tokens', { name: 'bench-peers-frontend', kind: 'frontend', environment });
    const peer = await startPeer(context);
    const unleash = peer.unleash;
    const missing = `Unleash: not measured (${(peer.why ?? '').split('\n')[0]!.slice(0, 160)})`;
    if (peer.setupNote) notes.push(peer.setupNote);
    if (peer.why) notes.push(`Unleash could not be measured, so only FlagShip's side ran: ${peer.why.replaceAll('\n', ' ')}`);

    try {
      // Reads: the client API as every Unleash server-side SDK polls it (the bare secret as Authorization, as they send it).
      const features: HttpTarget = { method: 'GET', path: '/api/client/features', headers: { authorization: sdkSecret }, status: 200 };
      const flagshipFeatures = await measureBesideBare(context, 'FlagShip GET /api/client/features', flagship.apiUrl, features);
      const unleashFeaturesTarget = unleash && { ...features, headers: { authorization: unleash.backendToken } };
      const unleashFeatures = unleash && (await measureBesideBare(context, 'Unleash GET /api/client/features', unleash.url, unleashFeaturesTarget!));
      rows.push(readRow(`P1. GET /api/client/features (${FLAG_COUNT} flags), 200`, flagshipFeatures, unleashFeatures, missing, READ_TARGET));
      notes.push(readNote('P1', flagshipFeatures, unleashFeatures));

      const etagOf = async (baseUrl: string, target: HttpTarget) => (await captureResponse(baseUrl, target)).headers.etag!;
      const notModified = async (baseUrl: string, target: HttpTarget): Promise<HttpTarget> => ({
        ...target,
        headers: { ...target.headers, 'if-none-match': await etagOf(baseUrl, target) },
        status: 304,
      });
      const flagship304 = await measureBesideBare(context, 'FlagShip GET /api/client/features, 304', flagship.apiUrl, await notModified(flagship.apiUrl, features));
      const unleash304 = unleash && (await measureBesideBare(context, 'Unleash GET /api/client/features, 304', unleash.url, await notModified(unleash.url, unleashFeaturesTarget!)));
      rows.push(readRow('P2. GET /api/client/features, 304 (If-None-Match: its ETag)', flagship304, unleash304, missing, READ_TARGET));
      notes.push(readNote('P2', flagship304, unleash304));

      // Server-side evaluation: every flag for one context.
      const frontend: HttpTarget = { method: 'GET', path: `/api/frontend${FRONTEND_QUERY}`, headers: { authorization: frontendSecret }, status: 200 };
      const flagshipFrontend = await measureBesideBare(context, 'FlagShip GET /api/frontend', flagship.apiUrl, frontend);
      const unleashFrontend = unleash && (await measureBesideBare(context, 'Unleash GET /api/frontend', unleash.url, { ...frontend, headers: { authorization: unleash.frontendToken } }));
      rows.push(readRow(`P3. GET /api/frontend (${FLAG_COUNT} flags evaluated for a context)`, flagshipFrontend, unleashFrontend, missing, EVALUATE_TARGET));
      notes.push(readNote('P3', flagshipFrontend, unleashFrontend));

      const evaluate: HttpTarget = { method: 'POST', path: '/v1/client/evaluate', headers: { authorization: `Bearer ${sdkSecret}` }, body: EVALUATE_BODY, status: 200 };
      const flagshipEvaluate = await measureBesideBare(context, 'FlagShip POST /v1/client/evaluate', flagship.apiUrl, evaluate);
      rows.push(readRow(`P4. Server-side evaluation: FlagShip POST /v1/client/evaluate vs Unleash GET /api/frontend`, flagshipEvaluate, unleashFrontend, missing, EVALUATE_TARGET));
      notes.push(
        `P3/P4 context: userId user-4711, plan pro (${FRONTEND_QUERY} for the frontend APIs, ${EVALUATE_BODY} for /v1/client/evaluate); frontend tokens of each server. /v1/client/evaluate answers every flag with its variant, value and reason (${formatNumber(flagshipEvaluate.bytes, 0)} bytes); /api/frontend only the enabled ones. ${readNote('P4', flagshipEvaluate, undefined)}`,
      );
      notes.push(`${AUTOCANNON_NOTE} Each server then its bare replay (a node:http server in its own process sending that server's exact status, headers and body); the ratio column is FlagShip ÷ Unleash (req/s).`);

      // Propagation to the Node SDKs.
      const driver = await DriverProcess.start('peer-sdk-clients', 'drivers/peer-sdk-clients.ts');
      try {
        await checkSharedClock([driver]);
        const base = { count: CLIENTS, flagKey: flags.pushed } satisfies Partial<PeerClientsArgs>;
        // Unleash's polling clients start 1.5 s apart (their fetches spread over the 15 s interval) while FlagShip's run.
        const unleashStarted = unleash
          ? driver.request('start', { ...base, group: 'unleash', sdk: 'unleash-client', url: unleash.url, token: unleash.backendToken, mode: 'default', staggerMs: UNLEASH_POLL_MS / CLIENTS } satisfies PeerClientsArgs)
          : undefined;
        context.log(`peers: starting ${3 * CLIENTS} SDK clients of FlagShip${unleash ? ` and ${CLIENTS} unleash-clients of Unleash` : ''}`);
        const flagshipGroups: PeerClientsArgs[] = [
          { ...base, group: 'flagship-sdk', sdk: 'flagship', url: flagship.notifierUrl, token: sdkSecret, environment, staggerMs: 0 },
          { ...base, group: 'flagship-unleash-default', sdk: 'unleash-client', url: flagship.apiUrl, token: sdkSecret, mode: 'default', staggerMs: 0 },
          { ...base, group: 'flagship-unleash-streaming', sdk: 'unleash-client', url: flagship.apiUrl, token: sdkSecret, mode: 'streaming', staggerMs: 0 },
        ];
        for (const group of flagshipGroups) await driver.request('start', group);
        // unleash-client's default mode starts polling; FlagShip's fetch-mode header moves it to streaming after its first fetch.
        await sleep(1000);
        context.log(`peers: ${FLAGSHIP_WRITES} writes to FlagShip`);
        const flagshipRollouts = Array.from({ length: FLAGSHIP_WRITES }, (_, index) => FIRST_FLAGSHIP_ROLLOUT + index);
        const flagshipRuns = await timeWrites(
          driver,
          flagshipGroups.map((group) => group.group),
          flagshipRollouts,
          async (rollout) => void (await admin.setState(flags.pushed, environment, { rollout })),
          5000,
        );
        const [sdkRun, defaultRun, streamingRun] = flagshipGroups.map((group) => flagshipRuns.get(group.group)!) as [Propagation, Propagation, Propagation];

        let unleashRun: Propagation | undefined;
        if (unleash && unleashStarted) {
          await unleashStarted;
          context.log(`peers: ${UNLEASH_WRITES} writes to Unleash (its clients poll every 15 s)`);
          const unleashAdmin = new UnleashAdmin(unleash);
          const strategyId = peer.strategies!.get(flags.pushed)!;
          const rollouts = Array.from({ length: UNLEASH_WRITES }, (_, index) => FIRST_UNLEASH_ROLLOUT + index);
          unleashRun = (await timeWrites(driver, ['unleash'], rollouts, (rollout) => unleashAdmin.setRollout(flags.pushed, strategyId, rollout), UNLEASH_POLL_MS + 10_000)).get('unleash')!;
        }

        rows.push({
          measure: `P5. Change → unleash-client's \`changed\`, its default configuration (${CLIENTS} clients)`,
          figure: `FlagShip: ${describeDelays(defaultRun)}`,
          baseline: unleashRun ? `Unleash ${UNLEASH_VERSION} (polling 15 s, streaming off): ${describeDelays(unleashRun)}` : missing,
          // FlagShip's median is three orders of magnitude below: the ratio column (2 decimals) would read 0.00×.
          ratio: undefined,
          target: unleashRun ? `(medians: Unleash ÷ FlagShip = ${formatNumber(unleashRun.delays.median / defaultRun.delays.median, 0)}×)` : '—',
          met: defaultRun.missing === 0 && (!unleashRun || unleashRun.missing === 0) ? undefined : false,
        });
        rows.push({
          measure: `P6. Change → SDK event on FlagShip: unleash-client with experimentalMode streaming vs FlagShip's SDK`,
          figure: `unleash-client streaming: ${describeDelays(streamingRun)}`,
          baseline: `FlagShip SDK (Socket.IO): ${describeDelays(sdkRun)}`,
          ratio: streamingRun.delays.median / sdkRun.delays.median,
          target: '—',
          met: streamingRun.missing === 0 && sdkRun.missing === 0 ? undefined : false,
        });
        notes.push(
          `P5/P6: from the admin write's response (runner: FlagShip PATCH …/environments/${environment} { rollout }, Unleash PUT …/environments/${UNLEASH_ENVIRONMENT}/strategies/{id}) to the first \`changed\` (unleash-client) or \`change\` (FlagShip SDK) after which the client holds the new rollout (driver process, shared monotonic clock); P6's ratio compares medians (lower is better), P5's target column gives Unleash's median over FlagShip's. Each write gives flag ${flags.pushed} a rollout it never had, then waits until every client has it.`,
          `FlagShip: ${FLAGSHIP_WRITES} writes, ${CLIENTS} clients each of: FlagShip's SDK (${sdkRun.missing} missing), unleash-client default (${defaultRun.missing} missing; mode at the end: ${modeCounts(defaultRun.modes)}, as FlagShip's first answer carries fetch-mode: streaming), unleash-client experimentalMode streaming (${streamingRun.missing} missing; ${modeCounts(streamingRun.modes)}).`,
          unleashRun
            ? `Unleash: ${UNLEASH_WRITES} writes (each waits up to a polling interval, so the run affords few), ${CLIENTS} unleash-clients with the default configuration (polling every 15 s, started 1.5 s apart so their fetches spread over the interval; streaming is not in Unleash OSS), ${unleashRun.missing} missing; per write, first and last client: ${unleashRun.perWrite.map((delays) => `${formatNumber(Math.min(...delays) / 1000)}–${formatNumber(Math.max(...delays) / 1000)} s`).join(', ')}. Unleash's client API itself shows an admin write after about a second (it polls its revision), then each client at its next poll.`
            : 'Unleash: not measured.',
          `unleash-client errors in the driver: ${Math.max(sdkRun.errors, defaultRun.errors, streamingRun.errors, unleashRun?.errors ?? 0)}.`,
        );
      } finally {
        await driver.stop();
      }
    } finally {
      await unleash?.stop().catch((error: unknown) => context.log(`peers: could not stop Unleash: ${String(error)}`));
    }
    return { rows, notes };
  },
};

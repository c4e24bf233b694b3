import type { FrameCounts } from '../drivers/socket-clients.js';
import { sleep } from '../harness/clock.js';
import type { BenchContext, Measure } from '../harness/context.js';
import type { DriverProcess } from '../harness/ipc.js';
import { connectClients, disconnectClients, restWrite } from '../harness/push-timing.js';
import type { MeasureResult, ResultRow } from '../harness/report.js';
import { formatNumber } from '../harness/stats.js';
import { describeBytes, measureBesideBare, servedRow } from './scale.js';

/*
 * Projects: 10 projects × 1,000 flags in an environment of their own. The
 * snapshot read of a token of one project (1,000 flags) and of a token of
 * every project, each beside a bare server sending the same bytes; and what
 * a change in one project costs the sockets of each project, counted in bytes
 * per socket by the drivers: the changed project's sockets get the change,
 * the nine others nothing.
 */

const ENVIRONMENT = 'bench-projects';
const PROJECTS = 10;
const FLAGS_PER_PROJECT = 1_000;
const SOCKETS_PER_PROJECT = 100;
const WRITES = 5;
/** Flags per POST /v1/import/unleash (scale-seed.ts says why not more). */
const IMPORT_BATCH = 200;
const WAIT_MS = 20_000;

const projectKey = (index: number) => `bench-p${index}`;
const flagKey = (project: number, index: number) => `bench.p${project}-${String(index).padStart(4, '0')}`;

/** Every Socket.IO event's bytes (flags:snapshot, flags:change…), apart from Engine.IO's pings and the handshake. */
const eventBytes = (counts: FrameCounts) =>
  Object.entries(counts)
    .filter(([kind]) => !kind.startsWith('packet'))
    .reduce((sum, [, count]) => sum + count.bytes, 0);
const allBytes = (counts: FrameCounts) => Object.values(counts).reduce((sum, count) => sum + count.bytes, 0);
const describeCounts = (counts: FrameCounts) =>
  Object.entries(counts)
    .map(([kind, count]) => `${kind}: ${count.frames} (${formatNumber(count.bytes, 0)} B)`)
    .join(', ') || 'nothing';

async function seed(context: BenchContext): Promise<{ tokens: string[]; everyToken: string; seconds: number }> {
  const started = Date.now();
  const { admin } = context;
  await admin.call('POST', '/v1/environments', { key: ENVIRONMENT });
  for (let project = 0; project < PROJECTS; project += 1) {
    await admin.call('POST', '/v1/projects', { key: projectKey(project) });
    for (let first = 0; first < FLAGS_PER_PROJECT; first += IMPORT_BATCH) {
      const features = Array.from({ length: Math.min(IMPORT_BATCH, FLAGS_PER_PROJECT - first) }, (_, offset) => {
        const key = flagKey(project, first + offset);
        return {
          name: key,
          project: projectKey(project),
          enabled: (first + offset) % 3 !== 0,
          strategies: [{ name: 'flexibleRollout', parameters: { rollout: String(((first + offset) * 37) % 100 + 1), stickiness: 'default', groupId: key } }],
        };
      });
      await admin.call('POST', `/v1/import/unleash?environment=${ENVIRONMENT}`, { version: 2, features });
    }
    context.log(`projects: seeded ${projectKey(project)} (${FLAGS_PER_PROJECT} flags)`);
  }
  const tokens: string[] = [];
  for (let project = 0; project < PROJECTS; project += 1) {
    const created = await admin.call<{ secret: string }>('POST', '/v1/tokens', { name: `bench-${projectKey(project)}`, kind: 'sdk', environment: ENVIRONMENT, projects: [projectKey(project)] });
    tokens.push(created.secret);
  }
  const everyToken = await admin.createSdkToken(ENVIRONMENT, 'bench-projects-all');
  return { tokens, everyToken, seconds: (Date.now() - started) / 1000 };
}

/** Waits (bounded) until `driver` says every one of its sockets has `version`. */
function reachedOn(driver: DriverProcess): { wait: (version: number) => Promise<boolean>; stop: () => void } {
  const reached = new Set<number>();
  const waiters = new Map<number, () => void>();
  const stop = driver.onEvent((event) => {
    if (event.event !== 'reached') return;
    const { version } = event.data as { version: number };
    reached.add(version);
    waiters.get(version)?.();
  });
  return {
    stop,
    wait: (version) =>
      reached.has(version)
        ? Promise.resolve(true)
        : new Promise<boolean>((resolve) => {
            const timer = setTimeout(() => resolve(false), WAIT_MS);
            waiters.set(version, () => {
              clearTimeout(timer);
              resolve(true);
            });
          }),
  };
}

export const projectsMeasure: Measure = {
  id: 'projects',
  title: `Projects: ${PROJECTS} projects × ${formatNumber(FLAGS_PER_PROJECT, 0)} flags`,
  async run(context: BenchContext): Promise<MeasureResult> {
    const { admin, flagship } = context;
    context.log(`projects: seeding ${PROJECTS} projects of ${FLAGS_PER_PROJECT} flags in ${ENVIRONMENT}`);
    const seeded = await seed(context);
    const scoped = await admin.clientSnapshot(seeded.tokens[0]!);
    const every = await admin.clientSnapshot(seeded.everyToken);
    if (scoped.flags.length !== FLAGS_PER_PROJECT) throw new Error(`a token of one project reads ${scoped.flags.length} flags, not ${FLAGS_PER_PROJECT}`);

    const readScoped = await measureBesideBare(context, `GET /v1/client/flags, a token of 1 project (${scoped.flags.length} flags)`, {
      method: 'GET',
      path: '/v1/client/flags',
      headers: { authorization: `Bearer ${seeded.tokens[0]}` },
      status: 200,
    });
    const readEvery = await measureBesideBare(context, `GET /v1/client/flags, a token of every project (${every.flags.length} flags)`, {
      method: 'GET',
      path: '/v1/client/flags',
      headers: { authorization: `Bearer ${seeded.everyToken}` },
      status: 200,
    });

    // The changed project's sockets on one driver, the nine others' on the rest: each driver's counts are one side's.
    const drivers = await context.socketDrivers();
    if (drivers.length < 2) throw new Error('the projects measure needs 2 socket drivers or more');
    const [changedDriver, ...otherDrivers] = drivers as [DriverProcess, ...DriverProcess[]];
    const frames = (some: DriverProcess[]) =>
      Promise.all(some.map((driver) => driver.request<FrameCounts>('frames'))).then((all) =>
        all.reduce<FrameCounts>((total, one) => {
          for (const [kind, count] of Object.entries(one)) {
            const sum = (total[kind] ??= { frames: 0, bytes: 0 });
            sum.frames += count.frames;
            sum.bytes += count.bytes;
          }
          return total;
        }, {}),
      );
    let socketRow: ResultRow;
    let socketNotes: string[];
    const reached = reachedOn(changedDriver);
    try {
      const since = scoped.version;
      const socketArgs = { url: flagship.notifierUrl, environment: ENVIRONMENT, mode: 'wire' as const, concurrency: 50, since };
      await connectClients([changedDriver], SOCKETS_PER_PROJECT, { ...socketArgs, token: seeded.tokens[0]! });
      for (let project = 1; project < PROJECTS; project += 1) {
        await connectClients(otherDrivers, SOCKETS_PER_PROJECT, { ...socketArgs, token: seeded.tokens[project]! });
      }
      await sleep(1000);
      await frames(drivers);

      context.log(`projects: ${WRITES} changes in ${projectKey(0)} with ${SOCKETS_PER_PROJECT} sockets in each of ${PROJECTS} projects`);
      const write = restWrite(flagship.apiUrl, flagship.adminSecret, flagKey(0, 1), ENVIRONMENT);
      let timeouts = 0;
      for (let index = 0; index < WRITES; index += 1) {
        const written = await write();
        if (!(await reached.wait(written.version))) timeouts += 1;
        await sleep(300);
      }
      await sleep(1000);
      const changed = await frames([changedDriver]);
      const others = await frames(otherDrivers);
      const otherSockets = SOCKETS_PER_PROJECT * (PROJECTS - 1);
      const changedPerSocket = eventBytes(changed) / (SOCKETS_PER_PROJECT * WRITES);
      const otherPerSocket = eventBytes(others) / (otherSockets * WRITES);
      const delivered = changed['flags:change']?.frames ?? 0;
      socketRow = {
        measure: `P3. A change in 1 of ${PROJECTS} projects: bytes per socket of the other projects`,
        figure: `${formatNumber(otherPerSocket, 2)} B per socket per change (${otherSockets} sockets of ${PROJECTS - 1} projects)`,
        baseline: `the changed project's sockets: ${formatNumber(changedPerSocket, 0)} B per socket per change`,
        ratio: undefined,
        target: 'nothing',
        met: otherPerSocket === 0 && delivered === SOCKETS_PER_PROJECT * WRITES && timeouts === 0,
      };
      socketNotes = [
        `P3: ${SOCKETS_PER_PROJECT} sockets per project (Socket.IO's protocol over ws, 'wire' mode, each with its project's sdk token and since = the version), ${PROJECTS * SOCKETS_PER_PROJECT} in all; ${WRITES} PATCHes of ${flagKey(0, 1)}'s rollout (project ${projectKey(0)}). Counted by the drivers after the connections settled, every WebSocket message's payload: the ${SOCKETS_PER_PROJECT} sockets of ${projectKey(0)} got ${describeCounts(changed)}; the ${otherSockets} sockets of the ${PROJECTS - 1} other projects got ${describeCounts(others)} (${formatNumber(allBytes(others), 0)} B in all, Engine.IO pings included; the figure counts Socket.IO events only). ${timeouts} changes not seen by every socket of ${projectKey(0)} within ${WAIT_MS / 1000} s.`,
      ];
    } finally {
      reached.stop();
      await disconnectClients(drivers).catch(() => undefined);
    }

    return {
      rows: [
        servedRow(`P1. GET /v1/client/flags, a token of 1 of ${PROJECTS} projects (${formatNumber(scoped.flags.length, 0)} flags)`, readScoped),
        servedRow(`P2. GET /v1/client/flags, a token of every project (${formatNumber(every.flags.length, 0)} flags)`, readEvery),
        socketRow,
      ],
      notes: [
        `Environment ${ENVIRONMENT}: ${PROJECTS} projects of ${FLAGS_PER_PROJECT} flags (a flexibleRollout strategy each, two thirds enabled), seeded through POST /v1/import/unleash with each feature's project in ${formatNumber(seeded.seconds)} s; a token of every project reads ${every.flags.length} flags (the other measures' flags have a disabled state here too, in project default).`,
        `P1: a token of ${projectKey(0)}: ${describeBytes(readScoped.bytes)}, one request alone ${formatNumber(readScoped.aloneMs)} ms, FlagShip ${readScoped.load.good} good, ${readScoped.load.bad} bad. P2: a token of every project: ${describeBytes(readEvery.bytes)}, one request alone ${formatNumber(readEvery.aloneMs)} ms, FlagShip ${readEvery.load.good} good, ${readEvery.load.bad} bad. Each beside a bare node:http server replaying FlagShip's exact answer (measure S1's method).`,
        ...socketNotes,
      ],
    };
  },
};

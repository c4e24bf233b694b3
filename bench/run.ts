// `npm run bench`: starts FlagShip (api, notifier, worker as separate
// processes) on a database and Redis prefix of its own, runs each measure
// beside its baseline, prints one table and writes bench/results.md.
//   npm run bench -- --only=read,push   run some measures (results.md is then left alone)
//   npm run bench -- --profile          services run with --cpu-prof (bench/.tmp/<run>/profiles)
//   npm run bench -- --peers            adds the peers measure: Unleash OSS, installed from npm, beside FlagShip
//   npm run bench -- --only=capacity    50,000 sockets on notifiers beside bare Socket.IO servers (opt-in: minutes, most of the machine)
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AdminClient } from './harness/admin-client.js';
import type { BenchContext, Measure } from './harness/context.js';
import { startFlagShip, type FlagShip } from './harness/flagship.js';
import { BENCH_DIR, startDrivers, stopAll, type DriverProcess } from './harness/ipc.js';
import { newIsolation, removeIsolation, removeLeftovers } from './harness/isolation.js';
import { describeMachine } from './harness/machine.js';
import { writeReadmeResults } from './harness/readme-results.js';
import { renderMarkdownReport, renderSummary, renderTextTable, type ResultRow } from './harness/report.js';
import { seedFlags } from './harness/seed.js';
import { fanOutMeasure } from './measures/fan-out.js';
import { localEvaluation } from './measures/local-evaluation.js';
import { propagation } from './measures/propagation.js';
import { rampTimeliness } from './measures/ramp-timeliness.js';
import { targetedEvaluation } from './measures/targeted-evaluation.js';
import { readThroughput } from './measures/read-throughput.js';
import { writePath } from './measures/write-path.js';
import { eventIngestion } from './measures/event-ingestion.js';
import { peers } from './measures/peers.js';
import { scale } from './measures/scale.js';
import { capacity } from './measures/capacity.js';
import { timeTravel } from './measures/time-travel.js';
import { projectsMeasure } from './measures/projects.js';
import { deployGate } from './measures/deploy-gate.js';
import { changeRequestFanOut } from './measures/change-request-fanout.js';

// changeRequestFanOut last: it leaves 20 of the seeded flags at other rollouts.
const MEASURES: Measure[] = [readThroughput, propagation, fanOutMeasure, localEvaluation, targetedEvaluation, writePath, rampTimeliness, eventIngestion, timeTravel, deployGate, changeRequestFanOut];
/** Run only with --peers (or named in --only): they install and start another product. */
const PEER_MEASURES: Measure[] = [peers];
/**
 * Last, after the peers: their 10,000 flags each get a (disabled) state in every environment, the bench's 100-flag one
 * included. Projects after scale, so that scale's figures stay those of its 10,000 flags.
 */
const LAST_MEASURES: Measure[] = [scale, projectsMeasure];
/** Run only when named in --only: they take minutes and most of the machine (capacity: 50,000 sockets). */
const OPT_IN_MEASURES: Measure[] = [capacity];
const ENVIRONMENT = 'prod';
/** Socket-client driver processes: enough to spread the clients, few enough for 2 cores. */
const SOCKET_DRIVERS = 4;

function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { only: { type: 'string' }, profile: { type: 'boolean', default: false }, peers: { type: 'boolean', default: false } },
  });
  const only = values.only?.split(',').map((id) => id.trim());
  const known = [...MEASURES, ...PEER_MEASURES, ...LAST_MEASURES, ...OPT_IN_MEASURES];
  const unknown = only?.filter((id) => !known.some((measure) => measure.id === id)) ?? [];
  if (unknown.length > 0) throw new Error(`unknown measure(s) ${unknown.join(', ')}; known: ${known.map((m) => m.id).join(', ')}`);
  const selected = [...MEASURES, ...(values.peers || only ? PEER_MEASURES : []), ...LAST_MEASURES, ...(only ? OPT_IN_MEASURES : [])].filter(
    (measure) => !only || only.includes(measure.id),
  );
  if (selected.length === 0) throw new Error(`--only=${values.only} selects nothing`);

  const started = Date.now();
  const machine = describeMachine();
  const runDir = path.join(BENCH_DIR, '.tmp', `run-${machine.date.replace(/[:.]/g, '-')}`);
  mkdirSync(runDir, { recursive: true });
  for (const leftover of await removeLeftovers()) log(`removed a crashed run's leftover: ${leftover}`);

  const isolation = newIsolation();
  log(`database ${isolation.databaseName}, Redis prefix ${isolation.redisPrefix}, logs in ${path.relative(process.cwd(), runDir)}`);
  let flagship: FlagShip | undefined;
  let socketDrivers: Promise<DriverProcess[]> | undefined;
  const cleanUp = async () => {
    if (socketDrivers) await stopAll(await socketDrivers.catch(() => []));
    socketDrivers = undefined;
    await flagship?.stop().catch((error: unknown) => log(`could not stop FlagShip: ${String(error)}`));
    flagship = undefined;
    await removeIsolation(isolation).catch((error: unknown) => log(`could not remove the bench database or keys: ${String(error)}`));
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: cleaning up`);
      void cleanUp().finally(() => process.exit(130));
    });
  }

  const rows: ResultRow[] = [];
  const notes: { measure: string; lines: string[] }[] = [];
  let failures = 0;
  try {
    flagship = await startFlagShip({
      isolation,
      logDir: path.join(runDir, 'logs'),
      profileDir: values.profile ? path.join(runDir, 'profiles') : undefined,
    });
    log(`FlagShip is up: API ${flagship.apiUrl}, notifier ${flagship.notifierUrl}`);
    const admin = new AdminClient(flagship.apiUrl, flagship.adminSecret);
    const flags = await seedFlags(admin, ENVIRONMENT);
    const sdkSecret = await admin.createSdkToken(ENVIRONMENT, 'bench');
    const context: BenchContext = {
      flagship,
      isolation,
      admin,
      environment: ENVIRONMENT,
      sdkSecret,
      flags,
      logDir: path.join(runDir, 'logs'),
      log,
      socketDrivers: () => (socketDrivers ??= startDrivers('socket-clients', 'drivers/socket-clients.ts', SOCKET_DRIVERS)),
    };

    for (const measure of selected) {
      log(`${measure.title}…`);
      const measureStarted = Date.now();
      try {
        const result = await measure.run(context);
        rows.push(...result.rows);
        notes.push({ measure: measure.title, lines: result.notes });
        log(`${measure.title} took ${Math.round((Date.now() - measureStarted) / 1000)} s`);
      } catch (error) {
        failures += 1;
        log(`${measure.title} crashed: ${error instanceof Error ? error.stack : String(error)}`);
        rows.push({ measure: measure.title, figure: 'crashed (see the log above)', baseline: '—', target: '—', met: false });
      }
    }
  } finally {
    await cleanUp();
  }

  const durationSeconds = (Date.now() - started) / 1000;
  process.stdout.write(`\n${renderTextTable(rows)}\n\n`);
  const reportInput = { machine, rows, notes, durationSeconds, loadAtEnd: os.loadavg() };
  // Only a complete, crash-free run replaces the published results (results.md and the README's copy).
  const publish = !only && failures === 0;
  const target = publish ? path.join(BENCH_DIR, 'results.md') : path.join(runDir, 'results.md');
  writeFileSync(target, renderMarkdownReport(reportInput));
  if (publish) writeReadmeResults(path.join(BENCH_DIR, '..', 'README.md'), renderSummary(reportInput));
  log(`wrote ${path.relative(process.cwd(), target)} (${Math.round(durationSeconds)} s in all)`);
  return failures === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(`the bench crashed: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  },
);

import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { pino } from 'pino';
import type { Closable } from '../../shared/lifecycle.js';
import type { Logger } from '../../shared/logger.js';
import { startRampWorker, type RampWorkerOptions, type RunningRampWorker } from '../../services/worker/ramps/ramp-worker.js';
import { openRampQueue, rampStepJobId, type RampQueue } from '../../shared/domain/ramps/ramp-queue.js';
import type { RampStepJob } from '../../shared/schemas/ramps.js';
import type { FlagChangeEvent } from '../../shared/schemas/events.js';
import { CHANGE_CHANNEL, ChangeNotificationSchema, type ChangeNotification } from '../../shared/schemas/events.js';
import type { TestEnvironment, Teardowns } from './environment.js';

const REPO_ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface TestWorker extends RunningRampWorker {
  /** The worker's log lines, parsed (level info and up). */
  logs: Array<Record<string, unknown> & { msg: string }>;
}

/** A logger (level info) whose lines are kept, parsed, in `logs`. */
export function capturingLogger(): { logger: Logger; logs: TestWorker['logs'] } {
  const logs: TestWorker['logs'] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line) logs.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, sink), logs };
}

/** Closes `component` at teardown, and makes its close() safe to call again before that. */
export function closeOnce(t: Teardowns, component: Closable): () => Promise<void> {
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await component.close();
  };
  t.teardown(close);
  return close;
}

/** Starts the ramp worker in the test process against the test environment; closed at teardown. */
export async function startTestWorker(
  t: Teardowns,
  env: TestEnvironment,
  options: Partial<Omit<RampWorkerOptions, 'pool' | 'config' | 'logger'>> = {},
): Promise<TestWorker> {
  const { logger, logs } = capturingLogger();
  const worker = await startRampWorker({ pool: env.pool, config: env.config, logger, ...options });
  return { reconcileNow: () => worker.reconcileNow(), lookAtGuardsNow: () => worker.lookAtGuardsNow(), close: closeOnce(t, worker), logs };
}

/**
 * Polls `probe` until it returns something other than undefined/false, and
 * returns that. A generous deadline turns a hang into a failure that says what
 * it was waiting for; it is not a speed assertion.
 */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The ramp queue of the test environment, as the API and worker see it; closed at teardown. */
export function openTestRampQueue(t: Teardowns, env: TestEnvironment): RampQueue {
  const handle = openRampQueue(env.config, env.logger);
  t.teardown(() => handle.close());
  return handle.queue;
}

/**
 * Waits until the timer job of a step is in Redis, then until it has run and
 * left (completed jobs are removed). For timers due a while after the call.
 */
export async function waitForTimerDone(queue: RampQueue, step: RampStepJob): Promise<void> {
  const id = rampStepJobId(step);
  await waitFor(`timer ${id} to be queued`, async () => (await queue.getJob(id)) !== undefined);
  await waitFor(`timer ${id} to run`, async () => (await queue.getJob(id)) === undefined);
}

/** The change events of one flag in one environment, oldest first. */
export async function flagEvents(env: TestEnvironment, flag: string, environment: string): Promise<FlagChangeEvent[]> {
  const { rows } = await env.pool.query<FlagChangeEvent>(
    `select id, environment_key as environment, version, flag_key as flag, action, actor, before, after, created_at as "createdAt"
       from change_event where flag_key = $1 and environment_key = $2 order by version`,
    [flag, environment],
  );
  return rows;
}

/** LISTENs on the change channel of the test database and keeps every payload; closed at teardown. */
export async function listenForChanges(t: Teardowns, env: TestEnvironment): Promise<ChangeNotification[]> {
  const received: ChangeNotification[] = [];
  const client = new pg.Client({ connectionString: env.config.databaseUrl });
  await client.connect();
  client.on('notification', (message) => {
    if (message.channel === CHANGE_CHANNEL) received.push(ChangeNotificationSchema.parse(JSON.parse(message.payload!)));
  });
  await client.query(`listen ${CHANGE_CHANNEL}`);
  t.teardown(() => client.end());
  return received;
}

export interface WorkerProcess {
  pid: number;
  /** The child's JSON log lines so far. */
  logs: Array<Record<string, unknown> & { msg: string }>;
  /** Resolves with the exit code, or the signal that ended it. */
  exited: Promise<number | NodeJS.Signals>;
  kill(signal?: NodeJS.Signals): Promise<number | NodeJS.Signals>;
}

/**
 * Runs a worker as a real child process (through tsx, as `npm run start:worker`
 * does) with the test environment's configuration, and resolves once it has
 * started (logged `readyMessage`). `script` is relative to the repository root;
 * `extraEnv` adds variables. Killed at teardown if still running.
 */
export async function spawnWorkerProcess(
  t: Teardowns,
  env: TestEnvironment,
  script = 'services/worker/main.ts',
  extraEnv: Record<string, string> = {},
  readyMessage = 'ramp worker started',
): Promise<WorkerProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      DATABASE_URL: env.config.databaseUrl,
      REDIS_URL: env.config.redisUrl,
      FLAGSHIP_ADMIN_TOKEN: env.adminSecret,
      FLAGSHIP_REDIS_PREFIX: env.config.redisPrefix,
      LOG_LEVEL: 'info',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: WorkerProcess['logs'] = [];
  const exited = new Promise<number | NodeJS.Signals>((resolve) => {
    child.once('exit', (code, signal) => resolve(signal ?? code ?? 0));
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let entry: WorkerProcess['logs'][number];
      try {
        entry = JSON.parse(line);
      } catch {
        return;
      }
      logs.push(entry);
      if (entry.msg === readyMessage) resolve();
    });
    void exited.then((how) => reject(new Error(`the worker process exited (${how}) before starting: ${stderr}`)));
  });
  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  t.teardown(() => kill());
  return { pid: child.pid!, logs, exited, kill };
}

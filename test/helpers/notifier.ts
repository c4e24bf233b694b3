import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createPool } from '../../shared/db/pool.js';
import { createRedis } from '../../shared/redis/connection.js';
import { startNotifier, type NotifierOptions } from '../../services/notifier/server.js';
import type { TestEnvironment, Teardowns } from './environment.js';
import { waitFor } from './worker.js';

const REPO_ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface TestNotifierOptions extends Omit<NotifierOptions, 'port'> {
  /** Where the notifier's pool and LISTEN connect (e.g. viaProxy(env.config.databaseUrl, proxy.port)); the test database by default. */
  databaseUrl?: string;
  /** Where its Redis connection goes (e.g. through a TcpProxy); the test Redis by default. */
  redisUrl?: string;
  /** 0 (the default): an ephemeral port. */
  port?: number;
  /** FLAGSHIP_METRICS_TOKEN for this notifier's /metrics. */
  metricsToken?: string;
}

export interface TestNotifier {
  /** The Socket.IO address to give clients: `http://127.0.0.1:<port>`. */
  url: string;
  port: number;
  /**
   * Resolves once this notifier has relayed `version` of `environment`. A
   * socket that joins before then is rightly brought only to the relay's
   * version and sent the rest live; a test that expects a write in a
   * joining socket's replay or snapshot waits for this first.
   */
  relayed(environment: string, version: number): Promise<void>;
  /** Stops it (idempotent; also run at teardown). */
  close(): Promise<void>;
}

/**
 * Starts a real notifier in the test process, on an ephemeral port, against the
 * test environment's database and Redis prefix. It gets its own pool and
 * Redis connection, as a separate process would, so several can run side by
 * side and a proxied `databaseUrl` carries all of its PostgreSQL traffic.
 * Closed at teardown.
 */
export async function startTestNotifier(t: Teardowns, env: TestEnvironment, options: TestNotifierOptions = {}): Promise<TestNotifier> {
  const databaseUrl = options.databaseUrl ?? env.config.databaseUrl;
  const pool = createPool(databaseUrl, env.logger);
  const { redisUrl, databaseUrl: _databaseUrl, metricsToken: _metricsToken, ...notifierOptions } = options;
  const redis = createRedis(redisUrl ?? env.config.redisUrl, env.logger);
  const notifier = await startNotifier(
    { pool, redis, logger: env.logger, databaseUrl, redisPrefix: env.redisPrefix, metricsToken: options.metricsToken },
    { ...notifierOptions, port: options.port ?? 0, host: options.host ?? '127.0.0.1' },
  ).catch(async (error: unknown) => {
    redis.disconnect();
    await pool.end();
    throw error;
  });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await notifier.close();
    redis.disconnect();
    await pool.end();
  };
  t.teardown(close);
  const relayed = async (environment: string, version: number) => {
    await waitFor(`the notifier to relay ${environment} version ${version}`, async () => (notifier.relayedVersion(environment) ?? -1) >= version);
  };
  return { url: `http://127.0.0.1:${notifier.port}`, port: notifier.port, relayed, close };
}

export interface NotifierProcess {
  url: string;
  port: number;
  pid: number;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<number | NodeJS.Signals>;
  /** Sends `signal` (SIGKILL by default: a crash) and waits for the exit. */
  kill(signal?: NodeJS.Signals): Promise<number | NodeJS.Signals>;
}

/**
 * Runs `services/notifier/main.ts` as a child process (through tsx, exactly
 * as `npm run start:notifier` does) with the test environment's
 * configuration, and resolves once it listens. Pass `port` to restart one on
 * the port of a killed one. Killed at teardown if still running.
 */
export async function spawnNotifierProcess(
  t: Teardowns,
  env: TestEnvironment,
  options: { databaseUrl?: string; port?: number } = {},
): Promise<NotifierProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'services/notifier/main.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      DATABASE_URL: options.databaseUrl ?? env.config.databaseUrl,
      REDIS_URL: env.config.redisUrl,
      NOTIFIER_PORT: String(options.port ?? 0),
      FLAGSHIP_ADMIN_TOKEN: env.adminSecret,
      FLAGSHIP_REDIS_PREFIX: env.config.redisPrefix,
      // The helper reads the port from the 'notifier listening' line.
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | NodeJS.Signals>((resolve) => {
    child.once('exit', (code, signal) => resolve(signal ?? code ?? 0));
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; port?: number };
        if (entry.msg === 'notifier listening' && typeof entry.port === 'number') resolve(entry.port);
      } catch {
        // Not a log line: ignore.
      }
    });
    void exited.then((how) => reject(new Error(`the notifier process exited (${how}) before listening: ${stderr}`)));
  });
  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  t.teardown(() => kill());
  return { url: `http://127.0.0.1:${port}`, port, pid: child.pid!, exited, kill };
}

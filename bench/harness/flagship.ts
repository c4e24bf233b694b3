import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { BENCH_DIR } from './ipc.js';
import { REDIS_URL, type Isolation } from './isolation.js';
import { sleep, waitFor } from './clock.js';

const REPO_ROOT = path.join(BENCH_DIR, '..');

const SERVICES = {
  api: 'services/api/main.ts',
  notifier: 'services/notifier/main.ts',
  worker: 'services/worker/main.ts',
} as const;

export type ServiceName = keyof typeof SERVICES;

export interface FlagShipOptions {
  isolation: Isolation;
  /** Each service's stdout and stderr go to `<logDir>/<service>.log`. */
  logDir: string;
  /** When set, every service runs with --cpu-prof and writes its profile here when it stops. */
  profileDir?: string;
}

export interface FlagShip {
  apiUrl: string;
  notifierUrl: string;
  adminSecret: string;
  pids: Record<ServiceName, number>;
  /**
   * Starts one more notifier process (same database, Redis prefix and
   * configuration, a port of its own) and waits until it answers /healthz; it
   * is stopped with the others. The design runs N notifiers side by side.
   */
  addNotifier(): Promise<{ url: string; pid: number }>;
  /** SIGTERM to every service (they close cleanly and write their CPU profiles), SIGKILL after 10 s. */
  stop(): Promise<void>;
}

/** A port the kernel says is free now (the service binds it a moment later). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function logTail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '(no log)';
  }
}

interface Started {
  child: ChildProcess;
  logFile: string;
  exited: Promise<void>;
}

function startService(name: ServiceName, env: NodeJS.ProcessEnv, options: FlagShipOptions, logName: string = name): Started {
  const logFile = path.join(options.logDir, `${logName}.log`);
  const log = openSync(logFile, 'a');
  // One folder per service: node writes a profile per thread (tsx's loader runs in one of its own).
  const profiling = options.profileDir ? ['--cpu-prof', '--cpu-prof-dir', path.join(options.profileDir, name)] : [];
  // node --import tsx (not the tsx CLI, which forks a second process): the pid
  // is the service itself, so its memory can be read from /proc.
  const child = spawn(process.execPath, [...profiling, '--import', 'tsx', SERVICES[name]], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, logFile, exited };
}

async function httpStatus(url: string): Promise<number | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return undefined;
  }
}

/**
 * Starts FlagShip's three services as separate processes, as in production,
 * against the run's own database and Redis prefix, and waits until each is
 * ready: the API answers /readyz, the notifier answers /healthz,
 * the worker has logged that it started.
 */
export async function startFlagShip(options: FlagShipOptions): Promise<FlagShip> {
  mkdirSync(options.logDir, { recursive: true });
  if (options.profileDir) mkdirSync(options.profileDir, { recursive: true });
  const [apiPort, notifierPort, workerPort] = [await freePort(), await freePort(), await freePort()];
  const adminSecret = `bench-admin-${randomBytes(16).toString('hex')}`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    DATABASE_URL: options.isolation.databaseUrl,
    REDIS_URL,
    FLAGSHIP_REDIS_PREFIX: options.isolation.redisPrefix,
    PORT: String(apiPort),
    NOTIFIER_PORT: String(notifierPort),
    // The worker's /healthz and /metrics: a free port, not the shared default other runs may hold.
    WORKER_PORT: String(workerPort),
    FLAGSHIP_ADMIN_TOKEN: adminSecret,
    LOG_LEVEL: 'info',
  };
  // The API first: it creates and migrates the database; the others would wait on the migration lock anyway.
  const started: Partial<Record<ServiceName, Started>> = {};
  const extraNotifiers: Started[] = [];
  const stop = async () => {
    const running = [...Object.values(started), ...extraNotifiers];
    for (const service of running) service.child.kill('SIGTERM');
    const killer = setTimeout(() => {
      for (const service of running) service.child.kill('SIGKILL');
    }, 10_000);
    await Promise.all(running.map((service) => service.exited));
    clearTimeout(killer);
  };

  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const notifierUrl = `http://127.0.0.1:${notifierPort}`;
  const ready = async (name: ServiceName, probe: () => Promise<boolean>) => {
    const service = started[name]!;
    let exited = false;
    void service.exited.then(() => {
      exited = true;
    });
    try {
      await waitFor(`the ${name} to be ready`, async () => {
        if (exited) throw new Error(`the ${name} exited while starting:\n${logTail(service.logFile)}`);
        return (await probe()) ? true : undefined;
      }, 180_000, 100);
    } catch (error) {
      await stop();
      throw error;
    }
  };

  started.api = startService('api', env, options);
  await ready('api', async () => (await httpStatus(`${apiUrl}/readyz`)) === 200);
  started.notifier = startService('notifier', env, options);
  started.worker = startService('worker', env, options);
  // The notifier speaks WebSocket only; its /healthz answers on the same port.
  await ready('notifier', async () => (await httpStatus(`${notifierUrl}/healthz`)) === 200);
  await ready('worker', async () => logTail(started.worker!.logFile).includes('ramp worker started'));
  // Let the notifier finish its first catch-up before anything is measured.
  await sleep(200);

  return {
    apiUrl,
    notifierUrl,
    adminSecret,
    pids: { api: started.api.child.pid!, notifier: started.notifier.child.pid!, worker: started.worker.child.pid! },
    async addNotifier() {
      const port = await freePort();
      const service = startService('notifier', { ...env, NOTIFIER_PORT: String(port) }, options, `notifier-${extraNotifiers.length + 2}`);
      extraNotifiers.push(service);
      const url = `http://127.0.0.1:${port}`;
      let exited = false;
      void service.exited.then(() => {
        exited = true;
      });
      await waitFor('an extra notifier to be ready', async () => {
        if (exited) throw new Error(`an extra notifier exited while starting:\n${logTail(service.logFile)}`);
        return (await httpStatus(`${url}/healthz`)) === 200 ? true : undefined;
      }, 180_000, 100);
      return { url, pid: service.child.pid! };
    },
    stop,
  };
}

/** A process's resident memory in bytes, from /proc (Linux). */
export function residentBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) * 1024;
}

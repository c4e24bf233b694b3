import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { waitFor } from './clock.js';
import { POSTGRES_SERVER_URL } from './isolation.js';
import type { FlagSeed } from './admin-client.js';

/*
 * The peer: Unleash OSS, installed from npm into a folder of its own under the
 * system's temporary directory (never a dependency of FlagShip), started as
 * `node dist/server.js` on a PostgreSQL database of the run's own, with
 * its tokens given at start (INIT_*_API_TOKENS), so no login is needed.
 */

/** 8.2.0 declares Node ≥ 22, yet starts and serves every route the bench uses on Node 20 (checked at each run: it must answer). */
export const UNLEASH_VERSION = process.env.BENCH_UNLEASH_VERSION ?? '8.2.0';
/** Unleash OSS has the environments `development` and `production` in its `default` project; the bench uses the first. */
export const UNLEASH_ENVIRONMENT = 'development';
export const UNLEASH_PROJECT = 'default';

const INSTALL_TIMEOUT_MS = 10 * 60_000;
const MARKER = '.flagship-bench-installed';

export interface UnleashServer {
  url: string;
  version: string;
  /** `*:*.<secret>`: the admin API. */
  adminToken: string;
  /** `default:development.<secret>`: the client API (/api/client/features). */
  backendToken: string;
  /** `default:development.<secret>`: the frontend API (/api/frontend). */
  frontendToken: string;
  pid: number;
  /** SIGTERM (SIGKILL after 10 s), then its database is dropped. */
  stop(): Promise<void>;
}

function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Runs `work` while holding `<prefix>.lock`, so that two runs starting at once
 * do not install into the same folder (mkdir is atomic: one creates it, the
 * other waits). A lock older than an install may take was left by a run that
 * died mid-install, and is taken over.
 */
async function whileLocked<T>(prefix: string, log: (message: string) => void, work: () => Promise<T>): Promise<T> {
  const lock = `${prefix}.lock`;
  let told = false;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let heldSince: number | undefined;
    try {
      heldSince = statSync(lock).mtimeMs;
    } catch {
      continue; // released meanwhile
    }
    if (Date.now() - heldSince > INSTALL_TIMEOUT_MS) {
      rmSync(lock, { recursive: true, force: true });
      continue;
    }
    if (!told) log(`peers: another run is installing into ${prefix}; waiting for it`);
    told = true;
    await sleep(1000);
  }
  try {
    return await work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * `npm install --prefix <tmp>/flagship-bench-peers-unleash-server-<version>`, once
 * per version: a later run finds the marker and starts at once, and a run
 * starting while another installs waits for it. Throws with npm's last lines
 * when the install fails (no registry, a native build that breaks, …).
 */
export async function installUnleash(log: (message: string) => void, version = UNLEASH_VERSION): Promise<string> {
  const prefix = path.join(os.tmpdir(), `flagship-bench-peers-unleash-server-${version}`);
  const entry = path.join(prefix, 'node_modules', 'unleash-server', 'dist', 'server.js');
  const installed = () => existsSync(path.join(prefix, MARKER)) && existsSync(entry);
  if (installed()) return prefix;
  return whileLocked(prefix, log, async () => {
    // The run that held the lock may have installed it.
    if (installed()) return prefix;
    await install(prefix, entry, log, version);
    return prefix;
  });
}

async function install(prefix: string, entry: string, log: (message: string) => void, version: string): Promise<void> {
  mkdirSync(prefix, { recursive: true });
  const logFile = path.join(prefix, 'npm-install.log');
  log(`peers: installing unleash-server@${version} into ${prefix} (once per version; log ${logFile})`);
  const out = openSync(logFile, 'w');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const child = spawn(npm, ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--omit=dev', '--no-save', '--loglevel=warn', `unleash-server@${version}`], {
    cwd: prefix,
    stdio: ['ignore', out, out],
    env: { ...process.env, npm_config_engine_strict: 'false' },
  });
  closeSync(out);
  const code = await new Promise<number | string>((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve('timeout');
    }, INSTALL_TIMEOUT_MS);
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve(error.message);
    });
    child.once('exit', (exitCode, signal) => {
      clearTimeout(timer);
      resolve(exitCode ?? String(signal));
    });
  });
  if (code !== 0 || !existsSync(entry)) {
    throw new Error(`npm install unleash-server@${version} failed (${code === 'timeout' ? `no end after ${INSTALL_TIMEOUT_MS / 60_000} min` : `exit ${code}`}):\n${tail(logFile)}`);
  }
  writeFileSync(path.join(prefix, MARKER), `${version}\n`);
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function maintenance(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: `${POSTGRES_SERVER_URL}/postgres` });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Starts the installed Unleash on `databaseName` (created here, dropped by stop();
 * named after the run's own database, so a later run's leftover sweep removes it
 * if this run crashes) and waits until /health answers.
 */
export async function startUnleash(options: { prefix: string; databaseName: string; logDir: string; version?: string }): Promise<UnleashServer> {
  const { prefix, databaseName, logDir } = options;
  mkdirSync(logDir, { recursive: true });
  await maintenance(`create database ${pg.escapeIdentifier(databaseName)}`);
  const port = await freePort();
  const secret = () => randomBytes(16).toString('hex');
  const adminToken = `*:*.${secret()}`;
  const backendToken = `${UNLEASH_PROJECT}:${UNLEASH_ENVIRONMENT}.${secret()}`;
  const frontendToken = `${UNLEASH_PROJECT}:${UNLEASH_ENVIRONMENT}.${secret()}`;
  const logFile = path.join(logDir, 'unleash.log');
  const out = openSync(logFile, 'a');
  const child: ChildProcess = spawn(process.execPath, [path.join('node_modules', 'unleash-server', 'dist', 'server.js')], {
    cwd: prefix,
    stdio: ['ignore', out, out],
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TZ: 'UTC',
      NODE_ENV: 'production',
      DATABASE_URL: `${POSTGRES_SERVER_URL}/${databaseName}`,
      DATABASE_SSL: 'false',
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(port),
      LOG_LEVEL: 'warn',
      CHECK_VERSION: 'false',
      SEND_TELEMETRY: 'false',
      INIT_ADMIN_API_TOKENS: adminToken,
      INIT_BACKEND_API_TOKENS: backendToken,
      INIT_FRONTEND_API_TOKENS: frontendToken,
      // Unleash limits SDK reads to 20,000 a minute per client by default; autocannon
      // sends more than that in a measured run, and 429s would be measured instead.
      SDK_API_RATE_LIMIT_PER_MINUTE: '100000000',
      TOKEN_AUTHENTICATION_RATE_LIMIT_PER_MINUTE: '100000000',
      REGISTER_CLIENT_RATE_LIMIT_PER_MINUTE: '100000000',
      CLIENT_METRICS_RATE_LIMIT_PER_MINUTE: '100000000',
      REGISTER_FRONTEND_RATE_LIMIT_PER_MINUTE: '100000000',
      FRONTEND_METRICS_RATE_LIMIT_PER_MINUTE: '100000000',
    },
  });
  closeSync(out);
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exit;
      clearTimeout(killer);
    }
    await maintenance(`drop database if exists ${pg.escapeIdentifier(databaseName)} with (force)`);
  };
  const url = `http://127.0.0.1:${port}`;
  try {
    // Its migrations run first: about 6 s on an idle machine.
    await waitFor('Unleash to answer /health', async () => {
      if (exited) throw new Error(`Unleash exited while starting:\n${tail(logFile)}`);
      try {
        const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) });
        await response.arrayBuffer();
        return response.status === 200 ? true : undefined;
      } catch {
        return undefined;
      }
    }, 120_000, 250);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, version: options.version ?? UNLEASH_VERSION, adminToken, backendToken, frontendToken, pid: child.pid!, stop };
}

/** Unleash's admin API, as the bench needs it. */
export class UnleashAdmin {
  constructor(private readonly server: UnleashServer) {}

  async call<T>(method: string, route: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.server.url}${route}`, {
      method,
      headers: { authorization: this.server.adminToken, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`Unleash ${method} ${route} answered ${response.status}: ${text.slice(0, 500)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  private featurePath(key: string): string {
    return `/api/admin/projects/${UNLEASH_PROJECT}/features/${encodeURIComponent(key)}`;
  }

  /**
   * One of FlagShip's bench flags as Unleash holds it: the flag, one flexibleRollout
   * strategy (default stickiness, the key as group id, FlagShip's `rollout`) in the
   * bench environment, and that environment switched on when the seed is enabled.
   * Returns the strategy's id (the writes update it).
   */
  async createFlag(seed: FlagSeed): Promise<string> {
    await this.call('POST', `/api/admin/projects/${UNLEASH_PROJECT}/features`, { name: seed.key, description: 'bench', type: 'release' });
    const strategy = await this.call<{ id: string }>('POST', `${this.featurePath(seed.key)}/environments/${UNLEASH_ENVIRONMENT}/strategies`, {
      name: 'flexibleRollout',
      parameters: { rollout: String(seed.rollout), stickiness: 'default', groupId: seed.key },
      constraints: [],
    });
    if (seed.enabled) await this.call('POST', `${this.featurePath(seed.key)}/environments/${UNLEASH_ENVIRONMENT}/on`);
    return strategy.id;
  }

  /** The bench's seed, a few flags at a time (as FlagShip's is seeded). Strategy id per flag key. */
  async createFlags(seeds: FlagSeed[], concurrency = 4): Promise<Map<string, string>> {
    const strategies = new Map<string, string>();
    const queue = [...seeds];
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let seed = queue.shift(); seed; seed = queue.shift()) strategies.set(seed.key, await this.createFlag(seed));
      }),
    );
    return strategies;
  }

  /** Sets the rollout of a flag's flexibleRollout strategy (the admin UI's edit of a strategy). */
  async setRollout(key: string, strategyId: string, rollout: number): Promise<void> {
    await this.call('PUT', `${this.featurePath(key)}/environments/${UNLEASH_ENVIRONMENT}/strategies/${strategyId}`, {
      name: 'flexibleRollout',
      parameters: { rollout: String(rollout), stickiness: 'default', groupId: key },
      constraints: [],
    });
  }
}

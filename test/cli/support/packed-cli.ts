import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { access, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PassThrough, Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { Teardowns } from '../../helpers/environment.js';
import { REPOSITORY } from '../../packages/support/installed-app.js';

const run = promisify(execFile);
const PACK_LOCK = path.join(REPOSITORY, 'packages/cli/.pack-lock');
/** Installs of this repository's packed CLI, one per content of what the tarball is made from (another checkout has its own folder). */
const CACHE_ROOT = path.join(os.tmpdir(), `flagship-cli-installs-${createHash('sha256').update(REPOSITORY).digest('hex').slice(0, 12)}`);
/** What `npm pack -w packages/cli` builds the tarball from: the package's files and the build script. */
const PACK_INPUTS_SKIPPED = new Set(['node_modules', 'dist', '.pack-lock', 'tsconfig.build.json']);

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Variables besides PATH, HOME and XDG_CONFIG_HOME (the install's own). */
  env?: Record<string, string>;
  cwd?: string;
  input?: string;
  /** Kill it after this long (a bound, not an expectation). Default 60 s. */
  limitMs?: number;
}

export interface RunningCli {
  output: () => { stdout: string; stderr: string };
  /** Whether it is still running. */
  running: () => boolean;
  done: Promise<CliRun>;
}

export interface PackedCli {
  /**
   * The fresh folder outside the repository @flagship/cli is installed in (from
   * its tarball), nothing of the repository reachable. Shared read-only by the
   * test files (and runs) that pack the same sources: see packedInstall.
   */
  installDirectory: string;
  /** This test file's own folder: HOME, the config home, the files it writes, where commands run. */
  directory: string;
  tarball: string;
  /** The installed `flagship` bin. */
  bin: string;
  /** A config home of this install's own (XDG_CONFIG_HOME). */
  configHome: string;
  npm(...args: string[]): Promise<string>;
  write(file: string, text: string): Promise<string>;
  start(args: string[], options?: RunOptions): RunningCli;
  run(args: string[], options?: RunOptions): Promise<CliRun>;
  /**
   * Runs the installed package's `run(argv, io)` in this process: the same
   * packed code as the bin, without a process start (for the many short
   * cases: --help, bad input). Not a terminal.
   */
  runInProcess(args: string[], options?: Omit<RunOptions, 'limitMs'>): Promise<CliRun>;
  /** runInProcess, watched while it runs. */
  startInProcess(args: string[], options?: Omit<RunOptions, 'limitMs'>): RunningCli;
}

/** One pack at a time: `npm pack` builds packages/cli/dist (prepack), which two test files must not do at once. */
async function withPackLock<T>(work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      await mkdir(PACK_LOCK);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (Date.now() > deadline) throw new Error(`${PACK_LOCK} held for 3 minutes: remove it if no test runs`);
      await sleep(250);
    }
  }
  try {
    return await work();
  } finally {
    await rm(PACK_LOCK, { recursive: true, force: true });
  }
}

/** A key of everything the tarball is made from: the package's files (not node_modules or dist) and the build script. */
async function packInputsKey(): Promise<string> {
  const hash = createHash('sha256');
  const add = async (relative: string) => {
    hash.update(`${relative}\0`).update(await readFile(path.join(REPOSITORY, relative))).update('\0');
  };
  const walk = async (relative: string): Promise<void> => {
    const entries = await readdir(path.join(REPOSITORY, relative), { withFileTypes: true });
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (PACK_INPUTS_SKIPPED.has(entry.name)) continue;
      const child = path.join(relative, entry.name);
      if (entry.isDirectory()) await walk(child);
      else if (entry.isFile()) await add(child);
    }
  };
  await walk('packages/cli');
  await add('scripts/build-packages.ts');
  return hash.digest('hex').slice(0, 16);
}

const exists = (file: string) => access(file).then(() => true, () => false);

/**
 * Packs @flagship/cli as publishing would (`npm pack`, whose prepack builds
 * dist/) and installs the tarball into a fresh folder in the system's
 * temporary directory, once per content of its sources: packing costs tens
 * of seconds (tsc writes the declarations), installing about ten, so the
 * test files that run the packed CLI share one install, and a run with the
 * same sources as the last reuses it. Any change to the package's files or
 * the build script makes a new pack and install (older ones are removed).
 */
async function packedInstall(): Promise<{ installDirectory: string; tarball: string }> {
  const key = await packInputsKey();
  const ready = path.join(CACHE_ROOT, key);
  const found = async () => ((await exists(path.join(ready, 'installed'))) ? { installDirectory: path.join(ready, 'install'), tarball: path.join(ready, 'flagship-cli.tgz') } : undefined);
  const cached = await found();
  if (cached) return cached;
  return withPackLock(async () => {
    const installed = await found();
    if (installed) return installed;
    await mkdir(CACHE_ROOT, { recursive: true });
    for (const stale of await readdir(CACHE_ROOT)) await rm(path.join(CACHE_ROOT, stale), { recursive: true, force: true });
    const building = await mkdtemp(path.join(CACHE_ROOT, 'building-'));
    const tarballs = path.join(building, 'tarballs');
    await mkdir(tarballs);
    await rm(path.join(REPOSITORY, 'packages/cli/dist'), { recursive: true, force: true });
    await run('npm', ['pack', '--silent', '--pack-destination', tarballs, '-w', 'packages/cli'], { cwd: REPOSITORY, maxBuffer: 16 << 20 });
    const [file] = await readdir(tarballs);
    await rename(path.join(tarballs, file!), path.join(building, 'flagship-cli.tgz'));
    const install = path.join(building, 'install');
    await mkdir(install);
    await writeFile(path.join(install, 'package.json'), JSON.stringify({ name: 'a-ci-job', version: '1.0.0', private: true }));
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', path.join(building, 'flagship-cli.tgz')], { cwd: install, maxBuffer: 16 << 20 });
    // Installed from inside `building`: the tarball's path in package.json stays valid once renamed, as npm recorded it relative.
    await writeFile(path.join(building, 'installed'), `${key}\n`);
    await rename(building, ready);
    return (await found())!;
  });
}

/**
 * The packed @flagship/cli (packedInstall), and a folder of this test file's
 * own to run its `flagship` bin in, as a user would.
 */
export async function installPackedCli(t: Teardowns): Promise<PackedCli> {
  const { installDirectory, tarball } = await packedInstall();
  const directory = await mkdtemp(path.join(os.tmpdir(), 'flagship-cli-'));
  t.teardown(() => rm(directory, { recursive: true, force: true }));
  const npm = async (...args: string[]) => (await run('npm', args, { cwd: installDirectory, maxBuffer: 16 << 20 })).stdout;
  const bin = path.join(installDirectory, 'node_modules/.bin/flagship');
  const configHome = path.join(directory, 'config');

  const start = (args: string[], options: RunOptions = {}): RunningCli => {
    const child = spawn(bin, args, {
      cwd: options.cwd ?? directory,
      env: { PATH: process.env.PATH, HOME: directory, XDG_CONFIG_HOME: configHome, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.end(options.input ?? '');
    const limit = setTimeout(() => child.kill('SIGKILL'), options.limitMs ?? 60_000);
    let exited = false;
    const done = new Promise<CliRun>((resolve) => {
      child.on('close', (code) => {
        exited = true;
        clearTimeout(limit);
        resolve({ code, stdout, stderr });
      });
    });
    t.teardown(() => {
      if (!exited) child.kill('SIGKILL');
    });
    return { output: () => ({ stdout, stderr }), running: () => !exited, done };
  };

  const startInProcess = (args: string[], options: Omit<RunOptions, 'limitMs'> = {}): RunningCli => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    let exited = false;
    stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const entry = pathToFileURL(path.join(installDirectory, 'node_modules/@flagship/cli/dist/esm/index.js')).href;
    const done = (async () => {
      const { run: runCli } = (await import(entry)) as { run(argv: string[], io: unknown): Promise<number> };
      const code = await runCli(args, {
        stdout,
        stderr,
        stdin: Readable.from([options.input ?? '']),
        env: { HOME: directory, XDG_CONFIG_HOME: configHome, ...options.env },
        cwd: options.cwd ?? directory,
        interactive: false,
        color: false,
      });
      exited = true;
      return { code, stdout: out, stderr: err };
    })();
    return { output: () => ({ stdout: out, stderr: err }), running: () => !exited, done };
  };

  const runInProcess = async (args: string[], options: Omit<RunOptions, 'limitMs'> = {}): Promise<CliRun> => startInProcess(args, options).done;

  return {
    installDirectory,
    directory,
    tarball,
    runInProcess,
    startInProcess,
    bin,
    configHome,
    npm,
    write: async (name, text) => {
      const target = path.join(directory, name);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, text);
      return target;
    },
    start,
    run: (args, options) => start(args, options).done,
  };
}

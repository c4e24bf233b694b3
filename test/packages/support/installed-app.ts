import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { Teardowns } from '../../helpers/environment.js';

const run = promisify(execFile);
export const REPOSITORY = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const PACKAGE_DIRECTORIES = ['packages/evaluation', 'packages/sdk', 'packages/openfeature'];

export interface InstalledApp {
  /** A folder outside the repository with the packed packages installed, as a user's app has them. */
  directory: string;
  /** The tarballs `npm pack` wrote (installed there). */
  tarballs: string[];
  /** Runs `npm` there. */
  npm(...args: string[]): Promise<string>;
  write(file: string, text: string): Promise<string>;
}

/**
 * Packs the packages (`npm pack`, as publishing would) from a checkout
 * without any dist/, so each package's prepack must build it, and installs
 * the tarballs, with `extra` registry packages, into a fresh app in the
 * system's temporary folder: nothing of the repository is reachable from
 * there, so what works there works for users.
 */
export async function installPackedPackages(t: Teardowns, extra: string[]): Promise<InstalledApp> {
  for (const workspace of PACKAGE_DIRECTORIES) await rm(path.join(REPOSITORY, workspace, 'dist'), { recursive: true, force: true });
  const directory = await mkdtemp(path.join(os.tmpdir(), 'flagship-app-'));
  t.teardown(() => rm(directory, { recursive: true, force: true }));
  const tarballs = path.join(directory, 'tarballs');
  await mkdir(tarballs);
  const pack = (...workspaces: string[]) =>
    run('npm', ['pack', '--silent', '--pack-destination', tarballs, ...workspaces.flatMap((workspace) => ['-w', workspace])], {
      cwd: REPOSITORY,
      maxBuffer: 16 << 20,
    });
  // The SDK alone first, as someone packing just it would: its prepack also builds
  // @flagship/evaluation, whose types it is built against and which has no dist/ yet.
  await pack('packages/sdk');
  await pack(...PACKAGE_DIRECTORIES.filter((workspace) => workspace !== 'packages/sdk'));
  const packed = (await readdir(tarballs)).map((file) => path.join(tarballs, file));
  await writeFile(path.join(directory, 'package.json'), JSON.stringify({ name: 'an-app', version: '1.0.0', private: true }));
  const npm = async (...args: string[]) => (await run('npm', args, { cwd: directory, maxBuffer: 16 << 20 })).stdout;
  await npm('install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...packed, ...extra);
  return {
    directory,
    tarballs: packed,
    npm,
    write: async (file, text) => {
      const target = path.join(directory, file);
      await writeFile(target, text);
      return target;
    },
  };
}

/** Every package in the installed dependency tree of `name` (npm ls of the app), `name` excluded. */
export async function dependencyTreeOf(app: InstalledApp, name: string): Promise<Set<string>> {
  type Node = { dependencies?: Record<string, Node> };
  const tree = JSON.parse(await app.npm('ls', '--all', '--json')) as Node;
  const names = new Set<string>();
  const walk = (node: Node | undefined) => {
    for (const [dependency, child] of Object.entries(node?.dependencies ?? {})) {
      if (names.has(dependency)) continue;
      names.add(dependency);
      walk(child);
    }
  };
  walk(tree.dependencies?.[name]);
  return names;
}

/** Bytes under `directory` (its files' sizes). */
export async function sizeOf(directory: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(directory, { withFileTypes: true })) {
    const full = path.join(entry.parentPath ?? directory, entry.name);
    total += entry.isDirectory() ? await sizeOf(full) : (await stat(full)).size;
  }
  return total;
}

import { cp, mkdir, rename, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import { buildIfChanged, filesUnder, REPO_ROOT } from './build-stamp.js';

/** Where the server's JavaScript goes: `node dist/services/main.js` is what `npm start` runs. */
export const SERVER_DIST = path.join(REPO_ROOT, 'dist');
/** The server's source folders (the console is built by Vite, the tests run from sources). */
const SOURCE_DIRS = ['services', 'shared', 'packages'];

const CONSOLE_SOURCES = path.join(REPO_ROOT, 'services/console') + path.sep;
const isSource = (file: string) =>
  file.endsWith('.ts') && !file.endsWith('.d.ts') && !file.endsWith('.test.ts') && !file.startsWith(CONSOLE_SOURCES);
/** Files the server reads at run time beside its modules (the migrations). */
const isAsset = (file: string) => file.endsWith('.sql');

async function serverFiles(keep: (file: string) => boolean): Promise<string[]> {
  const found = await Promise.all(SOURCE_DIRS.map((dir) => filesUnder(path.join(REPO_ROOT, dir), keep)));
  return found.flat();
}

async function buildServer(): Promise<void> {
  // Built beside, then swapped in: a process starting meanwhile never sees half a build.
  const building = `${SERVER_DIST}.building-${process.pid}`;
  await rm(building, { recursive: true, force: true });
  await build({
    entryPoints: await serverFiles(isSource),
    outbase: REPO_ROOT,
    outdir: building,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    bundle: false,
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  for (const asset of await serverFiles(isAsset)) {
    const target = path.join(building, path.relative(REPO_ROOT, asset));
    await mkdir(path.dirname(target), { recursive: true });
    await cp(asset, target);
  }
  await mkdir(path.join(building, 'services/console'), { recursive: true });
  // The API serves the console from beside its modules (services/api/console/console-assets.ts): Vite's output.
  await symlink('../../../services/console/dist', path.join(building, 'services/console/dist'));
  const old = `${SERVER_DIST}.old-${process.pid}`;
  await rename(SERVER_DIST, old).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
  await rename(building, SERVER_DIST);
  await rm(old, { recursive: true, force: true });
}

/** Transpiles the server (services/, shared/) to JavaScript in dist/ when its sources changed since the last build. */
export async function ensureServerBuilt(): Promise<boolean> {
  return buildIfChanged({
    name: 'the server',
    inputs: async () => [...(await serverFiles((file) => isSource(file) || isAsset(file))), path.join(REPO_ROOT, 'scripts/build/server-build.ts')],
    stamp: path.join(SERVER_DIST, '.build-hash'),
    lock: `${SERVER_DIST}.build-lock`,
    build: buildServer,
  });
}

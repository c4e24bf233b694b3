import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const CONSOLE_DIR = path.join(REPO_ROOT, 'services/console');
export const CONSOLE_DIST = path.join(CONSOLE_DIR, 'dist');
const MARKER = path.join(CONSOLE_DIST, '.build-hash');
const LOCK = path.join(CONSOLE_DIR, '.build-lock');
/** A lock older than this was left by a test run that died while building. */
const STALE_LOCK_MS = 120_000;

async function filesUnder(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await filesUnder(full)));
    else found.push(full);
  }
  return found;
}

/** Hashes what the build reads: the console's sources and the locked dependency versions. */
async function sourceHash(): Promise<string> {
  const hash = createHash('sha256');
  const files = [...(await filesUnder(CONSOLE_DIR)), path.join(REPO_ROOT, 'package-lock.json')].sort();
  for (const file of files) hash.update(path.relative(REPO_ROOT, file)).update(await readFile(file));
  return hash.digest('hex');
}

async function builtHash(): Promise<string | undefined> {
  return readFile(MARKER, 'utf8').catch(() => undefined);
}

function runViteBuild(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', path.join(CONSOLE_DIR, 'vite.config.ts')], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`vite build failed (${code}):\n${output}`))));
  });
}

/**
 * Builds the console once for all test files: skipped when dist holds a build
 * of the current sources; parallel files wait on a lock directory instead of
 * building twice.
 */
export async function ensureConsoleBuilt(): Promise<void> {
  const wanted = await sourceHash();
  const deadline = Date.now() + 180_000;
  for (;;) {
    if ((await builtHash()) === wanted) return;
    try {
      await mkdir(LOCK);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = Date.now() - (await stat(LOCK).then((info) => info.mtimeMs, () => Date.now()));
      if (age > STALE_LOCK_MS) await rm(LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error('timed out waiting for another test file to build the console');
      await new Promise((resolve) => setTimeout(resolve, 200));
      continue;
    }
    try {
      if ((await builtHash()) !== wanted) {
        await runViteBuild();
        await writeFile(MARKER, wanted);
      }
      return;
    } finally {
      await rm(LOCK, { recursive: true, force: true });
    }
  }
}

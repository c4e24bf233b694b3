import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Every file under `dir` (recursively), skipping dist, node_modules and dot-entries. */
export async function filesUnder(dir: string, keep: (file: string) => boolean = () => true): Promise<string[]> {
  const found: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (entry.name === 'dist' || entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await filesUnder(full, keep)));
    else if (keep(full)) found.push(full);
  }
  return found;
}

/** A hash of what a build reads (paths and contents): equal hashes, equal builds. */
export async function contentHash(files: string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const file of [...files].sort()) hash.update(path.relative(REPO_ROOT, file)).update('\0').update(await readFile(file));
  return hash.digest('hex');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A lock held this long is taken to be left over, whoever holds it (a build never takes this long). */
const ABANDONED_LOCK_MS = 600_000;
/** A lock directory still without its holder's pid after this was left by a process killed right after taking it. */
const PIDLESS_LOCK_MS = 10_000;

export interface StampedBuild {
  /** What the build is called in errors. */
  name: string;
  /** The files the build reads. */
  inputs: () => Promise<string[]>;
  /** Where the hash of the inputs of the last build is kept (inside its output, so they go together). */
  stamp: string;
  /** A directory taken as the lock (mkdir is atomic); every build of this output takes the same one. */
  lock: string;
  build: () => Promise<void>;
  /** How long to wait for another process's build. Default 5 minutes. */
  waitMs?: number;
}

/**
 * Runs `build` only when its inputs changed since the last build (a content
 * hash, not timestamps), and never twice at once: a second start, or a test
 * file, waits for the first one's lock and then finds its build done. A lock
 * left by a killed process (its pid gone) is taken over.
 * Resolves with whether it built.
 */
export async function buildIfChanged(spec: StampedBuild): Promise<boolean> {
  const wanted = await contentHash(await spec.inputs());
  const built = () => readFile(spec.stamp, 'utf8').catch(() => undefined);
  const deadline = Date.now() + (spec.waitMs ?? 300_000);
  const pidFile = path.join(spec.lock, 'pid');
  for (;;) {
    if ((await built()) === wanted) return false;
    try {
      await mkdir(spec.lock);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(await readFile(pidFile, 'utf8').catch(() => NaN));
      const age = Date.now() - (await stat(spec.lock).then((info) => info.mtimeMs, () => Date.now()));
      const abandoned = Number.isInteger(holder) ? !alive(holder) : age > PIDLESS_LOCK_MS;
      if (abandoned || age > ABANDONED_LOCK_MS) await rm(spec.lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`timed out waiting for another process to build ${spec.name} (lock ${spec.lock})`);
      else await new Promise((resolve) => setTimeout(resolve, 200));
      continue;
    }
    try {
      await writeFile(pidFile, String(process.pid));
      if ((await built()) === wanted) return false;
      await spec.build();
      await writeFile(spec.stamp, wanted);
      return true;
    } finally {
      await rm(spec.lock, { recursive: true, force: true });
    }
  }
}

import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';

// `npm start` builds (scripts/build.ts) only what changed, and two starts at
// once from one checkout must not break each other's build (Vite's output
// used to be emptied by the second start while the first wrote it).

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/stamped-build.ts');

function start(dir: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}: ${err}`))));
  });
}

t.test('two starts at once build once; a start with nothing changed reuses the build; a change rebuilds', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'flagship-build-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(path.join(dir, 'input.txt'), 'one');
  const builds = async () => (await readFile(path.join(dir, 'builds.log'), 'utf8')).trim().split('\n');

  t.same((await Promise.all([start(dir), start(dir)])).sort(), ['built', 'reused'], 'the second waited for the first and reused its build');
  t.equal((await builds()).length, 1);
  t.equal(await readFile(path.join(dir, 'output.txt'), 'utf8'), 'one');

  t.equal(await start(dir), 'reused', 'unchanged sources: no build');
  await writeFile(path.join(dir, 'input.txt'), 'two');
  t.equal(await start(dir), 'built', 'changed sources: built again');
  t.equal(await readFile(path.join(dir, 'output.txt'), 'utf8'), 'two');
  t.equal((await builds()).length, 2);
});

t.test("a lock left by a killed start is taken over", async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'flagship-build-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(path.join(dir, 'input.txt'), 'one');
  // A pid that no longer runs: a child that has exited.
  const gone = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, ['-e', '0']);
    child.once('exit', () => resolve(child.pid!));
  });
  const { mkdir } = await import('node:fs/promises');
  await mkdir(path.join(dir, '.lock'));
  await writeFile(path.join(dir, '.lock/pid'), String(gone));
  t.equal(await start(dir), 'built');
});

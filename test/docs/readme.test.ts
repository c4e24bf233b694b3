import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { createTestDatabase } from '../helpers/database.js';
import type { Teardowns } from '../helpers/environment.js';
import { REDIS_URL, deleteRedisKeys, uniqueRedisPrefix } from '../helpers/redis.js';
import { pastedShellBlocks, unexplainedOptOuts } from './readme-blocks.js';

// Runs the README's shell blocks, in order and in one shell as a reader pastes
// them, against FlagShip started as `npm start` starts it (all three services)
// on ephemeral ports, a fresh database and Redis prefix. Every block must exit
// 0 and every curl must get a 2xx. A block that cannot run here (it installs,
// or starts a server in the foreground) opts out with ```sh no-test: <why>.

const REPO_ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');
const readme = await readFile(path.join(REPO_ROOT, 'README.md'), 'utf8');
const blocks = pastedShellBlocks(readme);

t.test('opting a block out says why', async (t) => {
  t.same(unexplainedOptOuts(readme).map((block) => `README.md:${block.line}`), []);
});

// The admin secret the README tells readers to start FlagShip with.
const adminSecret = /FLAGSHIP_ADMIN_TOKEN=(\S+)/.exec(readme)?.[1];

/** Starts services/main.ts (what `npm start` runs) and resolves with its API and notifier ports. */
async function startFlagShip(t: Teardowns, databaseUrl: string, redisPrefix: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'services/main.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      REDIS_URL,
      FLAGSHIP_REDIS_PREFIX: redisPrefix,
      FLAGSHIP_ADMIN_TOKEN: adminSecret,
      PORT: '0',
      NOTIFIER_PORT: '0',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  t.teardown(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise<{ api: number; notifier: number }>((resolve, reject) => {
    const ports: { api?: number; notifier?: number } = {};
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let entry: { msg?: string; port?: number };
      try {
        entry = JSON.parse(line);
      } catch {
        return;
      }
      if (entry.msg === 'API listening') ports.api = entry.port;
      if (entry.msg === 'notifier listening') ports.notifier = entry.port;
      if (entry.msg === 'started' && ports.api && ports.notifier) resolve({ api: ports.api, notifier: ports.notifier });
    });
    void exited.then(() => reject(new Error(`FlagShip exited before it started: ${stderr}`)));
  });
}

// curl as the README uses it, but failing (exit 22) on an answer that is not 2xx or 304.
const CURL_CHECK = String.raw`
curl() {
  local body status
  body=$(mktemp)
  status=$(command curl --silent --show-error --output "$body" --write-out '%{http_code}' "$@") || { cat "$body"; rm -f "$body"; return 1; }
  cat "$body"; rm -f "$body"; echo
  case "$status" in 2??|304) ;; *) echo "curl answered HTTP $status: curl $*" >&2; return 22 ;; esac
}
`;

/** The README's own variables and addresses, pointed at the FlagShip this test started. */
function localise(code: string, ports: { api: number; notifier: number }): string {
  return code
    .replace(/^API=\S+/m, `API=http://127.0.0.1:${ports.api}`)
    .replace(/^NOTIFIER=\S+/m, `NOTIFIER=http://127.0.0.1:${ports.notifier}`)
    .replaceAll('localhost:8080', `127.0.0.1:${ports.api}`)
    .replaceAll('localhost:8081', `127.0.0.1:${ports.notifier}`);
}

t.test("the README's shell blocks work pasted in order against a fresh FlagShip", async (t) => {
  t.ok(adminSecret, 'the README says which FLAGSHIP_ADMIN_TOKEN to start with');
  t.ok(blocks.length >= 5, `found ${blocks.length} shell blocks`);
  const database = await createTestDatabase('readme');
  const redisPrefix = uniqueRedisPrefix('readme');
  t.teardown(async () => {
    await deleteRedisKeys(redisPrefix);
    await database.drop();
  });
  const ports = await startFlagShip(t, database.url, redisPrefix);
  const workdir = await mkdtemp(path.join(os.tmpdir(), 'flagship-readme-'));
  t.teardown(() => rm(workdir, { recursive: true, force: true }));

  const script = [
    'set -euo pipefail',
    CURL_CHECK,
    ...blocks.map((block) => `echo "::block README.md:${block.line}::" >&2\n${localise(block.code, ports)}`),
    'echo "::done::" >&2',
  ].join('\n');
  const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const bash = spawn('bash', ['-c', script], { cwd: workdir, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    bash.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    bash.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    bash.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
  const reached = [...result.stderr.matchAll(/::block (README\.md:\d+)::/g)].map((match) => match[1]);
  const failedAt = reached.at(-1);
  t.equal(result.code, 0, result.code === 0 ? 'every block ran' : `the block at ${failedAt} failed:\n${result.stderr}\n${result.stdout.slice(-2000)}`);
  t.match(result.stderr, /::done::/);
  t.equal(reached.length, blocks.length, 'every block was reached');
  t.notMatch(result.stdout, /"error":\{"code"/, 'no example answered an error body');
});

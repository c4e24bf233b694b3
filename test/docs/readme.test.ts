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
// on ephemeral ports, a fresh database and Redis prefix; then, in the same
// shell, those of the pages below (a reader who followed the README: their
// examples build on its flags and variables). Every block must exit 0 and
// every curl must get a 2xx, or the status its line's comment announces
// (`# → 409: ...`). A block that cannot run here (it installs, or starts a
// server in the foreground) opts out with ```sh no-test: <why>.

const REPO_ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PAGES = ['README.md', 'docs/targeting.md', 'docs/unleash.md', 'docs/sdk.md'];
const pages = await Promise.all(PAGES.map(async (file) => ({ file, markdown: await readFile(path.join(REPO_ROOT, file), 'utf8') })));
const readme = pages[0]!.markdown;
const blocks = pages.flatMap(({ file, markdown }) => pastedShellBlocks(markdown).map((block) => ({ ...block, file })));

t.test('opting a block out says why', async (t) => {
  t.same(pages.flatMap(({ file, markdown }) => unexplainedOptOuts(markdown).map((block) => `${file}:${block.line}`)), []);
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

// curl as the README uses it, but failing (exit 22) on an answer that is not 2xx or
// 304, or not EXPECT_STATUS when set (an announced error answer goes to stderr).
const CURL_CHECK = String.raw`
curl() {
  local body status
  body=$(mktemp)
  status=$(command curl --silent --show-error --output "$body" --write-out '%{http_code}' "$@") || { cat "$body"; rm -f "$body"; return 1; }
  if [ -n "${'$'}{EXPECT_STATUS:-}" ]; then
    cat "$body" >&2; rm -f "$body"; echo >&2
    [ "$status" = "$EXPECT_STATUS" ] || { echo "curl answered HTTP $status, not the $EXPECT_STATUS announced: curl $*" >&2; return 22; }
    return 0
  fi
  cat "$body"; rm -f "$body"; echo
  case "$status" in 2??|304) ;; *) echo "curl answered HTTP $status: curl $*" >&2; return 22 ;; esac
}
`;

/** A command whose line ends with `# → NNN` expects that status: its first line (before any `\` continuation) gets EXPECT_STATUS=NNN. */
function expectAnnouncedStatuses(code: string): string {
  const lines = code.split('\n');
  lines.forEach((line, index) => {
    const status = /#\s*→\s*([1-5]\d\d)\b/.exec(line)?.[1];
    if (!status) return;
    let start = index;
    while (start > 0 && lines[start - 1]!.endsWith('\\')) start -= 1;
    if (!/^curl\b/.test(lines[start]!)) throw new Error(`an announced status belongs to a curl command: ${lines[start]}`);
    lines[start] = `EXPECT_STATUS=${status} ${lines[start]}`;
  });
  return lines.join('\n');
}

/** The README's own variables and addresses, pointed at the FlagShip this test started. */
function localise(code: string, ports: { api: number; notifier: number }): string {
  return code
    .replace(/^API=\S+/m, `API=http://127.0.0.1:${ports.api}`)
    .replace(/^NOTIFIER=\S+/m, `NOTIFIER=http://127.0.0.1:${ports.notifier}`)
    .replaceAll('localhost:8080', `127.0.0.1:${ports.api}`)
    .replaceAll('localhost:8081', `127.0.0.1:${ports.notifier}`);
}

t.test(`the shell blocks of ${PAGES.join(', ')} work pasted in order against a fresh FlagShip`, async (t) => {
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
    ...blocks.map((block) => `echo "::block ${block.file}:${block.line}::" >&2\n${expectAnnouncedStatuses(localise(block.code, ports))}`),
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
  const reached = [...result.stderr.matchAll(/::block (\S+:\d+)::/g)].map((match) => match[1]);
  const failedAt = reached.at(-1);
  t.equal(result.code, 0, result.code === 0 ? 'every block ran' : `the block at ${failedAt} failed:\n${result.stderr}\n${result.stdout.slice(-2000)}`);
  t.match(result.stderr, /::done::/);
  t.equal(reached.length, blocks.length, 'every block was reached');
  t.notMatch(result.stdout, /"error":\{"code"/, 'no example answered an error body');
});

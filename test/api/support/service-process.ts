import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Variables FlagShip reads: never inherited from the test's own environment. */
const FLAGSHIP_VARIABLES = ['DATABASE_URL', 'REDIS_URL', 'PORT', 'NOTIFIER_PORT', 'FLAGSHIP_ADMIN_TOKEN', 'LOG_LEVEL', 'FLAGSHIP_REDIS_PREFIX'];

export interface ServiceProcess {
  child: ChildProcess;
  /** Everything written to stdout so far, a line per entry. */
  stdout: string[];
  stderr: () => string;
  /** Resolves with the first stdout line `match` accepts (rejects if the process exits first). */
  waitForLine(match: (line: string) => boolean): Promise<string>;
  /** The exit code (or signal name) once the process has exited. */
  exited: Promise<number | string>;
}

/**
 * Runs a FlagShip entry point from the repository root: its sources through tsx
 * (`services/api/main.ts`…), or the built JavaScript `npm start` runs (`dist/services/main.js`).
 */
export function startService(script: string, env: Record<string, string>): ServiceProcess {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !FLAGSHIP_VARIABLES.includes(name) && !name.startsWith('TAP')),
  );
  const child = spawn(process.execPath, script.endsWith('.js') ? [script] : ['--import', 'tsx', script], {
    cwd: ROOT,
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  let stderr = '';
  let pending = '';
  const waiters: { match: (line: string) => boolean; resolve: (line: string) => void }[] = [];
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      stdout.push(line);
      for (const waiter of [...waiters]) {
        if (waiter.match(line)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  return {
    child,
    stdout,
    stderr: () => stderr,
    exited,
    waitForLine(match) {
      const seen = stdout.find(match);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise<string>((resolve, reject) => {
        waiters.push({ match, resolve });
        void exited.then((code) =>
          reject(new Error(`${script} exited (${code}) before the line came\nstdout:\n${stdout.join('\n')}\nstderr:\n${stderr}`)),
        );
      });
    },
  };
}

/** The JSON log lines of a service's stdout that parse (pino writes one object per line). */
export function logLines(stdout: string[]): Record<string, unknown>[] {
  return stdout.flatMap((line) => {
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

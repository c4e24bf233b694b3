import type { Readable, Writable } from 'node:stream';
import type { Env } from './config.js';

/** Where a run of the CLI reads and writes: the process's streams, or a test's or a program's own. */
export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  stdin: Readable;
  env: Env;
  cwd: string;
  /** Both stdin and stdout are a terminal: only then does apply ask before writing. */
  interactive: boolean;
  /** Colour the diffs (a terminal, and NO_COLOR unset). */
  color: boolean;
}

export function processIo(): CliIo {
  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    interactive,
    color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
  };
}

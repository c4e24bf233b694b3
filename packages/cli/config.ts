import { chmod, mkdir, open, readFile, rename } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CliError } from './errors.js';

/** Where FlagShip is and the token to reach it with. */
export interface Connection {
  url: string;
  token: string;
}

/** The process environment the CLI reads (passed in, so tests and programs can give their own). */
export type Env = Record<string, string | undefined>;

/** `$XDG_CONFIG_HOME/flagship/config.json`, `~/.config/flagship/config.json` without it. */
export function configPath(env: Env): string {
  const base = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(env.HOME ?? os.homedir(), '.config');
  return path.join(base, 'flagship', 'config.json');
}

async function readStored(env: Env): Promise<Partial<Connection>> {
  const file = configPath(env);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new CliError(`could not read ${file}: ${(error as Error).message}`);
  }
  try {
    const parsed = JSON.parse(text) as Partial<Connection>;
    return { url: typeof parsed.url === 'string' ? parsed.url : undefined, token: typeof parsed.token === 'string' ? parsed.token : undefined };
  } catch {
    throw new CliError(`${file} is not valid JSON: run \`flagship login\` again`);
  }
}

/** The connection: FLAGSHIP_URL and FLAGSHIP_TOKEN override what `flagship login` stored. */
export async function resolveConnection(env: Env): Promise<Connection> {
  const stored = await readStored(env);
  const url = env.FLAGSHIP_URL || stored.url;
  const token = env.FLAGSHIP_TOKEN || stored.token;
  if (!url || !token) {
    throw new CliError(
      `no FlagShip ${!url ? 'URL' : 'token'}: run \`flagship login --url <url>\` or set FLAGSHIP_URL and FLAGSHIP_TOKEN`,
    );
  }
  return { url: normaliseUrl(url), token };
}

/** An http(s) URL without a trailing slash; anything else is refused naming it. */
export function normaliseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError(`'${url}' is not a URL (e.g. https://flags.example.com)`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new CliError(`'${url}' must start with http:// or https://`);
  return parsed.href.replace(/\/+$/, '');
}

/**
 * Writes the connection readable by its owner only (0600, in a 0700 folder):
 * a new file is created with that mode and renamed into place, so the token is
 * never readable by others, not even for a moment.
 */
export async function storeConnection(env: Env, connection: Connection): Promise<string> {
  const file = configPath(env);
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  const handle = await open(temporary, 'w', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(connection, null, 2)}\n`);
  } finally {
    await handle.close();
  }
  await chmod(temporary, 0o600);
  await rename(temporary, file);
  return file;
}

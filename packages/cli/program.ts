import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { ApiClient } from './api-client.js';
import { codeRefsReport, findCodeReferences, formatCodeRefs } from './code-refs.js';
import { normaliseUrl, storeConnection } from './config.js';
import { CommandContext } from './context.js';
import { CliError, EXIT_ERROR, EXIT_OK } from './errors.js';
import { fileCommands } from './file-commands.js';
import { flagsCommand } from './flags-command.js';
import type { CliIo } from './io.js';
import { duration, wholeNumber } from './parse.js';
import { inProject, readAllFlags } from './server-state.js';
import { waitForRelay } from './wait.js';
import { VERSION } from './version.js';

async function readStdin(io: CliIo): Promise<string> {
  let text = '';
  for await (const chunk of io.stdin) text += chunk.toString();
  return text.trim();
}

/** The whole command line, its output going to `io`. */
export function buildProgram(context: CommandContext): Command {
  const { io } = context;
  const program = new Command('flagship')
    .description(
      'FlagShip on the command line. Connects with FLAGSHIP_URL and FLAGSHIP_TOKEN, else with what `flagship login` stored in $XDG_CONFIG_HOME/flagship/config.json.',
    )
    .version(VERSION, '-V, --version', 'print the CLI version')
    // Options after a command are that command's (`wait --version 12` is the version to wait for).
    .enablePositionalOptions()
    .showHelpAfterError('(run with --help for usage)');

  program
    .command('login')
    .description('store the FlagShip URL and an admin or personal token in $XDG_CONFIG_HOME/flagship/config.json (mode 0600), after checking them')
    .option('--url <url>', 'the FlagShip API, e.g. https://flags.example.com (default: FLAGSHIP_URL)')
    .option('--token <token>', 'the token (visible to other users in the process list: prefer --token-stdin)')
    .option('--token-stdin', 'read the token from stdin')
    .option('--no-verify', 'store without checking the token against the server')
    .action(async (options: { url?: string; token?: string; tokenStdin?: boolean; verify: boolean }) => {
      const url = normaliseUrl(options.url ?? io.env.FLAGSHIP_URL ?? missing('--url <url> (or FLAGSHIP_URL)'));
      if (options.token && options.tokenStdin) throw new CliError('give --token or --token-stdin, not both');
      const token = options.token ?? (options.tokenStdin ? await readStdin(io) : (io.env.FLAGSHIP_TOKEN ?? missing('--token-stdin (or --token, or FLAGSHIP_TOKEN)')));
      if (!token) throw new CliError('the token is empty');
      if (options.verify) await new ApiClient({ url, token }).get('/v1/environments');
      const file = await storeConnection(io.env, { url, token });
      context.out(`Logged in to ${url}; stored in ${file} (readable by you only).`);
    });

  program.addCommand(flagsCommand(context));
  for (const command of fileCommands(context)) program.addCommand(command);

  program
    .command('wait')
    .description(
      'wait until every live notifier has relayed a version of an environment to its sockets (a deploy gate; the server answers as soon as the last one reports it); a notifier that died stops counting after a few seconds',
    )
    .requiredOption('--env <env>', 'the environment')
    .option('--version <version>', "the version to wait for (default: the environment's version now)", wholeNumber)
    .option('--timeout <duration>', 'give up (exit 1) after this long: 500ms, 30s, 2m', duration, 60_000)
    .option('--json', 'print the result as JSON')
    .action(async (options: { env: string; version?: number; timeout: number; json?: boolean }) => {
      const result = await waitForRelay(await context.api(), {
        environment: options.env,
        version: options.version,
        timeoutMs: options.timeout,
        onWaiting: (relay, version) =>
          context.note(
            `waiting for ${options.env} version ${version}: ${relay.notifiers.length} live notifier${relay.notifiers.length === 1 ? '' : 's'}, lowest relayed ${relay.version ?? 'none'}`,
          ),
      });
      if (options.json) context.json(result);
      else context.out(`${result.environment} version ${result.version} relayed by every live notifier (${result.notifiers.length}).`);
    });

  program
    .command('code-refs')
    .description(
      'find flag keys in code (our SDK, OpenFeature and Unleash SDK calls in JS/TS, Python, Go, Java, Kotlin, Ruby, C#, PHP, …): keys that name no flag, per file and line, and flags no code references; respects .gitignore; exits 0',
    )
    .argument('[dir]', 'the folder to scan', '.')
    .option('--project <project>', 'compare with the flags of this project only')
    .option('--all', 'list every reference, not only the missing ones')
    .option('--json', 'print JSON: references, missing, unreferenced')
    .action(async (dir: string, options: { project?: string; all?: boolean; json?: boolean }) => {
      const root = path.resolve(io.cwd, dir);
      const api = await context.api();
      const [found, live, everything] = await Promise.all([
        findCodeReferences(root).catch((error: NodeJS.ErrnoException) => {
          throw new CliError(`could not scan ${dir}: ${error.code === 'ENOENT' ? 'no such folder' : error.message}`);
        }),
        readAllFlags(api),
        readAllFlags(api, 'true'),
      ]);
      const liveKeys = inProject(live, options.project).map((flag) => flag.key);
      const archived = everything.filter((flag) => flag.archivedAt !== null).map((flag) => flag.key);
      const report = codeRefsReport(found, liveKeys, archived);
      if (options.json) context.json(report);
      else context.out(formatCodeRefs(report, Boolean(options.all)));
    });

  const configure = (command: Command) => {
    command
      .exitOverride()
      .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) });
    for (const child of command.commands) configure(child);
  };
  configure(program);
  return program;
}

function missing(what: string): never {
  throw new CliError(`give ${what}`);
}

/** Runs the CLI with `argv` (without node and the script) and resolves with its exit code; never throws. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const context = new CommandContext(io);
  const program = buildProgram(context);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_OK : EXIT_ERROR;
    if (error instanceof CliError) {
      if (error.message) io.stderr.write(`error: ${error.message}\n`);
      return error.exitCode;
    }
    io.stderr.write(`error: ${(error as Error)?.message ?? String(error)}\n`);
    return EXIT_ERROR;
  }
}

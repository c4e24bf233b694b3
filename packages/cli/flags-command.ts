import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { parse, stringify } from 'yaml';
import { segment as escape } from './api-client.js';
import type { CommandContext } from './context.js';
import { CliError } from './errors.js';
import { flagFileOf } from './flag-file.js';
import type { ServerFlag, ServerState } from './model.js';
import { collect, percentage, wholeNumber } from './parse.js';
import { inProject, pickEnvironments, projectOf, readAllFlags, readEnvironments } from './server-state.js';

/** `on`, `on 25%`, `on (2 strategies)`, `off`. */
function summary(state: ServerState | undefined): string {
  if (!state) return '-';
  if (!state.enabled) return 'off';
  if (state.rollout !== null) return state.rollout === 100 ? 'on' : `on ${state.rollout}%`;
  return `on (${state.strategies.length} strateg${state.strategies.length === 1 ? 'y' : 'ies'})`;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n');
}

const ifMatch = (version: number | undefined): Record<string, string> => (version === undefined ? {} : { 'if-match': `"${version}"` });

/** `flagship flags ls|get|enable|disable|set`. */
export function flagsCommand(context: CommandContext): Command {
  const flags = new Command('flags').description('list, read and change flags');

  flags
    .command('ls')
    .description('list live flags with their state per environment')
    .option('--env <env>', 'only these environments (repeat, or comma-separated)', collect)
    .option('--project <project>', 'only the flags of this project')
    .option('--json', 'print JSON')
    .action(async (options: { env?: string[]; project?: string; json?: boolean }) => {
      const api = await context.api();
      const [environments, all] = await Promise.all([readEnvironments(api), readAllFlags(api)]);
      const shown = pickEnvironments(environments, options.env);
      const list = inProject(all, options.project);
      if (options.json) {
        context.json({
          flags: list.map((flag) => ({
            key: flag.key,
            type: flag.type,
            project: projectOf(flag),
            environments: Object.fromEntries(
              shown.map((environment) => {
                const state = flag.environments[environment];
                return [environment, state && { enabled: state.enabled, rollout: state.rollout, version: state.version }];
              }),
            ),
          })),
        });
        return;
      }
      if (list.length === 0) return context.note('No flags.');
      context.out(table([['KEY', 'TYPE', ...shown.map((environment) => environment.toUpperCase())], ...list.map((flag) => [flag.key, flag.type, ...shown.map((environment) => summary(flag.environments[environment]))])]));
    });

  flags
    .command('get')
    .description("show one flag: its description, type and configuration per environment (as export writes it), with each state's version")
    .argument('<key>', 'the flag key')
    .option('--env <env>', 'only these environments (repeat, or comma-separated)', collect)
    .option('--json', 'print JSON (the API\'s flag, with versions and timestamps)')
    .action(async (key: string, options: { env?: string[]; json?: boolean }) => {
      const api = await context.api();
      const flag = await api.get<ServerFlag>(`/v1/flags/${escape(key)}`);
      const environments = pickEnvironments(Object.keys(flag.environments).map((environment) => ({ key: environment, version: 0 })), options.env);
      if (options.json) {
        context.json({ ...flag, environments: Object.fromEntries(environments.map((environment) => [environment, flag.environments[environment]])) });
        return;
      }
      const file = flagFileOf([flag], environments, []);
      const versions = environments.map((environment) => `${environment} ${flag.environments[environment]!.version}`).join(', ');
      context.out(`# ${key}${flag.archivedAt ? ' (archived)' : ''}; state versions: ${versions}\n${stringify(file.flags[key], { lineWidth: 0 })}`);
    });

  const patch = async (key: string, environment: string, body: Record<string, unknown>, ifVersion: number | undefined) => {
    const api = await context.api();
    const { body: state } = await api.request<ServerState>('PATCH', `/v1/flags/${escape(key)}/environments/${escape(environment)}`, { body, headers: ifMatch(ifVersion) });
    context.out(`${key} in ${environment}: ${summary(state)} (version ${state.version})`);
  };

  for (const [name, enabled] of [['enable', true], ['disable', false]] as const) {
    flags
      .command(name)
      .description(`switch a flag ${enabled ? 'on' : 'off'} in one environment`)
      .argument('<key>', 'the flag key')
      .requiredOption('--env <env>', 'the environment')
      .option('--if-version <version>', "refuse (412) unless the state is still at this version (its ETag)", wholeNumber)
      .action(async (key: string, options: { env: string; ifVersion?: number }) => patch(key, options.env, { enabled }, options.ifVersion));
  }

  flags
    .command('set')
    .description("set a flag's rollout (and on/off) in one environment, or replace its whole configuration from a YAML or JSON file")
    .argument('<key>', 'the flag key')
    .requiredOption('--env <env>', 'the environment')
    .option('--rollout <percent>', 'the rollout, 0-100 (the simple case, or the flexibleRollout strategy --strategy-id names)', percentage)
    .option('--strategy-id <id>', 'which flexibleRollout strategy --rollout moves, when the state has several strategies')
    .option('--enabled <true|false>', 'switch it on or off too')
    .option('-f, --file <file>', 'replace the whole configuration: a YAML or JSON file with enabled, strategies, variants, dependencies')
    .option('--if-version <version>', 'refuse (412) unless the state is still at this version (its ETag)', wholeNumber)
    .action(async (key: string, options: { env: string; rollout?: number; strategyId?: string; enabled?: string; file?: string; ifVersion?: number }) => {
      if (options.enabled !== undefined && options.enabled !== 'true' && options.enabled !== 'false') {
        throw new CliError(`--enabled must be true or false, not '${options.enabled}'`);
      }
      const enabled = options.enabled === undefined ? undefined : options.enabled === 'true';
      if (options.file) {
        if (options.rollout !== undefined || options.strategyId !== undefined || enabled !== undefined) {
          throw new CliError('--file replaces the whole configuration: give it alone, without --rollout, --strategy-id or --enabled');
        }
        const file = path.resolve(context.io.cwd, options.file);
        const text = await readFile(file, 'utf8').catch((error: Error) => {
          throw new CliError(`could not read ${options.file}: ${error.message}`);
        });
        let config: unknown;
        try {
          config = parse(text);
        } catch (error) {
          throw new CliError(`${options.file}: not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}`);
        }
        if (config === null || typeof config !== 'object' || Array.isArray(config)) throw new CliError(`${options.file}: expected a mapping with enabled and strategies`);
        const api = await context.api();
        const { body: state } = await api.request<ServerState>('PUT', `/v1/flags/${escape(key)}/environments/${escape(options.env)}`, {
          body: config,
          headers: ifMatch(options.ifVersion),
        });
        context.out(`${key} in ${options.env}: ${summary(state)} (version ${state.version})`);
        return;
      }
      if (options.rollout === undefined && enabled === undefined) throw new CliError('give --rollout, --enabled, or --file');
      await patch(
        key,
        options.env,
        { ...(enabled === undefined ? {} : { enabled }), ...(options.rollout === undefined ? {} : { rollout: options.rollout }), ...(options.strategyId ? { strategyId: options.strategyId } : {}) },
        options.ifVersion,
      );
    });
  return flags;
}

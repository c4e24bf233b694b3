import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { Command } from 'commander';
import { applyPlan } from './apply.js';
import type { CommandContext } from './context.js';
import { CliError, EXIT_CHANGES, EXIT_PROPOSED } from './errors.js';
import { flagFileOf, flagFileToYaml, parseFlagFile } from './flag-file.js';
import { changeCount, formatPlan, makePlan, type Plan } from './plan.js';
import { collect } from './parse.js';
import { inProject, pickEnvironments, readAllFlags, readEnvironments, readSegments } from './server-state.js';

async function readText(context: CommandContext, file: string): Promise<string> {
  try {
    return await readFile(path.resolve(context.io.cwd, file), 'utf8');
  } catch (error) {
    throw new CliError(`could not read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
}

async function planFromFile(context: CommandContext, file: string, project: string | undefined): Promise<Plan> {
  const parsed = parseFlagFile(await readText(context, file), file);
  return makePlan(await context.api(), parsed, { project });
}

/** A plan saved by `plan --json`, checked to be one and to be for this server. */
async function savedPlan(context: CommandContext, file: string): Promise<Plan> {
  let plan: Plan;
  try {
    plan = JSON.parse(await readText(context, file)) as Plan;
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`${file}: not a plan (save one with \`flagship plan -f flags.yaml --json > ${file}\`)`);
  }
  if (plan?.format !== 'flagship-plan/1' || !Array.isArray(plan.states) || !Array.isArray(plan.create) || !Array.isArray(plan.edit)) {
    throw new CliError(`${file}: not a plan (save one with \`flagship plan -f flags.yaml --json > ${file}\`)`);
  }
  const api = await context.api();
  if (plan.url !== api.url) throw new CliError(`${file} was planned against ${plan.url}, not ${api.url}`);
  return plan;
}

async function confirm(context: CommandContext, question: string): Promise<boolean> {
  const prompt = createInterface({ input: context.io.stdin, output: context.io.stderr });
  try {
    return /^y(es)?$/i.test((await prompt.question(question)).trim());
  } finally {
    prompt.close();
  }
}

/** `flagship export`, `plan`, `apply`. */
export function fileCommands(context: CommandContext): Command[] {
  const exportCommand = new Command('export')
    .description('write flags, their states (strategies, variants, dependencies) and the segments as YAML, in a stable order, to review and keep in git')
    .option('--env <env>', 'only these environments (repeat, or comma-separated; default: all)', collect)
    .option('--project <project>', 'only the flags of this project (flags without one are in default)')
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .action(async (options: { env?: string[]; project?: string; output?: string }) => {
      const api = await context.api();
      const [environments, flags, segments] = await Promise.all([readEnvironments(api), readAllFlags(api), readSegments(api)]);
      const chosen = pickEnvironments(environments, options.env);
      // No versions or times in the file: two exports differ only where a flag does.
      const header = [
        `FlagShip flags from ${api.url}${options.project ? `, project ${options.project}` : ''}.`,
        'Edit, then `flagship plan -f <file>` shows the changes and `flagship apply -f <file>` makes them.',
        'Segments are listed for reference (strategies name them by id); apply does not change them.',
      ].join('\n');
      const yaml = flagFileToYaml(flagFileOf(inProject(flags, options.project), chosen, segments), header);
      if (options.output) {
        await writeFile(path.resolve(context.io.cwd, options.output), yaml);
        context.note(`wrote ${options.output}`);
      } else context.out(yaml);
    });

  const planCommand = new Command('plan')
    .description('show what apply would change: exit 0 when nothing, 2 when there are changes, 1 on an error')
    .requiredOption('-f, --file <file>', 'the flag file (as export writes it)')
    .option('--project <project>', 'the project the file is for (flags the server has outside it are not listed as left alone)')
    .option('--json', 'print the plan as JSON (save it and run `apply --plan` to apply exactly it)')
    .action(async (options: { file: string; project?: string; json?: boolean }) => {
      const plan = await planFromFile(context, options.file, options.project);
      if (options.json) context.json(plan);
      else context.out(formatPlan(plan, context.io.color));
      if (changeCount(plan) > 0) throw new PlanHasChanges();
    });

  const applyCommand = new Command('apply')
    .description(
      'make the changes plan shows: each environment in one all-or-nothing write that lands as ONE version, every state with the version it was read at (If-Match); ' +
        `a change request where the environment is protected (exit ${EXIT_PROPOSED}); asks first in a terminal`,
    )
    .option('-f, --file <file>', 'the flag file (as export writes it)')
    .option('--plan <file>', 'apply exactly this saved plan (`plan --json`), with the versions it read')
    .option('--project <project>', 'the project new flags go to when the file does not say')
    .option('--change-request', 'propose every environment\'s changes as a change request, even where you may write directly')
    .option('--title <title>', 'the title of the change requests apply opens')
    .option('-y, --yes', 'do not ask, even in a terminal (without one, apply never asks)')
    .option('--json', 'print what was applied (and the change requests opened) as JSON')
    .action(async (options: { file?: string; plan?: string; project?: string; changeRequest?: boolean; title?: string; yes?: boolean; json?: boolean }) => {
      if (Boolean(options.file) === Boolean(options.plan)) throw new CliError('give either -f <flag file> or --plan <saved plan>');
      const plan = options.plan ? await savedPlan(context, options.plan) : await planFromFile(context, options.file!, options.project);
      const count = changeCount(plan);
      if (count === 0) {
        if (options.json) context.json({ created: [], edited: [], environments: [], changeRequests: [] });
        else context.out(formatPlan(plan, context.io.color));
        return;
      }
      if (!options.json) context.out(formatPlan(plan, context.io.color));
      if (context.io.interactive && !options.yes) {
        if (!(await confirm(context, `Apply ${count} change${count === 1 ? '' : 's'} to ${plan.url}? [y/N] `))) throw new CliError('not applied');
      }
      const result = await applyPlan(await context.api(), plan, (line) => context.note(line), {
        changeRequest: options.changeRequest,
        title: options.title,
        source: options.file ?? options.plan,
      });
      if (options.json) context.json(result);
      for (const applied of result.environments) {
        context.note(`To wait until every notifier has pushed it: flagship wait --env ${applied.environment} --version ${applied.version}`);
      }
      if (result.changeRequests.length > 0) {
        const environments = result.changeRequests.map((proposed) => proposed.environment).join(', ');
        context.note(`Not applied yet: ${environments} changes wait for approval in change requests (each applies as one version once approved).`);
        throw new ChangesProposed();
      }
    });

  return [exportCommand, planCommand, applyCommand];
}

/** Not an error: `plan` found changes, and says so with exit code 2. */
export class PlanHasChanges extends CliError {
  constructor() {
    super('', EXIT_CHANGES);
  }
}

/** Not an error: apply opened change requests (nothing of those environments changes until they are approved), and says so with exit code 3. */
export class ChangesProposed extends CliError {
  constructor() {
    super('', EXIT_PROPOSED);
  }
}

import { structuredPatch } from 'diff';
import { stringify } from 'yaml';
import type { ApiClient } from './api-client.js';
import type { FlagFile } from './flag-file.js';
import { byCodeUnit, canonicalSegment, comparableCurrent, sameJson, type ServerFlag, type StateConfig } from './model.js';
import { inProject, pickEnvironments, readAllFlags, readEnvironments, readSegments } from './server-state.js';

/** A flag the file has and the server does not: created (disabled everywhere), then configured. */
export interface FlagCreation {
  flag: string;
  description?: string;
  type?: string;
  project?: string;
}

/** A flag whose description or type differs from the file's. */
export interface FlagEdit {
  flag: string;
  before: { description: string; type: string };
  after: { description?: string; type?: string };
}

/** One state to replace, with the version it was read at (its If-Match); none for a flag still to be created. */
export interface StateChange {
  flag: string;
  environment: string;
  expectedVersion: number | null;
  before: StateConfig | null;
  after: StateConfig;
}

/** What `apply` would do, as `plan --json` prints it and `apply --plan` takes it. */
export interface Plan {
  format: 'flagship-plan/1';
  url: string;
  environments: string[];
  /** Each environment's version when the plan was made. */
  environmentVersions: Record<string, number>;
  create: FlagCreation[];
  edit: FlagEdit[];
  states: StateChange[];
  /** Live flags on the server that the file does not list: left alone. */
  notInFile: string[];
  /** Differences apply does not make (segments), said so. */
  warnings: string[];
}

export const changeCount = (plan: Plan) => plan.create.length + plan.edit.length + plan.states.length;

/** Compares the file with the server, for the file's environments (and project, when given). */
export async function makePlan(client: ApiClient, file: FlagFile, options: { project?: string } = {}): Promise<Plan> {
  const [environments, allFlags, segments] = await Promise.all([readEnvironments(client), readAllFlags(client), readSegments(client)]);
  const managed = pickEnvironments(environments, file.environments);
  const byKey = new Map<string, ServerFlag>(allFlags.map((flag) => [flag.key, flag]));
  const plan: Plan = {
    format: 'flagship-plan/1',
    url: client.url,
    environments: managed,
    environmentVersions: Object.fromEntries(environments.filter((environment) => managed.includes(environment.key)).map((environment) => [environment.key, environment.version])),
    create: [],
    edit: [],
    states: [],
    notInFile: [],
    warnings: [],
  };
  for (const key of Object.keys(file.flags).sort(byCodeUnit)) {
    const wanted = file.flags[key]!;
    const current = byKey.get(key);
    if (!current) {
      plan.create.push({ flag: key, description: wanted.description, type: wanted.type, project: wanted.project ?? options.project });
    } else {
      const description = wanted.description !== undefined && wanted.description !== current.description;
      const type = wanted.type !== undefined && wanted.type !== current.type;
      if (description || type) {
        plan.edit.push({
          flag: key,
          before: { description: current.description, type: current.type },
          after: { ...(description ? { description: wanted.description } : {}), ...(type ? { type: wanted.type } : {}) },
        });
      }
      if (wanted.project !== undefined && current.project !== undefined && wanted.project !== current.project) {
        plan.warnings.push(`flag ${key} is in project ${current.project}, the file says ${wanted.project}: apply does not move flags between projects`);
      }
    }
    for (const environment of Object.keys(wanted.environments).sort(byCodeUnit)) {
      const after = wanted.environments[environment]!;
      const state = current?.environments[environment];
      if (current && !state) {
        plan.warnings.push(`flag ${key} has no state in ${environment}`);
        continue;
      }
      const before = state ? comparableCurrent(state, after) : null;
      if (before && sameJson(before, after)) continue;
      plan.states.push({ flag: key, environment, expectedVersion: state ? state.version : null, before, after });
    }
  }
  for (const environment of environments.filter((entry) => entry.protected && plan.states.some((change) => change.environment === entry.key))) {
    plan.warnings.push(`${environment.key} is protected: apply proposes its changes in a change request unless your token may write it directly (an admin token)`);
  }
  plan.notInFile = inProject(allFlags, options.project)
    .map((flag) => flag.key)
    .filter((key) => !(key in file.flags))
    .sort(byCodeUnit);
  const serverSegments = new Map(segments.map((segment) => [segment.id, canonicalSegment(segment)]));
  for (const segment of file.segments) {
    const current = serverSegments.get(segment.id);
    if (!current) plan.warnings.push(`segment ${segment.id} (${segment.name}) does not exist: segments are not created by apply (use the console or POST /v1/segments)`);
    else if (!sameJson(current, canonicalSegment(segment))) plan.warnings.push(`segment ${segment.id} (${segment.name}) differs from the server's: segments are not changed by apply (use the console or PATCH /v1/segments/${segment.id})`);
  }
  return plan;
}

const yamlOf = (value: unknown) => (value === null || value === undefined ? '' : stringify(value, { lineWidth: 0 }));

/** A unified diff of two YAML texts, without file headers. */
function diffLines(before: string, after: string, color: boolean): string[] {
  const patch = structuredPatch('current', 'file', before, after, '', '', { context: 3 });
  const paint = (code: string, line: string) => (color ? `\u001b[${code}m${line}\u001b[0m` : line);
  const out: string[] = [];
  for (const hunk of patch.hunks) {
    out.push(paint('36', `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`));
    for (const line of hunk.lines) out.push(line.startsWith('+') ? paint('32', line) : line.startsWith('-') ? paint('31', line) : line);
  }
  return out;
}

/** The plan for people: each change with its diff, then what is left alone and the warnings. */
export function formatPlan(plan: Plan, color: boolean): string {
  const lines: string[] = [];
  const indent = (text: string) => `    ${text}`;
  for (const creation of plan.create) {
    lines.push(`+ create flag ${creation.flag}${creation.type ? ` (${creation.type})` : ''}${creation.project ? ` in project ${creation.project}` : ''}`);
  }
  for (const edit of plan.edit) {
    lines.push(`~ edit flag ${edit.flag}`);
    lines.push(...diffLines(yamlOf(edit.before), yamlOf({ ...edit.before, ...edit.after }), color).map(indent));
  }
  for (const change of plan.states) {
    const at = change.expectedVersion === null ? 'new' : `at version ${change.expectedVersion}`;
    lines.push(`~ ${change.flag} in ${change.environment} (${at})`);
    lines.push(...diffLines(yamlOf(change.before), yamlOf(change.after), color).map(indent));
  }
  const count = changeCount(plan);
  if (count === 0) lines.push(`No changes: ${plan.environments.join(', ')} on ${plan.url} match the file.`);
  else lines.push('', `${count} change${count === 1 ? '' : 's'} to ${plan.environments.join(', ')} on ${plan.url}.`);
  if (plan.notInFile.length > 0) lines.push(`Not in the file (left alone): ${plan.notInFile.join(', ')}`);
  for (const warning of plan.warnings) lines.push(`warning: ${warning}`);
  return `${lines.join('\n')}\n`;
}

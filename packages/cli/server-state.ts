import { segment as escape, type ApiClient } from './api-client.js';
import { CliError } from './errors.js';
import type { Environment, Segment, ServerFlag } from './model.js';

const PAGE = 200;

/** Every flag (live, or with `archived: 'true'` archived ones too), page by page in key order. */
export async function readAllFlags(client: ApiClient, archived: 'true' | 'false' = 'false'): Promise<ServerFlag[]> {
  const flags: ServerFlag[] = [];
  let after: string | null = null;
  do {
    const query: string = `limit=${PAGE}&archived=${archived}${after === null ? '' : `&after=${escape(after)}`}`;
    const page: { flags: ServerFlag[]; nextAfter: string | null } = await client.get(`/v1/flags?${query}`);
    flags.push(...page.flags);
    after = page.nextAfter;
  } while (after !== null);
  return flags;
}

export async function readEnvironments(client: ApiClient): Promise<Environment[]> {
  return (await client.get<{ environments: Environment[] }>('/v1/environments')).environments;
}

export async function readSegments(client: ApiClient): Promise<Segment[]> {
  return (await client.get<{ segments: Segment[] }>('/v1/segments')).segments;
}

/**
 * The project a flag belongs to: its `project` field once the server has
 * projects; before that every flag is in `default`.
 */
export const projectOf = (flag: { project?: string }) => flag.project ?? 'default';

/** Only the flags of `project` (all when none is given). */
export function inProject<T extends { project?: string }>(flags: T[], project: string | undefined): T[] {
  return project === undefined ? flags : flags.filter((flag) => projectOf(flag) === project);
}

/** The environments asked for, each checked to exist (all of them when none is asked for). */
export function pickEnvironments(all: Environment[], asked: string[] | undefined): string[] {
  const keys = all.map((environment) => environment.key);
  if (!asked || asked.length === 0) return keys;
  for (const key of asked) {
    if (!keys.includes(key)) throw new CliError(`no environment '${key}' (there are: ${keys.join(', ')})`);
  }
  return asked;
}

import { ApiError, CliError } from './errors.js';
import { segment as escape, type ApiClient } from './api-client.js';
import { byCodeUnit, type ServerFlag, type ServerState } from './model.js';
import type { Plan, StateChange } from './plan.js';

export interface AppliedEnvironment {
  environment: string;
  flags: string[];
  /** The one version every changed state took: what `flagship wait --version` waits for. */
  version: number;
}

/** An environment whose changes went into a change request instead (protected, or --change-request). */
export interface ProposedEnvironment {
  environment: string;
  flags: string[];
  /** `url`: its page in the console (where people review and approve it); `apiUrl`: the API resource. */
  changeRequest: { id: string; url: string; apiUrl: string };
}

export interface ApplyResult {
  created: string[];
  edited: string[];
  environments: AppliedEnvironment[];
  changeRequests: ProposedEnvironment[];
}

export interface ApplyOptions {
  /** Propose every environment's changes as change requests, even where the caller may write directly. */
  changeRequest?: boolean;
  /** The change requests' title (default: what the file changes). */
  title?: string;
  /** Where the changes come from, said in a change request's description. */
  source?: string;
}

/** What apply reads of GET /v1/change-requests/{id}: the version each subject was recorded at. */
interface ChangeRequestDetail {
  id: string;
  diff: Array<{ subject: string; baseVersion: number | null }>;
}

/**
 * Makes the plan's changes: creates the missing flags, then writes each
 * environment's states in one all-or-nothing request
 * (POST /v1/environments/{env}/flag-states), every state with the version
 * the plan read (its If-Match); the server applies them as one change group,
 * so they take ONE environment version and clients receive them as one
 * change. A state that moved since the plan was made refuses its whole
 * environment: nothing of that environment is written. Where the
 * environment is protected and the caller may not write it directly (409
 * change_request_required), or with `changeRequest`, the environment's
 * changes are proposed as one change request instead (applied as one version
 * once approved). Then the description and type edits. Environments go in
 * key order; one refused stops the rest (those before it stay applied, and
 * the error says which).
 */
export async function applyPlan(client: ApiClient, plan: Plan, log: (line: string) => void, options: ApplyOptions = {}): Promise<ApplyResult> {
  const result: ApplyResult = { created: [], edited: [], environments: [], changeRequests: [] };
  const createdVersions = new Map<string, Record<string, ServerState>>();
  for (const creation of plan.create) {
    const body = {
      key: creation.flag,
      ...(creation.description === undefined ? {} : { description: creation.description }),
      ...(creation.type === undefined ? {} : { type: creation.type }),
      ...(creation.project === undefined ? {} : { project: creation.project }),
    };
    try {
      const { body: flag } = await client.request<ServerFlag>('POST', '/v1/flags', { body });
      createdVersions.set(flag.key, flag.environments);
    } catch (error) {
      throw explain(error, `creating flag ${creation.flag}`, result);
    }
    result.created.push(creation.flag);
    log(`created flag ${creation.flag} (disabled everywhere until configured)`);
  }

  const byEnvironment = new Map<string, StateChange[]>();
  for (const change of plan.states) byEnvironment.set(change.environment, [...(byEnvironment.get(change.environment) ?? []), change]);
  for (const environment of [...byEnvironment.keys()].sort(byCodeUnit)) {
    const changes = byEnvironment.get(environment)!;
    const wanted = changes.map((change) => {
      const expectedVersion = change.expectedVersion ?? createdVersions.get(change.flag)?.[environment]?.version;
      if (expectedVersion === undefined) throw new CliError(`flag ${change.flag} has no state in ${environment} to configure`);
      return { flag: change.flag, expectedVersion, set: change.after };
    });
    const flags = changes.map((change) => change.flag);
    if (options.changeRequest) {
      result.changeRequests.push(await propose(client, environment, wanted, changes, options, result, log));
      continue;
    }
    let written: { version: number | null };
    try {
      ({ body: written } = await client.request<{ version: number | null }>('POST', `/v1/environments/${escape(environment)}/flag-states`, { body: { changes: wanted } }));
    } catch (error) {
      if (error instanceof ApiError && error.status === 409 && error.code === 'change_request_required') {
        log(`${environment} is protected: you may not change it directly, so the changes are proposed in a change request`);
        result.changeRequests.push(await propose(client, environment, wanted, changes, options, result, log));
        continue;
      }
      throw explain(error, `writing ${environment}`, result, changes);
    }
    if (written.version === null) {
      log(`${environment}: nothing to write (the states are already as the file says)`);
      continue;
    }
    result.environments.push({ environment, flags, version: written.version });
    log(`${environment}: ${changes.length} flag state${changes.length === 1 ? '' : 's'} written as one change, version ${written.version}`);
  }

  for (const edit of plan.edit) {
    try {
      await client.request('PATCH', `/v1/flags/${escape(edit.flag)}`, { body: edit.after });
    } catch (error) {
      throw explain(error, `editing flag ${edit.flag}`, result);
    }
    result.edited.push(edit.flag);
    log(`edited flag ${edit.flag}`);
  }
  return result;
}

/**
 * Opens one change request with the environment's changes. The server records
 * each state's version when the request is opened; one that is not the
 * version the plan read moved in between: the request is cancelled and apply
 * fails as a direct write would (the request would otherwise overwrite it).
 */
async function propose(
  client: ApiClient,
  environment: string,
  wanted: Array<{ flag: string; expectedVersion: number; set: StateChange['after'] }>,
  changes: StateChange[],
  options: ApplyOptions,
  done: ApplyResult,
  log: (line: string) => void,
): Promise<ProposedEnvironment> {
  const flags = wanted.map((change) => change.flag);
  const title = options.title ?? `flagship apply: ${flags.length === 1 ? flags[0] : `${flags.length} flags`} in ${environment}`;
  const description = [
    `Proposed by \`flagship apply\`${options.source ? ` from ${options.source}` : ''}: the whole configuration of ${flags.join(', ')} in ${environment}, as planned at version${wanted.length === 1 ? '' : 's'} ${wanted.map((change) => change.expectedVersion).join(', ')}.`,
  ].join('\n');
  let id: string;
  try {
    ({ id } = (
      await client.request<{ id: string }>('POST', '/v1/change-requests', {
        body: { environment, title: title.slice(0, 200), description, changes: wanted.map((change) => ({ flag: change.flag, set: change.set })) },
      })
    ).body);
  } catch (error) {
    throw explain(error, `proposing the changes to ${environment}`, done, changes);
  }
  const detail = await client.get<ChangeRequestDetail>(`/v1/change-requests/${escape(id)}`);
  const moved = wanted.filter((change) => detail.diff.find((entry) => entry.subject === `flag:${change.flag}`)?.baseVersion !== change.expectedVersion);
  if (moved.length > 0) {
    await client.request('POST', `/v1/change-requests/${escape(id)}/cancel`, { body: { reason: 'a flag state moved between the plan and the request' } }).catch(() => undefined);
    throw new CliError(
      `proposing the changes to ${environment}: ${moved.map((change) => change.flag).join(', ')} changed since the plan was made; run plan again. ` +
        `The change request ${id} was cancelled.${alreadyApplied(done)}`,
    );
  }
  // The API serves the console at its own origin: the request's console page is where people approve it.
  const url = `${client.url}/change-requests/${escape(id)}`;
  const apiUrl = `${client.url}/v1/change-requests/${escape(id)}`;
  log(`${environment}: opened change request ${id} with ${flags.length} flag state${flags.length === 1 ? '' : 's'}, applied as one version once approved: ${url}`);
  return { environment, flags, changeRequest: { id, url, apiUrl } };
}

function alreadyApplied(done: ApplyResult): string {
  const already = [
    ...done.created.map((flag) => `created ${flag}`),
    ...done.environments.map((environment) => `${environment.environment} (version ${environment.version})`),
    ...done.changeRequests.map((proposed) => `${proposed.environment} (change request ${proposed.changeRequest.id})`),
  ];
  return already.length > 0 ? ` Already done: ${already.join(', ')}.` : '';
}

/** The error, saying what was being done, what was already done, and (for a 400) which field of the file. */
function explain(error: unknown, doing: string, done: ApplyResult, changes?: StateChange[]): Error {
  if (!(error instanceof CliError)) return error as Error;
  const kept = alreadyApplied(done);
  if (error instanceof ApiError && changes) {
    const message = error.status === 412
      ? `${doing}: ${error.apiMessage.replace(/; nothing was written$/, '')}. Nothing was written to ${changes[0]!.environment}: someone changed it since the plan was made; run plan again.`
      : `${doing}: ${inFileTerms(error.apiMessage, changes)} (HTTP ${error.status})${fieldsOf(error, changes)}\nNothing was written to ${changes[0]!.environment}.`;
    return new CliError(`${message}${kept}`);
  }
  return new CliError(`${doing}: ${error.message}.${kept || ' Nothing was written.'}`);
}

/** `changes.3.set` of the request, named as the file names it: `flags.<key>.environments.<env>`. */
function fileField(index: string, changes: StateChange[]): string | undefined {
  const change = changes[Number(index)];
  return change && `flags.${change.flag}.environments.${change.environment}`;
}

function inFileTerms(message: string, changes: StateChange[]): string {
  return message
    .replace(/\bbody\.changes\.(\d+)\.set\b/g, (whole, index: string) => fileField(index, changes) ?? whole)
    .replace(/^changes\[(\d+)\]/, (whole, index: string) => fileField(index, changes) ?? whole);
}

/** A 400's details, each field named as the file names it. */
function fieldsOf(error: ApiError, changes: StateChange[]): string {
  if (!Array.isArray(error.details)) return '';
  const lines = (error.details as Array<{ path?: Array<string | number>; message?: string }>).map((issue) => {
    const path = (issue.path ?? []).map(String);
    const named = path[0] === 'changes' && /^\d+$/.test(path[1] ?? '') && (path[2] === 'set' || path.length === 2) ? fileField(path[1]!, changes) : undefined;
    return `\n  ${named ? [named, ...path.slice(3)].join('.') : path.join('.')}: ${issue.message ?? ''}`;
  });
  return lines.join('');
}

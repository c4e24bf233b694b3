import createClient, { type Middleware } from 'openapi-fetch';
import { ApiError } from './api-error.js';
import type { components, paths } from './openapi.js';
import type { ErrorDetail } from './types.js';

/** Pages through GET /v1/flags this many at a time (the API's maximum). */
const FLAG_PAGE_SIZE = 200;
const EVENT_PAGE_SIZE = 1000;

type Schemas = components['schemas'];

/** What restore and copy answer in a protected environment (202): the change request opened instead of writing. */
export type OpenedChangeRequest = Schemas['ChangeRequest'];

/**
 * How the console proves who it is: a pasted admin (or personal) token, sent
 * as a bearer token, or a signed-in person's session cookie (the browser
 * sends it), whose changes carry the CSRF token from GET /v1/me.
 */
export type Credential = { kind: 'token'; token: string } | { kind: 'session'; csrfToken: string };

/** Who is signed in (GET /v1/me). */
export type Me = Schemas['Me'];

/** The If-Match header of a change based on `version` (a stale one is a 412: nothing is overwritten). */
function ifMatch(version: number | undefined): { 'if-match'?: string } {
  return version === undefined ? {} : { 'if-match': `"${version}"` };
}

/** The ApiError of a non-2xx answer, with the field details of its `{ error }` body. */
function apiErrorOf(response: Response, body: unknown): ApiError {
  const error = (body as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
  const details = Array.isArray(error?.details) ? (error.details as ErrorDetail[]) : [];
  return new ApiError(response.status, error?.code ?? 'http_error', error?.message ?? `HTTP ${response.status}`, details, body);
}

/** The answer of a call (its 2xx body), or its ApiError thrown. */
async function answer<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw apiErrorOf(response, error);
  return data as T;
}

/**
 * The admin API, every call typed by the OpenAPI document the server serves
 * (api/openapi.d.ts, generated from the routes' own schemas: path, parameters,
 * body and answer are checked at build time); every call sends the signed-in
 * credential.
 */
export class ApiClient {
  /** The typed fetch (openapi-fetch); the change-request and people calls use it too. */
  readonly http;

  constructor(readonly credential: Credential) {
    this.http = createClient<paths>({
      // Looked up per call, not at creation (tests and the browser may wrap it later).
      fetch: (request) => globalThis.fetch(request),
      headers: { accept: 'application/json' },
      cache: 'no-store',
      credentials: 'same-origin',
    });
    const auth: Middleware = {
      onRequest: ({ request }) => {
        for (const [name, value] of Object.entries(this.authHeaders(request.method))) request.headers.set(name, value);
        return request;
      },
    };
    this.http.use(auth);
  }

  /** The headers that say who asks, for `method` (the change stream uses them too). */
  authHeaders(method = 'GET'): Record<string, string> {
    if (this.credential.kind === 'token') return { authorization: `Bearer ${this.credential.token}` };
    return method === 'GET' ? {} : { 'x-flagship-csrf': this.credential.csrfToken };
  }

  me = () => answer(this.http.GET('/v1/me'));
  signOut = () => answer(this.http.POST('/auth/logout'));
  environments = async () => (await answer(this.http.GET('/v1/environments'))).environments;
  createEnvironment = (key: string) => answer(this.http.POST('/v1/environments', { body: { key } }));

  /** Every flag, archived ones included (the console filters locally, as you type). */
  async allFlags(signal?: AbortSignal) {
    const flags: Schemas['Flag'][] = [];
    let after: string | undefined;
    for (;;) {
      const page = await answer(this.http.GET('/v1/flags', { params: { query: { limit: String(FLAG_PAGE_SIZE), after, archived: 'true' } }, signal }));
      flags.push(...page.flags);
      if (page.nextAfter === null) return flags;
      after = page.nextAfter;
    }
  }

  /** Keys of the live flags that look stale, with why (GET /v1/flags?stale=true). */
  async staleFlags(signal?: AbortSignal): Promise<Map<string, string[]>> {
    const stale = new Map<string, string[]>();
    let after: string | undefined;
    for (;;) {
      const page = await answer(this.http.GET('/v1/flags', { params: { query: { limit: String(FLAG_PAGE_SIZE), after, stale: 'true' } }, signal }));
      for (const flag of page.flags) stale.set(flag.key, (flag.staleReasons ?? []).map((reason) => reason.message));
      if (page.nextAfter === null) return stale;
      after = page.nextAfter;
    }
  }

  flag = (key: string) => answer(this.http.GET('/v1/flags/{key}', { params: { path: { key } } }));
  createFlag = (input: Schemas['CreateFlag']) => answer(this.http.POST('/v1/flags', { body: input }));
  describeFlag = (key: string, description: string) => answer(this.http.PATCH('/v1/flags/{key}', { params: { path: { key } }, body: { description } }));
  retypeFlag = (key: string, type: Schemas['Flag']['type']) => answer(this.http.PATCH('/v1/flags/{key}', { params: { path: { key } }, body: { type } }));
  /** Sets a flag's tags (the whole list) and its owner (null: nobody). */
  labelFlag = (key: string, labels: { tags: string[]; owner: string | null }) =>
    answer(this.http.PATCH('/v1/flags/{key}', { params: { path: { key } }, body: labels }));
  /** Moves a flag to another project (a change of its state in every environment; 409 while segments or dependencies tie it to its project). */
  moveFlag = (key: string, project: string) => answer(this.http.PATCH('/v1/flags/{key}', { params: { path: { key } }, body: { project } }));
  archiveFlag = (key: string) => answer(this.http.DELETE('/v1/flags/{key}', { params: { path: { key } } }));
  changeState = (key: string, env: string, change: Schemas['StateChange'], version: number) =>
    answer(this.http.PATCH('/v1/flags/{key}/environments/{env}', { params: { path: { key, env }, header: ifMatch(version) }, body: change }));

  /** The audit log, oldest first, every page (optionally of one environment and flag). */
  async events(filter: { environment?: string; flag?: string }, signal?: AbortSignal) {
    const events: Schemas['EventPage']['events'] = [];
    let after: string | undefined;
    for (;;) {
      const page = await answer(this.http.GET('/v1/events', { params: { query: { ...filter, after, limit: String(EVENT_PAGE_SIZE) } }, signal }));
      events.push(...page.events);
      if (page.nextAfter === null) return events;
      after = page.nextAfter;
    }
  }

  /** Every change of a flag's description, type, tags or owner, oldest first (every page). */
  async metadataChanges(key: string, signal?: AbortSignal) {
    const changes: Schemas['FlagMetadataChangePage']['changes'] = [];
    let after: number | undefined;
    for (;;) {
      const query = { after: after === undefined ? undefined : String(after), limit: String(EVENT_PAGE_SIZE) };
      const page = await answer(this.http.GET('/v1/flags/{key}/metadata-changes', { params: { path: { key }, query }, signal }));
      changes.push(...page.changes);
      if (page.nextAfter === null) return changes;
      after = page.nextAfter;
    }
  }

  /** How often a flag was evaluated per environment and hour, and when it was last evaluated. */
  usage = (key: string, hours: number, signal?: AbortSignal) =>
    answer(this.http.GET('/v1/flags/{key}/usage', { params: { path: { key }, query: { hours: String(hours) } }, signal }));

  replaceState = (key: string, env: string, config: Schemas['StateConfig'], version: number) =>
    answer(this.http.PUT('/v1/flags/{key}/environments/{env}', { params: { path: { key, env }, header: ifMatch(version) }, body: config }));

  /**
   * The flag's state as it was at environment version `version`, as one new change (docs/history.md);
   * in a protected environment, the change request opened for it (202).
   */
  restoreState = (key: string, env: string, version: number, basedOn?: number) =>
    answer(this.http.POST('/v1/flags/{key}/environments/{env}/restore', { params: { path: { key, env }, header: ifMatch(basedOn) }, body: { version } }));
  /** The flag's current state in `from`, promoted to `environment` (or the change request opened for it where protected). */
  copyState = (key: string, from: string, env: string, basedOn?: number) =>
    answer(this.http.POST('/v1/flags/{key}/environments/{env}/copy', { params: { path: { key, env }, header: ifMatch(basedOn) }, body: { from } }));
  /** Several flags' states promoted from `from` to `env` as one version (or the one change request opened for them where protected). */
  promote = (env: string, input: Schemas['PromoteRequest']) =>
    answer(this.http.POST('/v1/environments/{env}/promote', { params: { path: { env } }, body: input }));
  playground = (input: Schemas['PlaygroundRequest']) => answer(this.http.POST('/v1/playground', { body: input }));

  segments = async () => (await answer(this.http.GET('/v1/segments'))).segments;

  /** The projects the signed-in person holds a role on (every one for an admin token). */
  projects = async () => (await answer(this.http.GET('/v1/projects'))).projects;
  createSegment = (input: Schemas['CreateSegment']) => answer(this.http.POST('/v1/segments', { body: input }));
  changeSegment = (id: number, input: Schemas['CreateSegment']) =>
    answer(this.http.PATCH('/v1/segments/{id}', { params: { path: { id: String(id) } }, body: input }));
  deleteSegment = (id: number) => answer(this.http.DELETE('/v1/segments/{id}', { params: { path: { id: String(id) } } }));

  tokens = async () => (await answer(this.http.GET('/v1/tokens'))).tokens;
  createToken = (input: Schemas['CreateToken']) => answer(this.http.POST('/v1/tokens', { body: input }));
  revokeToken = (id: string) => answer(this.http.DELETE('/v1/tokens/{id}', { params: { path: { id } } }));

  /** The newest ramps of a flag in one environment (GET /v1/rollouts, newest first). */
  ramps = async (flag: string, environment: string, limit: number) =>
    (await answer(this.http.GET('/v1/rollouts', { params: { query: { flag, environment, limit: String(limit) } } }))).ramps;
  ramp = (id: string) => answer(this.http.GET('/v1/rollouts/{id}', { params: { path: { id } } }));
  scheduleRamp = (key: string, env: string, input: Schemas['CreateRamp']) =>
    answer(this.http.POST('/v1/flags/{key}/environments/{env}/rollouts', { params: { path: { key, env } }, body: input }));
  controlRamp = (id: string, action: 'pause' | 'resume' | 'cancel') =>
    answer(this.http.POST(`/v1/rollouts/{id}/${action}`, { params: { path: { id } }, body: {} }));

  /** Every person with their roles per project (GET /v1/users: admins only). */
  users = async (signal?: AbortSignal) => (await answer(this.http.GET('/v1/users', { signal }))).users;
  inviteUser = (input: Schemas['CreateUser']) => answer(this.http.POST('/v1/users', { body: input }));
  changeUser = (id: string, input: Schemas['UpdateUser']) => answer(this.http.PATCH('/v1/users/{id}', { params: { path: { id } }, body: input }));
  removeUser = (id: string) => answer(this.http.DELETE('/v1/users/{id}', { params: { path: { id } } }));
}

export { answer };

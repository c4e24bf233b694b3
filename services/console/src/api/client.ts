import { ApiError } from './api-error.js';
import type {
  ChangeEvent,
  CreateFlag,
  CreateRamp,
  CreateToken,
  CreatedToken,
  Environment,
  ErrorDetail,
  EventPage,
  Flag,
  FlagPage,
  FlagType,
  FlagUsage,
  FlagState,
  Ramp,
  RampPage,
  Segment,
  SegmentInput,
  StateChange,
  StateConfig,
  Token,
} from './types.js';

interface RequestOptions {
  body?: unknown;
  /** The version the change is based on: a stale one is a 412, nothing is overwritten. */
  ifMatch?: number;
  query?: Record<string, string | number | undefined>;
  /** Aborts the request (the query cache cancels reads it no longer needs). */
  signal?: AbortSignal;
}

function pathOf(template: string, query: RequestOptions['query']): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) if (value !== undefined) search.set(name, String(value));
  const encoded = search.toString();
  return encoded ? `${template}?${encoded}` : template;
}

const segment = encodeURIComponent;

/** Pages through GET /v1/flags this many at a time (the API's maximum). */
const FLAG_PAGE_SIZE = 200;
const EVENT_PAGE_SIZE = 1000;

/** The admin API, typed with the server's own schemas; every call sends the signed-in token. */
export class ApiClient {
  constructor(private readonly token: string) {}

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}`, accept: 'application/json' };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.ifMatch !== undefined) headers['if-match'] = `"${options.ifMatch}"`;
    const response = await fetch(pathOf(path, options.query), {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      cache: 'no-store',
      signal: options.signal,
    });
    const text = await response.text();
    const body: unknown = text ? JSON.parse(text) : undefined;
    if (!response.ok) {
      const error = (body as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
      const details = Array.isArray(error?.details) ? (error.details as ErrorDetail[]) : [];
      throw new ApiError(response.status, error?.code ?? 'http_error', error?.message ?? `HTTP ${response.status}`, details, body);
    }
    return body as T;
  }

  environments = async () => (await this.request<{ environments: Environment[] }>('GET', '/v1/environments')).environments;
  createEnvironment = (key: string) => this.request<Environment>('POST', '/v1/environments', { body: { key } });

  /** Every flag, archived ones included (the console filters locally, as you type). */
  async allFlags(signal?: AbortSignal): Promise<Flag[]> {
    const flags: Flag[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await this.request<FlagPage>('GET', '/v1/flags', { query: { limit: FLAG_PAGE_SIZE, after, archived: 'true' }, signal });
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
      const page = await this.request<FlagPage>('GET', '/v1/flags', { query: { limit: FLAG_PAGE_SIZE, after, stale: 'true' }, signal });
      for (const flag of page.flags) stale.set(flag.key, (flag.staleReasons ?? []).map((reason) => reason.message));
      if (page.nextAfter === null) return stale;
      after = page.nextAfter;
    }
  }

  flag = (key: string) => this.request<Flag>('GET', `/v1/flags/${segment(key)}`);
  createFlag = (input: CreateFlag) => this.request<Flag>('POST', '/v1/flags', { body: input });
  describeFlag = (key: string, description: string) => this.request<Flag>('PATCH', `/v1/flags/${segment(key)}`, { body: { description } });
  retypeFlag = (key: string, type: FlagType) => this.request<Flag>('PATCH', `/v1/flags/${segment(key)}`, { body: { type } });
  archiveFlag = (key: string) => this.request<Flag>('DELETE', `/v1/flags/${segment(key)}`);
  changeState = (key: string, environment: string, change: StateChange, ifMatch: number) =>
    this.request<FlagState>('PATCH', `/v1/flags/${segment(key)}/environments/${segment(environment)}`, { body: change, ifMatch });

  /** The audit log, oldest first, every page (optionally of one environment and flag). */
  async events(filter: { environment?: string; flag?: string }, signal?: AbortSignal): Promise<ChangeEvent[]> {
    const events: ChangeEvent[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await this.request<EventPage>('GET', '/v1/events', { query: { ...filter, after, limit: EVENT_PAGE_SIZE }, signal });
      events.push(...page.events);
      if (page.nextAfter === null) return events;
      after = page.nextAfter;
    }
  }

  /** How often a flag was evaluated per environment and hour, and when it was last evaluated. */
  usage = (key: string, hours: number, signal?: AbortSignal) =>
    this.request<FlagUsage>('GET', `/v1/flags/${segment(key)}/usage`, { query: { hours }, signal });

  replaceState = (key: string, environment: string, config: StateConfig, ifMatch: number) =>
    this.request<FlagState>('PUT', `/v1/flags/${segment(key)}/environments/${segment(environment)}`, { body: config, ifMatch });

  segments = async () => (await this.request<{ segments: Segment[] }>('GET', '/v1/segments')).segments;
  createSegment = (input: SegmentInput) => this.request<Segment>('POST', '/v1/segments', { body: input });
  changeSegment = (id: number, input: SegmentInput) => this.request<Segment>('PATCH', `/v1/segments/${id}`, { body: input });
  deleteSegment = (id: number) => this.request<Segment>('DELETE', `/v1/segments/${id}`);

  tokens = async () => (await this.request<{ tokens: Token[] }>('GET', '/v1/tokens')).tokens;
  createToken = (input: CreateToken) => this.request<CreatedToken>('POST', '/v1/tokens', { body: input });
  revokeToken = (id: string) => this.request<Token>('DELETE', `/v1/tokens/${segment(id)}`);

  /** The newest ramps of a flag in one environment (GET /v1/rollouts, newest first). */
  ramps = async (flag: string, environment: string, limit: number) =>
    (await this.request<RampPage>('GET', '/v1/rollouts', { query: { flag, environment, limit } })).ramps;
  ramp = (id: string) => this.request<Ramp>('GET', `/v1/rollouts/${segment(id)}`);
  scheduleRamp = (key: string, environment: string, input: CreateRamp) =>
    this.request<Ramp>('POST', `/v1/flags/${segment(key)}/environments/${segment(environment)}/rollouts`, { body: input });
  controlRamp = (id: string, action: 'pause' | 'resume' | 'cancel') => this.request<Ramp>('POST', `/v1/rollouts/${segment(id)}/${action}`, { body: {} });
}

import type { EvaluatedVariant, EvaluationContext, EvaluationReason, JsonValue } from '@flagship/evaluation';
import type { AnswerStore, FlagAnswer } from './answer-store.js';
import { ConnectionState, reconnectDelay, type ConnectionEvents, type ConnectionStatus } from './connection-state.js';
import { TypedEmitter } from './emitter.js';
import { ERRORS_EVENT, EXPOSURE_EVENT, EventReporter, type EventReporterStats, type EventReportingOptions } from './event-reporter.js';

/** Flags whose events track() attributes (memory stays bounded). */
const MAX_TRACKED_FLAGS = 1000;

export interface FlagShipBrowserClientOptions {
  /** FlagShip's API address (the one serving `/ofrep/v1/...`), e.g. `https://flags.example.com`. */
  url: string;
  /** A frontend token: it names the environment and sees only evaluated answers. */
  token: string;
  /** The page's user: `targetingKey` (their id, which picks rollout buckets) and attributes. */
  context?: EvaluationContext;
  /** Keeps the last answers across page loads (see localStorageStore). */
  store?: AnswerStore;
  /** ready() gives up waiting after this long; it resolves anyway when stored answers exist. Default 5000. */
  readyTimeoutMs?: number;
  /** Listen for change hints (OFREP's advertised event stream); default true. */
  live?: boolean;
  /**
   * While FlagShip cannot be reached, the first wait before fetching again, doubling
   * (with jitter, so a crowd of pages does not come back at once) up to reconnectDelayMaxMs.
   * Defaults 1000 and 30000.
   */
  reconnectDelayMs?: number;
  reconnectDelayMaxMs?: number;
  /**
   * Count exposures (the answer each read gave: a variant, or on/off) and
   * track()ed events per flag and send them to `POST /v1/client/events`
   * (`url` defaults to the client's): what guarded ramps decide on. Off unless given.
   */
  events?: Partial<EventReportingOptions>;
  fetch?: typeof fetch;
  EventSource?: typeof EventSource;
}

/** What changed: the flags whose answers differ after a refetch (for a new context: every flag). */
export interface FlagShipBrowserChange {
  keys: string[];
  reason: 'pushed' | 'context';
}

/** FlagShip refused the page's token for good (401 or 403: revoked, or not a frontend token). */
export class FlagShipBrowserRefusedError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'FlagShipBrowserRefusedError';
  }
}

interface BrowserClientEvents extends ConnectionEvents {
  change: [FlagShipBrowserChange];
  /** Problems worth logging (a lost connection, once per outage, included); only emitted while someone listens. */
  error: [Error];
}

interface OfrepBulkBody {
  flags: Array<{
    key: string;
    value?: JsonValue;
    variant?: string;
    reason?: EvaluationReason;
    errorCode?: string;
    metadata?: { enabled?: boolean; payloadType?: string };
  }>;
  eventStreams?: Array<{ type: string; url: string }>;
}

/**
 * FlagShip in a browser, for the page's user. It asks OFREP's bulk evaluation
 * for every flag's answer for the context, then listens on the event stream
 * the response advertises: each change there is a hint to fetch the answers
 * again (with `If-None-Match`, so an unchanged set costs a 304). Getters are
 * synchronous and read the answers held.
 *
 * It is in sync (`connected`) while its last fetch answered and the stream is
 * open. A failed fetch or a dropped stream makes it `disconnected`: it keeps
 * the answers it holds and fetches again with backoff until FlagShip answers,
 * then reopens the stream and fetches once more when it opens (a change in
 * between would otherwise be missed).
 */
export class FlagShipBrowserClient extends TypedEmitter<BrowserClientEvents> {
  private readonly options: FlagShipBrowserClientOptions;
  private readonly fetchFn: typeof fetch;
  private answers = new Map<string, FlagAnswer>();
  private context: EvaluationContext;
  private etag: string | undefined;
  private stream: EventSource | undefined;
  private closed = false;
  private refusal: FlagShipBrowserRefusedError | undefined;
  private refetching: Promise<void> | undefined;
  private refetchAgain = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private retryAttempt = 0;
  private readyTimer: ReturnType<typeof setTimeout> | undefined;
  private readySettled = false;
  private resolveReady!: () => void;
  private rejectReady!: (error: Error) => void;
  private readonly readyPromise: Promise<void>;
  private readonly events: EventReporter | undefined;
  private readonly exposedFlags = new Set<string>();
  private readonly connection = new ConnectionState({
    disconnected: (details) => this.emit('disconnected', details),
    reconnected: (details) => this.emit('reconnected', details),
    report: (error) => this.report(error),
  });

  constructor(options: FlagShipBrowserClientOptions) {
    super();
    this.options = options;
    this.context = options.context ?? {};
    this.fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
    if (options.events) {
      this.events = new EventReporter({ ...options.events, url: options.events.url ?? options.url }, options.token, (error) => this.report(error), this.fetchFn);
    }
    const stored = options.store?.load();
    if (stored && sameContext(stored.context, this.context)) {
      this.answers = new Map(stored.answers.map((answer) => [answer.key, answer]));
      this.etag = stored.etag;
    }
    this.readyPromise = new Promise<void>((resolve, reject) => {
      this.resolveReady = resolve;
      this.rejectReady = reject;
    });
    // ready() may never be called; a rejection nobody awaits must not crash the page.
    this.readyPromise.catch(() => undefined);
    const timeoutMs = options.readyTimeoutMs ?? 5000;
    this.readyTimer = setTimeout(() => {
      // ready() stops waiting: from here the page runs on what it holds, so say so.
      this.connection.lost(`no answer within ${timeoutMs} ms`);
      this.settleReady(new Error(`FlagShip did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    this.refetch('context').catch(() => undefined);
  }

  /**
   * Resolves once answers for the context are held: FlagShip's, or stored ones
   * when the first fetch fails (it keeps trying). Rejects when there is nothing
   * to serve and FlagShip refused the token or did not answer within readyTimeoutMs.
   */
  ready(): Promise<void> {
    return this.readyPromise;
  }

  /** Where the client stands with FlagShip; `disconnected` and `reconnected` events mark each outage. */
  get status(): ConnectionStatus {
    return this.connection.status;
  }

  /** Since when the answers held may be out of date (FlagShip lost, or never reached); undefined while connected. */
  get staleSince(): Date | undefined {
    return this.connection.staleSince;
  }

  /** Changes the page's user (sign-in, sign-out) and fetches their answers; resolves when they are held. */
  async setContext(context: EvaluationContext): Promise<void> {
    this.context = context;
    this.etag = undefined;
    await this.refetch('context');
  }

  /** Whether the flag is on for the page's user (false when unknown). */
  isEnabled(key: string): boolean {
    this.expose(key);
    return this.answers.get(key)?.enabled ?? false;
  }

  /** The variant as Unleash's getVariant shapes it; `disabled` when none applies. */
  getVariant(key: string): EvaluatedVariant {
    this.expose(key);
    const answer = this.answers.get(key);
    const featureEnabled = answer?.enabled ?? false;
    if (!answer || answer.payloadType === undefined && (answer.variant === 'on' || answer.variant === 'off')) {
      return { name: 'disabled', enabled: false, featureEnabled };
    }
    const variant: EvaluatedVariant = { name: answer.variant, enabled: true, featureEnabled };
    if (answer.payloadType !== undefined) {
      const value = typeof answer.value === 'string' ? answer.value : JSON.stringify(answer.value);
      variant.payload = { type: answer.payloadType, value };
    }
    return variant;
  }

  getBooleanValue(key: string, fallback: boolean): boolean {
    const answer = this.usable(key);
    return answer ? answer.enabled : fallback;
  }

  getStringValue(key: string, fallback: string): string {
    const value = this.usable(key)?.value;
    return typeof value === 'string' ? value : fallback;
  }

  getNumberValue(key: string, fallback: number): number {
    const value = this.usable(key)?.value;
    return typeof value === 'number' ? value : fallback;
  }

  getJsonValue<T extends JsonValue = JsonValue>(key: string, fallback: T): T {
    const answer = this.usable(key);
    return answer?.payloadType === 'json' ? (answer.value as T) : fallback;
  }

  /** The whole answer for a flag, or undefined when the environment has no such flag. */
  answer(key: string): FlagAnswer | undefined {
    this.expose(key);
    return this.answers.get(key);
  }

  /**
   * Counts an event (`errors`, `signup`, …) of the page's user for every flag
   * this page read, under the answer the user has (a variant, or on/off).
   * `details.value` adds up as the bucket's sum. Needs the `events` option.
   */
  track(name: string, details: { value?: number } = {}): void {
    if (!this.events) return;
    if (name === EXPOSURE_EVENT) throw new TypeError(`'${EXPOSURE_EVENT}' is counted by reads; track another name`);
    for (const key of this.exposedFlags) {
      const answer = this.answers.get(key);
      if (answer) this.events.count(key, labelOf(answer), name, details.value);
    }
  }

  /** track('errors'): the built-in event guards usually watch. */
  trackError(): void {
    this.track(ERRORS_EVENT);
  }

  /** Counters of the event reporting (undefined without the `events` option). */
  get eventStats(): EventReporterStats | undefined {
    return this.events?.stats();
  }

  /** Sends the exposures and events counted so far now. */
  async flushEvents(): Promise<void> {
    await this.events?.flush();
  }

  private expose(key: string): void {
    if (!this.events) return;
    const answer = this.answers.get(key);
    if (!answer) return;
    if (!this.exposedFlags.has(key) && this.exposedFlags.size < MAX_TRACKED_FLAGS) this.exposedFlags.add(key);
    this.events.count(key, labelOf(answer), EXPOSURE_EVENT);
  }

  /** Every answer held. */
  allAnswers(): FlagAnswer[] {
    return [...this.answers.values()];
  }

  /** Stops listening for changes and fetching. */
  close(): void {
    this.closed = true;
    this.connection.closed();
    clearTimeout(this.retryTimer);
    this.stream?.close();
    this.stream = undefined;
    this.settleReady(new Error('the client was closed before it was ready'));
    // The last counts go out on their own (a page being closed cannot wait for them).
    void this.events?.close();
  }

  private usable(key: string): FlagAnswer | undefined {
    this.expose(key);
    const answer = this.answers.get(key);
    return answer && answer.errorCode === undefined ? answer : undefined;
  }

  /**
   * One fetch at a time; a hint arriving meanwhile makes one more afterwards
   * (never a lost change). Its outcome moves the connection state; callers
   * that do not await it may ignore its rejection, which is accounted for here.
   */
  private refetch(reason: FlagShipBrowserChange['reason']): Promise<void> {
    if (this.refetching) {
      this.refetchAgain = true;
      return this.refetching;
    }
    this.refetching = (async () => {
      try {
        do {
          this.refetchAgain = false;
          await this.fetchAnswers(reason);
        } while (this.refetchAgain && !this.closed);
        this.fetched();
      } catch (error) {
        this.fetchFailed(error instanceof Error ? error : new Error(String(error)));
        throw error;
      } finally {
        this.refetching = undefined;
      }
    })();
    return this.refetching;
  }

  private fetched(): void {
    this.retryAttempt = 0;
    this.settleReady();
    // In sync once hints can reach the page again; a stream still opening says so when it opens.
    if (!this.live() || this.stream?.readyState === 1 /* OPEN */) this.connection.synced();
  }

  private fetchFailed(error: Error): void {
    if (this.closed) return;
    if (error instanceof FlagShipBrowserRefusedError) {
      this.refusal = error;
      clearTimeout(this.retryTimer);
      this.stream?.close();
      this.connection.refused(error.message);
      this.report(error);
      this.settleReady(error);
      return;
    }
    if (!isConnectionProblem(error)) {
      // The request itself was refused (a context FlagShip does not take): retrying it would not help.
      this.report(error);
      this.settleReady(error, { onlyWithAnswers: true });
      return;
    }
    this.connection.lost(error.message);
    this.settleReady(error, { onlyWithAnswers: true });
    this.retryLater();
  }

  private retryLater(): void {
    if (this.closed || this.refusal || this.retryTimer) return;
    const delay = reconnectDelay(this.retryAttempt, this.options.reconnectDelayMs ?? 1000, this.options.reconnectDelayMaxMs ?? 30_000);
    this.retryAttempt += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.refetch('pushed').catch(() => undefined);
    }, delay);
  }

  /**
   * Settles ready() once. Without an error it resolves; with one it resolves
   * anyway when answers are held (stored ones), unless `onlyWithAnswers` says
   * to keep waiting when there are none.
   */
  private settleReady(error?: Error, { onlyWithAnswers = false } = {}): void {
    if (this.readySettled) return;
    if (error && onlyWithAnswers && this.answers.size === 0) return;
    this.readySettled = true;
    clearTimeout(this.readyTimer);
    if (!error || this.answers.size > 0) this.resolveReady();
    else this.rejectReady(error);
  }

  private async fetchAnswers(reason: FlagShipBrowserChange['reason']): Promise<void> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.options.token}`,
      'content-type': 'application/json',
    };
    // A 304 carries no event-stream URL: ask for the body while the page has no open stream to keep.
    if (this.etag && !this.needsStream()) headers['if-none-match'] = this.etag;
    const response = await this.fetchFn(`${this.options.url.replace(/\/$/, '')}/ofrep/v1/evaluate/flags`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ context: this.context }),
    });
    if (response.status === 304) return;
    if (response.status === 401 || response.status === 403) {
      throw new FlagShipBrowserRefusedError(response.status, `FlagShip refused the token (${response.status}): ${await response.text()}`);
    }
    if (!response.ok) throw new HttpStatusError(response.status, `FlagShip answered ${response.status}: ${await response.text()}`);
    const body = (await response.json()) as OfrepBulkBody;
    this.etag = response.headers.get('etag') ?? undefined;
    const next = new Map(body.flags.map((flag) => [flag.key, answerOf(flag)]));
    const changed = [...new Set([...next.keys(), ...this.answers.keys()])].filter(
      (key) => JSON.stringify(next.get(key)) !== JSON.stringify(this.answers.get(key)),
    );
    this.answers = next;
    this.options.store?.save({ context: this.context, etag: this.etag, answers: [...next.values()] });
    this.listen(body.eventStreams?.find((stream) => stream.type === 'sse')?.url);
    if (changed.length > 0 || reason === 'context') this.emit('change', { keys: changed, reason });
  }

  /** Whether the page listens for change hints (asked to, and EventSource exists here). */
  private live(): boolean {
    return this.options.live !== false && (this.options.EventSource ?? globalThis.EventSource) !== undefined;
  }

  /** Whether the page listens for hints and has no stream (none yet, or it dropped). */
  private needsStream(): boolean {
    return this.live() && this.stream === undefined;
  }

  /** Opens the advertised event stream (its URL carries a ticket: EventSource cannot send headers). */
  private listen(url: string | undefined): void {
    if (this.closed || this.refusal || !this.needsStream()) return;
    if (!url) return;
    const stream = new (this.options.EventSource ?? globalThis.EventSource)(url);
    this.stream = stream;
    stream.onopen = () => {
      if (this.connection.status === 'disconnected') {
        // Hints sent while the page was away are lost: fetch what changed meanwhile (in sync once it answers).
        this.refetch('pushed').catch(() => undefined);
      } else {
        this.connection.synced();
      }
    };
    stream.onmessage = () => {
      this.refetch('pushed').catch(() => undefined);
    };
    stream.onerror = () => {
      if (this.closed || this.stream !== stream) return;
      // Reconnect on our own terms rather than EventSource's: with backoff and jitter
      // (not every page at once after an outage), and through a fetch, which brings
      // the answers missed meanwhile and a fresh ticket for the stream.
      stream.close();
      this.stream = undefined;
      this.connection.lost('the event stream dropped');
      this.retryLater();
    };
  }

  private report(error: unknown): void {
    if (this.listenerCount('error') > 0) this.emit('error', error instanceof Error ? error : new Error(String(error)));
  }
}

/** An answer that is not 2xx or 304, with its status. */
class HttpStatusError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** Whether trying again later may help: no answer at all, or a 5xx, 408 or 429. */
function isConnectionProblem(error: Error): boolean {
  if (!(error instanceof HttpStatusError)) return true;
  return error.status >= 500 || error.status === 408 || error.status === 429;
}

function answerOf(flag: OfrepBulkBody['flags'][number]): FlagAnswer {
  const answer: FlagAnswer = {
    key: flag.key,
    value: flag.value ?? false,
    variant: flag.variant ?? 'off',
    reason: flag.reason ?? 'ERROR',
    enabled: flag.metadata?.enabled ?? false,
  };
  if (flag.metadata?.payloadType !== undefined) answer.payloadType = flag.metadata.payloadType;
  if (flag.errorCode !== undefined) answer.errorCode = flag.errorCode;
  return answer;
}

function sameContext(a: EvaluationContext, b: EvaluationContext): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The label an answer's exposures and events count under: `off` when the flag is off, else its variant (`on` without variants). */
function labelOf(answer: FlagAnswer): string {
  return answer.enabled ? answer.variant : 'off';
}

import type { EvaluatedVariant, EvaluationContext, EvaluationReason, JsonValue } from '@flagship/evaluation';
import { TypedEmitter } from './emitter.js';

/**
 * One flag's answer for the page's context, as OFREP's bulk evaluation gives it:
 * evaluated on the server, so the page never sees a rule (constraint values are
 * often e-mail addresses and customer ids).
 */
export interface FlagAnswer {
  key: string;
  /** The typed value: the chosen variant's payload, else the boolean. */
  value: JsonValue;
  /** The chosen variant's name, else `on` / `off`. */
  variant: string;
  reason: EvaluationReason;
  /** True when the flag is on for this context (Unleash's isEnabled). */
  enabled: boolean;
  /** The payload's type when a variant with a payload was chosen (`string`, `number`, `json`, `csv`). */
  payloadType?: string;
  /** Set when the flag could not be evaluated for this context (e.g. TARGETING_KEY_MISSING). */
  errorCode?: string;
}

/** Every answer for one context, as stored between page loads. */
export interface StoredAnswers {
  /** The context the answers are for (a stored set for another user is not used). */
  context: EvaluationContext;
  etag?: string;
  answers: FlagAnswer[];
}

/** Where the browser client keeps its last answers, so a page starts with them before FlagShip answers. */
export interface AnswerStore {
  load(): StoredAnswers | undefined;
  save(answers: StoredAnswers): void;
}

/** Keeps the last answers in `localStorage` under `key` (nothing secret: only evaluated answers). */
export function localStorageStore(key = 'flagship:answers', storage: Storage = globalThis.localStorage): AnswerStore {
  return {
    load() {
      try {
        const text = storage.getItem(key);
        const stored = text ? (JSON.parse(text) as StoredAnswers) : undefined;
        return stored && Array.isArray(stored.answers) ? stored : undefined;
      } catch {
        return undefined;
      }
    },
    save(answers) {
      try {
        storage.setItem(key, JSON.stringify(answers));
      } catch {
        // Storage full or denied (private mode): the answers stay in memory.
      }
    },
  };
}

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
  fetch?: typeof fetch;
  EventSource?: typeof EventSource;
}

/** What changed: the flags whose answers differ after a refetch (for a new context: every flag). */
export interface FlagShipBrowserChange {
  keys: string[];
  reason: 'pushed' | 'context';
}

interface BrowserClientEvents {
  change: [FlagShipBrowserChange];
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
 */
export class FlagShipBrowserClient extends TypedEmitter<BrowserClientEvents> {
  private readonly options: FlagShipBrowserClientOptions;
  private readonly fetchFn: typeof fetch;
  private answers = new Map<string, FlagAnswer>();
  private context: EvaluationContext;
  private etag: string | undefined;
  private stream: EventSource | undefined;
  private closed = false;
  private refetching: Promise<void> | undefined;
  private refetchAgain = false;
  private readonly readyPromise: Promise<void>;

  constructor(options: FlagShipBrowserClientOptions) {
    super();
    this.options = options;
    this.context = options.context ?? {};
    this.fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
    const stored = options.store?.load();
    if (stored && sameContext(stored.context, this.context)) {
      this.answers = new Map(stored.answers.map((answer) => [answer.key, answer]));
      this.etag = stored.etag;
    }
    this.readyPromise = this.firstFetch();
    this.readyPromise.catch(() => undefined);
  }

  /** Resolves once answers for the context are held (FlagShip's, or stored ones when it cannot be reached in time). */
  ready(): Promise<void> {
    return this.readyPromise;
  }

  /** Changes the page's user (sign-in, sign-out) and fetches their answers; resolves when they are held. */
  async setContext(context: EvaluationContext): Promise<void> {
    this.context = context;
    this.etag = undefined;
    await this.refetch('context');
  }

  /** Whether the flag is on for the page's user (false when unknown). */
  isEnabled(key: string): boolean {
    return this.answers.get(key)?.enabled ?? false;
  }

  /** The variant as Unleash's getVariant shapes it; `disabled` when none applies. */
  getVariant(key: string): EvaluatedVariant {
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
    return this.answers.get(key);
  }

  /** Every answer held. */
  allAnswers(): FlagAnswer[] {
    return [...this.answers.values()];
  }

  /** Stops listening for changes. */
  close(): void {
    this.closed = true;
    this.stream?.close();
    this.stream = undefined;
  }

  private usable(key: string): FlagAnswer | undefined {
    const answer = this.answers.get(key);
    return answer && answer.errorCode === undefined ? answer : undefined;
  }

  private async firstFetch(): Promise<void> {
    const timeoutMs = this.options.readyTimeoutMs ?? 5000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`FlagShip did not answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([this.refetch('context'), timedOut]);
    } catch (error) {
      if (this.answers.size === 0) throw error;
      this.report(error);
    } finally {
      clearTimeout(timer);
    }
  }

  /** One fetch at a time; a hint arriving meanwhile makes one more afterwards (never a lost change). */
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
      } finally {
        this.refetching = undefined;
      }
    })();
    return this.refetching;
  }

  private async fetchAnswers(reason: FlagShipBrowserChange['reason']): Promise<void> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.options.token}`,
      'content-type': 'application/json',
    };
    if (this.etag) headers['if-none-match'] = this.etag;
    const response = await this.fetchFn(`${this.options.url.replace(/\/$/, '')}/ofrep/v1/evaluate/flags`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ context: this.context }),
    });
    if (response.status === 304) return;
    if (!response.ok) throw new Error(`FlagShip answered ${response.status}: ${await response.text()}`);
    const body = (await response.json()) as OfrepBulkBody;
    this.etag = response.headers.get('etag') ?? undefined;
    const next = new Map(body.flags.map((flag) => [flag.key, answerOf(flag)]));
    const changed = [...new Set([...next.keys(), ...this.answers.keys()])].filter(
      (key) => JSON.stringify(next.get(key)) !== JSON.stringify(this.answers.get(key)),
    );
    this.answers = next;
    this.options.store?.save({ context: this.context, etag: this.etag, answers: [...next.values()] });
    this.listen(body.eventStreams);
    if (changed.length > 0 || reason === 'context') this.emit('change', { keys: changed, reason });
  }

  /** Opens the advertised event stream (its URL carries a ticket: EventSource cannot send headers). */
  private listen(streams: OfrepBulkBody['eventStreams']): void {
    if (this.closed || this.options.live === false) return;
    const url = streams?.find((stream) => stream.type === 'sse')?.url;
    const EventSourceClass = this.options.EventSource ?? globalThis.EventSource;
    if (!url || !EventSourceClass || (this.stream && this.stream.readyState !== 2 /* CLOSED */)) return;
    this.stream?.close();
    const stream = new EventSourceClass(url);
    this.stream = stream;
    stream.onmessage = () => {
      this.refetch('pushed').catch((error: unknown) => this.report(error));
    };
    stream.onerror = () => {
      // A closed stream (e.g. an expired ticket) is reopened with a fresh URL by the next fetch.
      if (stream.readyState === 2 && !this.closed) this.refetch('pushed').catch((error: unknown) => this.report(error));
    };
  }

  private report(error: unknown): void {
    if (this.listenerCount('error') > 0) this.emit('error', error instanceof Error ? error : new Error(String(error)));
  }
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
